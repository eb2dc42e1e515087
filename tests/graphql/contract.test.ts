import fs from 'fs';
import os from 'os';
import path from 'path';
import { buildSchema, getNamedType, isLeafType, isNonNullType, isObjectType, type GraphQLObjectType } from 'graphql';
import { DateTime } from 'luxon';
import ical, { type VEvent } from 'node-ical';
import { startStrapi, type TestApp } from '../helpers/strapi';
import { createApiToken } from '../helpers/tokens';
import { FIRST_WORKSHOP } from '../fixtures/first-workshop';
import { importWorkshopFile } from '../../src/workshop-files/seed';
import { FIELD_READS, WORKSHOP_PAGE } from '../../src/graphql/resolvers';
import type { RelationTree } from '../../src/database/relation-tree';

const CONTRACT = path.join(__dirname, '..', '..', 'docs', 'graphql', 'contract');
const operation = (name: string) => fs.readFileSync(path.join(CONTRACT, `${name}.graphql`), 'utf8');

const SERIES_SLUG = 'julian-schwinger-workshop-on-multiscale-physics';
const nextYear = DateTime.now().year + 1;

/** Workshops beside the seed: one published a year later with shared people, one draft, one upcoming. */
const FILES: Record<string, { yaml: string; publish: boolean }> = {
  'second.yaml': {
    publish: true,
    yaml: `
title: Emergence, Again
startDate: 2024-01-30
endDate: 2024-02-03
series: Julian Schwinger Workshop on Multiscale Physics
organizers:
  - Xavier Bresson (National University of Singapore)
speakers:
  - Frank Noe (Microsoft Research)
  - Tess Smidt (MIT)
`,
  },
  'embargoed.yaml': {
    publish: false,
    yaml: `
title: Embargoed Workshop
startDate: ${nextYear}-03-01
endDate: ${nextYear}-03-05
series: Julian Schwinger Workshop on Multiscale Physics
speakers:
  - Secret Speaker (Hidden Institute)
  - Tess Smidt (MIT)
`,
  },
  'new-year.yaml': {
    publish: true,
    yaml: `
title: Across New Year
startDate: ${nextYear}-12-30
endDate: ${nextYear + 1}-01-02
timezone: Europe/Berlin
venue: { name: Harnack House, locality: Berlin, country: DE }
speakers:
  - Ada Lovelace (Analytical Engines Ltd)
talks:
  - title: Opening
    startsAt: ${nextYear}-12-30T09:00
    endsAt: ${nextYear}-12-30T09:45
    speakers: [Ada Lovelace]
  - title: Coffee
    kind: break
    startsAt: ${nextYear}-12-30T10:00
    endsAt: ${nextYear}-12-30T10:30
`,
  },
};

describe('the front ends contract', () => {
  let app: TestApp;
  let scratch: string;

  beforeAll(async () => {
    app = await startStrapi({ GRAPHQL_EXECUTION_HEADER: 'true' });
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'contract-'));
    for (const [name, { yaml, publish }] of Object.entries(FILES)) {
      fs.writeFileSync(path.join(scratch, name), yaml);
      await importWorkshopFile(app.strapi, path.join(scratch, name), { publish });
    }
  });
  afterAll(async () => {
    fs.rmSync(scratch, { recursive: true, force: true });
    await app?.stop();
  });

  const ask = async (name: string, variables: Record<string, unknown> = {}) => {
    const res = await app.graphql(operation(name), variables);
    expect(res.status).toBe(200);
    expect(res.body.errors).toBeUndefined();
    return res.body.data;
  };

  describe('WorkshopPage', () => {
    it('answers for the seed as the announcement prints it', async () => {
      const { workshopBySlug: page } = await ask('workshop-page', { slug: FIRST_WORKSHOP.slug });
      expect(page).toMatchObject({
        title: FIRST_WORKSHOP.title,
        slug: FIRST_WORKSHOP.slug,
        startDate: '2023-01-23',
        endDate: '2023-01-27',
        dateRange: 'January 23 - 27, 2023',
        timezone: 'America/Los_Angeles',
        phase: 'PAST',
        posterSession: { enabled: true, details: expect.stringMatching(/^A request for posters/) },
        series: {
          name: FIRST_WORKSHOP.series,
          slug: SERIES_SLUG,
          acknowledgement: FIRST_WORKSHOP.acknowledgement,
          sponsor: FIRST_WORKSHOP.sponsor,
        },
        sponsors: [{ ...FIRST_WORKSHOP.sponsor, url: null }],
        talks: [],
      });
      expect(page.organizers.map((o: { credit: string }) => o.credit)).toEqual(FIRST_WORKSHOP.organizers);
      expect(page.speakers.map((s: { credit: string }) => s.credit)).toEqual(FIRST_WORKSHOP.speakers);
      expect(page.speakers[6]).toEqual({
        credit: 'Klaus-Robert Müller (TU Berlin)',
        person: { name: 'Klaus-Robert Müller', slug: 'klaus-robert-mueller', photo: null },
        affiliation: { name: 'TU Berlin' },
      });
      expect(page.overview).toHaveLength(4);
      expect(page.participation[0].children[0].text).toMatch(/^Additional information about this workshop/);
      // Without PUBLIC_URL, the configured port on localhost: never the Host a request names.
      expect(page.calendarUrl).toBe(`http://localhost:${app.strapi.config.get('server.port')}/api/workshops/${FIRST_WORKSHOP.slug}/calendar.ics`);
    });

    it('keeps the affiliation each workshop printed, after the person moved', async () => {
      const first = (await ask('workshop-page', { slug: FIRST_WORKSHOP.slug })).workshopBySlug;
      const second = (await ask('workshop-page', { slug: 'emergence-again' })).workshopBySlug;
      expect(first.speakers.map((s: { credit: string }) => s.credit)).toContain('Frank Noe (FU Berlin)');
      expect(second.speakers.map((s: { credit: string }) => s.credit)).toEqual(['Frank Noe (Microsoft Research)', 'Tess Smidt (MIT)']);
      expect(second.dateRange).toBe('January 30 - February 3, 2024');
    });

    it('prints a range across the new year, and a phase by the workshop zone', async () => {
      const { workshopBySlug: page } = await ask('workshop-page', { slug: 'across-new-year' });
      expect(page.dateRange).toBe(`December 30, ${nextYear} - January 2, ${nextYear + 1}`);
      expect(page.phase).toBe('UPCOMING');
      expect(page.timezone).toBe('Europe/Berlin');
      expect(page.talks).toEqual([
        { title: 'Opening', startsAt: `${nextYear}-12-30T08:00:00.000Z`, endsAt: `${nextYear}-12-30T08:45:00.000Z`, kind: 'talk', videoUrl: null, speakers: [{ name: 'Ada Lovelace', slug: 'ada-lovelace' }] },
        { title: 'Coffee', startsAt: `${nextYear}-12-30T09:00:00.000Z`, endsAt: `${nextYear}-12-30T09:30:00.000Z`, kind: 'break', videoUrl: null, speakers: [] },
      ]);
    });

    it('falls back to the institute participation text when a workshop has none', async () => {
      const { workshopBySlug: page } = await ask('workshop-page', { slug: 'emergence-again' });
      const institute = await app.strapi.db.query('api::institute.institute').findOne({});
      expect(page.participation).toEqual(institute.defaultParticipation);
      expect(page.participation[0].children[0].text).toMatch(/^Additional information/);
    });

    it('is null for an unknown slug and for a draft', async () => {
      expect((await ask('workshop-page', { slug: 'no-such-workshop' })).workshopBySlug).toBeNull();
      expect((await ask('workshop-page', { slug: 'embargoed-workshop' })).workshopBySlug).toBeNull();
    });

    it('shows the published version, not later draft changes', async () => {
      const workshops = app.strapi.documents('api::workshop.workshop');
      const published = await workshops.findFirst({ filters: { slug: 'emergence-again' }, status: 'published' });
      await workshops.update({ documentId: published!.documentId, data: { title: 'Renamed In Draft' } as never });
      const { workshopBySlug: page } = await ask('workshop-page', { slug: 'emergence-again' });
      expect(page.title).toBe('Emergence, Again');
    });

    it('carries a schema.org EducationEvent with what Google requires', async () => {
      const { workshopBySlug: page } = await ask('workshop-page', { slug: FIRST_WORKSHOP.slug });
      const event = JSON.parse(JSON.stringify(page.jsonLd));
      expect(event).toMatchObject({
        '@context': 'https://schema.org',
        '@type': 'EducationEvent',
        name: FIRST_WORKSHOP.title,
        startDate: '2023-01-23',
        endDate: '2023-01-27',
        eventStatus: 'https://schema.org/EventScheduled',
        eventAttendanceMode: 'https://schema.org/OfflineEventAttendanceMode',
        location: { '@type': 'Place', name: 'IPAM, UCLA', address: { '@type': 'PostalAddress', addressLocality: 'Los Angeles', addressCountry: 'US' } },
        url: `https://www.ipam.ucla.edu/workshops/${FIRST_WORKSHOP.slug}`,
        superEvent: { '@type': 'EventSeries', name: FIRST_WORKSHOP.series },
        sponsor: [{ '@type': 'Organization', name: FIRST_WORKSHOP.sponsor.name, alternateName: 'JSF' }],
        funder: [{ '@type': 'Organization', name: FIRST_WORKSHOP.sponsor.name, alternateName: 'JSF' }],
      });
      expect(event.description).toMatch(/^A major question/);
      expect(event.organizer[0]).toMatchObject({ '@type': 'Organization', name: 'Institute for Pure and Applied Mathematics' });
      expect(event.organizer.slice(1).map((p: { name: string }) => p.name)).toHaveLength(5);
      expect(event.performer).toHaveLength(15);
      expect(event.performer[13]).toEqual({
        '@type': 'Person',
        name: 'Anatole von Lilienfeld',
        affiliation: { '@type': 'Organization', name: 'University of Basel' },
      });
    });
  });

  describe('PersonPage', () => {
    it('lists every published appearance, newest first, with the affiliation of the time', async () => {
      const { personBySlug: page } = await ask('person-page', { slug: 'frank-noe' });
      expect(page).toMatchObject({ name: 'Frank Noe', slug: 'frank-noe', affiliation: { name: 'FU Berlin' } });
      expect(page.appearances).toEqual([
        { role: 'SPEAKER', affiliation: { name: 'Microsoft Research' }, workshop: { title: 'Emergence, Again', slug: 'emergence-again', dateRange: 'January 30 - February 3, 2024' } },
        { role: 'SPEAKER', affiliation: { name: 'FU Berlin' }, workshop: { title: FIRST_WORKSHOP.title, slug: FIRST_WORKSHOP.slug, dateRange: FIRST_WORKSHOP.dateRange } },
      ]);
    });

    it('gives one entry per role: an organizer who also spoke appears twice', async () => {
      const { personBySlug: page } = await ask('person-page', { slug: 'xavier-bresson' });
      expect(page.appearances.map((a: { role: string; workshop: { slug: string } }) => `${a.workshop.slug} ${a.role}`)).toEqual([
        'emergence-again ORGANIZER',
        `${FIRST_WORKSHOP.slug} ORGANIZER`,
        `${FIRST_WORKSHOP.slug} SPEAKER`,
      ]);
    });

    it('never shows an unpublished workshop or a person only it announces', async () => {
      expect((await ask('person-page', { slug: 'secret-speaker' })).personBySlug).toBeNull();
      expect((await ask('person-page', { slug: 'no-such-person' })).personBySlug).toBeNull();
      const { personBySlug: tess } = await ask('person-page', { slug: 'tess-smidt' });
      expect(tess.appearances.map((a: { workshop: { slug: string } }) => a.workshop.slug)).toEqual(['emergence-again', FIRST_WORKSHOP.slug]);
    });
  });

  describe('SeriesPage', () => {
    it('shows the series, its sponsor and its published workshops, newest first', async () => {
      const { workshopSeriesBySlug: page } = await ask('series-page', { slug: SERIES_SLUG });
      expect(page).toEqual({
        name: FIRST_WORKSHOP.series,
        slug: SERIES_SLUG,
        description: null,
        acknowledgement: FIRST_WORKSHOP.acknowledgement,
        sponsor: { ...FIRST_WORKSHOP.sponsor, url: null },
        workshops: [
          { title: 'Emergence, Again', slug: 'emergence-again', dateRange: 'January 30 - February 3, 2024' },
          { title: FIRST_WORKSHOP.title, slug: FIRST_WORKSHOP.slug, dateRange: FIRST_WORKSHOP.dateRange },
        ],
      });
    });

    it('keeps drafts out of the series workshops, and takes no arguments below Query from public clients', async () => {
      const res = await app.graphql(`query($slug: String!) {
        workshopSeriesBySlug(slug: $slug) {
          workshops { slug }
          workshops_connection { nodes { slug } }
        }
      }`, { slug: SERIES_SLUG });
      expect(res.body.errors).toBeUndefined();
      const series = res.body.data.workshopSeriesBySlug;
      expect(series.workshops.map((w: { slug: string }) => w.slug)).toEqual(['emergence-again', FIRST_WORKSHOP.slug]);
      expect(series.workshops_connection.nodes).toHaveLength(2);
      // Strapi would load a relation with arguments straight from the database (src/graphql/public-arguments.ts).
      const withArguments = await app.graphql('{ workshopSeriesList { workshops(sort: ["startDate:desc"], pagination: { limit: 10 }) { slug } } }');
      expect(withArguments.status).toBe(400);
      expect(withArguments.body.errors[0].message).toBe(
        'WorkshopSeries.workshops takes no arguments from public clients (given: sort, pagination); filter, sort and page the top-level query instead.'
      );
    });

    it('is null for an unknown slug', async () => {
      expect((await ask('series-page', { slug: 'no-such-series' })).workshopSeriesBySlug).toBeNull();
    });
  });

  describe('WorkshopList', () => {
    it('lists published workshops only, newest first, with paging', async () => {
      const { workshops_connection: list } = await ask('workshop-list', {});
      expect(list.nodes.map((n: { slug: string }) => n.slug)).toEqual(['across-new-year', 'emergence-again', FIRST_WORKSHOP.slug]);
      expect(list.pageInfo).toEqual({ total: 3, page: 1, pageSize: 25, pageCount: 1 });
      const seed = list.nodes[2];
      expect(seed).toMatchObject({ dateRange: FIRST_WORKSHOP.dateRange, phase: 'PAST', series: { slug: SERIES_SLUG } });
      expect(seed.speakers.map((s: { person: { name: string } }) => s.person.name)).toHaveLength(15);
    });

    it('filters with Strapi filters: by series, by year, past or upcoming', async () => {
      const bySeries = await ask('workshop-list', { filters: { series: { slug: { eq: SERIES_SLUG } } } });
      expect(bySeries.workshops_connection.pageInfo.total).toBe(2);
      const in2023 = await ask('workshop-list', { filters: { startDate: { between: ['2023-01-01', '2023-12-31'] } } });
      expect(in2023.workshops_connection.nodes.map((n: { slug: string }) => n.slug)).toEqual([FIRST_WORKSHOP.slug]);
      const today = DateTime.now().toISODate();
      const upcoming = await ask('workshop-list', { filters: { startDate: { gt: today } } });
      expect(upcoming.workshops_connection.nodes.map((n: { phase: string }) => n.phase)).toEqual(['UPCOMING']);
      const paged = await ask('workshop-list', { page: 2, pageSize: 2 });
      expect(paged.workshops_connection.nodes.map((n: { slug: string }) => n.slug)).toEqual([FIRST_WORKSHOP.slug]);
      expect(paged.workshops_connection.pageInfo).toEqual({ total: 3, page: 2, pageSize: 2, pageCount: 2 });
    });
  });

  describe('Institute', () => {
    it('answers the footer text', async () => {
      expect(await ask('institute')).toEqual({
        institute: {
          name: 'Institute for Pure and Applied Mathematics',
          shortName: 'IPAM',
          url: 'https://www.ipam.ucla.edu',
          diversityStatement: FIRST_WORKSHOP.diversityStatement,
        },
      });
    });
  });

  // src/graphql/compiled-execution: a document runs through graphql-js once, then compiled.
  describe('Compiled execution', () => {
    /** The operation as a document no other test sent, so that its first run is interpreted. */
    const fresh = (name: string) => `${operation(name)}\n# compiled-execution ${name}`;
    /** With a token, past the response cache, which would answer the second request. */
    let token: string;
    beforeAll(async () => {
      token = await createApiToken(app.strapi, 'read-only');
    });
    const ask = (query: string, variables: Record<string, unknown>) =>
      app.http().post('/graphql').set('Authorization', `Bearer ${token}`).send({ query, variables });

    it.each([
      ['workshop-page', { slug: FIRST_WORKSHOP.slug }],
      ['workshop-page', { slug: 'across-new-year' }],
      ['workshop-page', { slug: 'no-such-workshop' }],
      ['person-page', { slug: 'frank-noe' }],
      ['series-page', { slug: SERIES_SLUG }],
      ['institute', {}],
      // Strapi's filters are a recursive input type, which graphql-jit cannot coerce: graphql-js does.
      ['workshop-list', {}],
      ['workshop-list', { filters: { series: { slug: { eq: SERIES_SLUG } } }, pageSize: 2 }],
      ['workshop-list', { filters: { or: [{ startDate: { gt: `${nextYear}-01-01` } }, { not: { title: { containsi: 'again' } } }] }, page: 1 }],
    ])('answers %s %j compiled exactly as interpreted', async (name, variables) => {
      const document = `${fresh(name)} ${JSON.stringify(variables)}`;
      const interpreted = await ask(document, variables);
      const compiled = await ask(document, variables);
      expect(interpreted.headers['x-graphql-execution']).toBeUndefined();
      expect(compiled.headers['x-graphql-execution']).toBe('compiled');
      expect(interpreted.status).toBe(200);
      expect(interpreted.body.errors).toBeUndefined();
      expect(compiled.status).toBe(200);
      expect(compiled.text).toBe(interpreted.text);
    });

    it('leaves a request that fails to graphql-js, which answers it as before', async () => {
      const document = `${fresh('workshop-page')} failing`;
      const wrongType = { slug: 42 };
      const first = await ask(document, wrongType);
      const again = await ask(document, wrongType);
      expect(first.status).toBe(400);
      expect(first.body.errors[0].message).toMatch(/String cannot represent a non string value/);
      expect(again.headers['x-graphql-execution']).toBeUndefined();
      expect(again.status).toBe(400);
      expect(again.text).toBe(first.text);
    });
  });

  // src/graphql/selections: a workshop page loads, of each row, only the attributes the query reads.
  describe('Attributes loaded with a page', () => {
    const schema = buildSchema(fs.readFileSync(path.join(CONTRACT, '..', 'schema.graphql'), 'utf8'));
    /** Every leaf field that `wanted` keeps of the types down the page's tree, as a selection. */
    const selectionOf = (type: GraphQLObjectType, tree: RelationTree, wanted: (type: string, field: string) => boolean): string =>
      Object.values(type.getFields())
        .filter((field) => !field.args.some((arg) => isNonNullType(arg.type)))
        .flatMap((field) => {
          const named = getNamedType(field.type);
          if (tree[field.name] && isObjectType(named)) return [`${field.name} { __typename ${selectionOf(named, tree[field.name], wanted)} }`];
          return isLeafType(named) && wanted(type.name, field.name) ? [field.name] : [];
        })
        .join(' ');
    /** GraphQL type name → its model's attribute names. */
    const attributesOf = () => {
      const { naming } = app.strapi.plugin('graphql').service('utils');
      const models = [...Object.values(app.strapi.contentTypes), ...Object.values(app.strapi.components)];
      return new Map(
        models.map((model) => [model.modelType === 'component' ? naming.getComponentName(model) : naming.getTypeName(model), new Set(Object.keys(model.attributes))])
      );
    };
    let token: string;
    beforeAll(async () => {
      token = await createApiToken(app.strapi, 'read-only');
      // Attributes the contract does not show, set so that leaving them out would show.
      await app.strapi.db.query('api::person.person').updateMany({ where: {}, data: { orcid: '0000-0002-1825-0097', bio: 'A biography.', homepage: 'https://people.example.org/' } });
      await app.strapi.db.query('api::organization.organization').updateMany({ where: {}, data: { shortName: 'Short', country: 'DE', url: 'https://organizations.example.org/' } });
      await app.strapi.db.query('workshop.talk').updateMany({ where: {}, data: { abstract: 'An abstract.', slidesUrl: 'https://slides.example.org/1' } });
      // A photo and a logo (file rows as the upload plugin writes them, with formats), so that their attributes show too.
      const file = await app.strapi.db.query('plugin::upload.file').create({
        data: {
          name: 'portrait.png', alternativeText: 'A portrait', caption: 'A caption', width: 800, height: 600, hash: 'portrait_1', ext: '.png', mime: 'image/png',
          size: 12.3, url: '/uploads/portrait_1.png', provider: 'local',
          formats: { thumbnail: { name: 'thumbnail_portrait.png', url: '/uploads/thumbnail_portrait_1.png', width: 208, height: 156, mime: 'image/png', size: 4.2 } },
        },
      });
      for (const [uid, filters, field] of [['api::person.person', { name: 'Ada Lovelace' }, 'photo'], ['api::sponsor.sponsor', {}, 'logo']] as const) {
        for (const { documentId } of await app.strapi.documents(uid).findMany({ filters })) {
          await app.strapi.documents(uid).update({ documentId, data: { [field]: file.id } as never });
        }
      }
    });
    const askWithToken = async (query: string, slug: string) => {
      const res = await app.http().post('/graphql').set('Authorization', `Bearer ${token}`).send({ query, variables: { slug } });
      expect({ status: res.status, errors: res.body.errors }).toEqual({ status: 200, errors: undefined });
      return JSON.parse(res.text);
    };
    /** The page asked by slug (through a fragment), against the same workshop from the list, whose rows Strapi loads whole. */
    const expectSameAsList = async (wanted: (type: string, field: string) => boolean) => {
      const selection = selectionOf(schema.getType('Workshop') as GraphQLObjectType, WORKSHOP_PAGE, wanted);
      for (const slug of [FIRST_WORKSHOP.slug, 'across-new-year']) {
        const page = await askWithToken(`query($slug: String!) { workshopBySlug(slug: $slug) { ...Page } } fragment Page on Workshop { ${selection} }`, slug);
        const list = await askWithToken(`query($slug: String!) { workshops(filters: { slug: { eq: $slug } }) { ${selection} } }`, slug);
        expect(page.data.workshopBySlug).toEqual(list.data.workshops[0]);
      }
      return selection;
    };

    it("gives every field of every row below the page, the contract's and the others", async () => {
      const selection = await expectSameAsList(() => true);
      expect(selection).toMatch(/photo \{ __typename [^}]*\balternativeText\b[^}]*\bformats\b/);
      expect(selection).toMatch(/person \{ __typename [^}]*\borcid\b[^}]*\bbio\b/);
      expect(selection).toMatch(/talks \{ __typename [^{}]*\babstract\b.*\bslidesUrl\b/);
    });

    it('gives the fields computed from attributes the query does not ask for (FIELD_READS)', async () => {
      const attributes = attributesOf();
      const computed = (type: string, field: string) => field in (FIELD_READS[type] ?? {}) || !attributes.get(type)?.has(field);
      const selection = await expectSameAsList(computed);
      expect(selection).toMatch(/\bdateRange\b.*\bphase\b.*\bcalendarUrl\b.*\bjsonLd\b/);
      expect(selection).not.toMatch(/\btitle\b/);
    });
  });

  describe('Calendars', () => {
    const calendarOf = async (url: string) => {
      const res = await app.http().get(url).buffer(true).parse((response, done) => {
        let text = '';
        response.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
        response.on('end', () => done(null, text));
      });
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe('text/calendar; charset=utf-8');
      const events = Object.values(ical.sync.parseICS(res.body)).filter((item): item is VEvent => item.type === 'VEVENT');
      return { text: res.body as string, events };
    };

    it('serves a workshop as an all-day event and its talks as timed events in its zone', async () => {
      const { workshopBySlug: page } = await ask('workshop-page', { slug: 'across-new-year' });
      const { text, events } = await calendarOf(new URL(page.calendarUrl).pathname);
      const [workshop, opening, coffee] = events;
      expect(workshop.summary).toBe('Across New Year');
      expect(workshop.datetype).toBe('date');
      expect(DateTime.fromJSDate(workshop.start).toISODate()).toBe(`${nextYear}-12-30`);
      expect(DateTime.fromJSDate(workshop.end).toISODate()).toBe(`${nextYear + 1}-01-03`);
      expect(workshop.uid).toBe(`workshop-${page.documentId}@ipam-events-cms`);
      expect(workshop.location).toBe('Harnack House, Berlin, DE');
      expect(opening.summary).toBe('Opening (Ada Lovelace)');
      expect(opening.start.toISOString()).toBe(`${nextYear}-12-30T08:00:00.000Z`);
      expect(opening.end.toISOString()).toBe(`${nextYear}-12-30T08:45:00.000Z`);
      expect(opening.start.tz).toBe('Europe/Berlin');
      expect(text).toContain(`DTSTART;TZID=Europe/Berlin:${nextYear}1230T090000`);
      expect(text).toContain('BEGIN:VTIMEZONE');
      expect(coffee.summary).toBe('Coffee');
      expect(coffee.uid).toBe(`workshop-${page.documentId}-talk-1@ipam-events-cms`);
    });

    it('is stable: the same file, UIDs included, on every request', async () => {
      const path = '/api/workshops/across-new-year/calendar.ics';
      expect((await calendarOf(path)).text).toBe((await calendarOf(path)).text);
    });

    it('lists upcoming published workshops in /api/calendar.ics, and nothing else', async () => {
      const { events } = await calendarOf('/api/calendar.ics');
      expect(events.filter((event) => event.datetype === 'date').map((event) => event.summary)).toEqual(['Across New Year']);
    });

    it('answers 404 for a draft or unknown workshop', async () => {
      expect((await app.http().get('/api/workshops/embargoed-workshop/calendar.ics')).status).toBe(404);
      const unknown = await app.http().get('/api/workshops/no-such-workshop/calendar.ics');
      expect(unknown.status).toBe(404);
      expect(unknown.body.error.message).toBe('No published workshop has the slug "no-such-workshop".');
    });
  });
});
