import fs from 'fs';
import os from 'os';
import path from 'path';
import { startStrapi, type TestApp } from '../helpers/strapi';
import { exportWorkshop } from '../../src/workshop-files/export';
import { importWorkshopFile } from '../../src/workshop-files/seed';
import { FIRST_WORKSHOP } from '../fixtures/first-workshop';

const CONTRACT = path.join(__dirname, '..', '..', 'docs', 'graphql', 'contract');
const operation = (name: string) => fs.readFileSync(path.join(CONTRACT, `${name}.graphql`), 'utf8');

const RICH = `
title: Rich Workshop 2026
startDate: 2026-06-01
endDate: 2026-06-03
timezone: Europe/Berlin
summary: Everything a workshop file can say.
participation: |
  Apply early.

  Funding is limited.
registrationUrl: https://register.example.org/rich
applicationDeadline: 2026-04-01
venue: { name: Harnack House, streetAddress: Ihnestrasse 16, locality: Berlin, postalCode: "14195", country: DE, attendanceMode: mixed }
series:
  name: Rich Series
  description: A series with a description.
  acknowledgement: Made possible by Rich Sponsor.
  sponsor: { name: Rich Sponsor, acronym: RS, url: https://sponsor.example.org }
sponsors:
  - Julian Schwinger Foundation for Physics Research (JSF)
  - { name: Rich Sponsor, acronym: RS, url: https://sponsor.example.org }
organizers:
  - { name: Maria de la Cruz, familyName: de la Cruz, affiliation: Universidad de Chile, homepage: https://cruz.example.org, orcid: 0000-0002-1825-0097 }
speakers:
  - Frank Noe (Microsoft Research)
  - Tess Smidt (MIT)
talks:
  - title: Welcome
    startsAt: 2026-06-01T09:00
    endsAt: 2026-06-01T09:15
    speakers: [Maria de la Cruz]
  - title: Posters
    kind: poster_session
    startsAt: 2026-06-02T17:00
    endsAt: 2026-06-02T19:00
  - title: Keynote
    abstract: A long abstract.
    startsAt: 2026-06-03T10:00
    endsAt: 2026-06-03T11:00
    speakers: [Frank Noe, Ada Guest (Guest University)]
    videoUrl: https://video.example.org/keynote
`;

const SLUGS = [FIRST_WORKSHOP.slug, 'rich-workshop-2026'];
const PEOPLE = ['frank-noe', 'maria-de-la-cruz', 'xavier-bresson', 'ada-guest'];
const SERIES = ['julian-schwinger-workshop-on-multiscale-physics', 'rich-series'];
const TYPES = ['api::workshop.workshop', 'api::person.person', 'api::organization.organization', 'api::sponsor.sponsor', 'api::workshop-series.workshop-series'] as const;

/** Every contract answer about these workshops, people and series; documentIds differ between databases. */
const contractAnswers = async (app: TestApp) => {
  const answers: Record<string, unknown> = {};
  const ask = async (name: string, variables: Record<string, unknown>) => {
    const res = await app.graphql(operation(name), variables);
    expect(res.body.errors).toBeUndefined();
    answers[`${name} ${JSON.stringify(variables)}`] = JSON.parse(JSON.stringify(res.body.data).replace(/"documentId":"[^"]+"/g, '"documentId":"*"'));
  };
  for (const slug of SLUGS) await ask('workshop-page', { slug });
  for (const slug of PEOPLE) await ask('person-page', { slug });
  for (const slug of SERIES) await ask('series-page', { slug });
  await ask('workshop-list', {});
  await ask('institute', {});
  return answers;
};

describe('exporting workshop files', () => {
  let app: TestApp;
  let scratch: string;
  beforeAll(async () => {
    // A fixed public URL: calendarUrl would otherwise name Supertest's port of each request.
    app = await startStrapi({ PUBLIC_URL: 'https://cms.example.org' });
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'export-'));
    fs.writeFileSync(path.join(scratch, 'rich.yaml'), RICH);
    await importWorkshopFile(app.strapi, path.join(scratch, 'rich.yaml'));
  });
  afterAll(async () => {
    fs.rmSync(scratch, { recursive: true, force: true });
    await app?.stop();
  });

  it('writes the seed back in the format staff type, people as "Name (Affiliation)"', async () => {
    const yaml = (await exportWorkshop(app.strapi, FIRST_WORKSHOP.slug))!;
    expect(yaml).toContain('  - Anatole von Lilienfeld (University of Basel)\n');
    expect(yaml).toContain('  - Julian Schwinger Foundation for Physics Research (JSF)\n');
    expect(yaml).toMatch(/^overview: \|\n {2}For molecular systems/m);
    expect(await exportWorkshop(app.strapi, 'no-such-workshop')).toBeNull();
  });

  // The institute (its own file, database/seeds/institute.yaml) stays; every workshop, person,
  // organization, sponsor and series is deleted before the files are imported again.
  it('round-trips: export, then import into an emptied database, gives identical contract answers', async () => {
    const before = await contractAnswers(app);
    const files = [];
    for (const slug of SLUGS) {
      const file = path.join(scratch, `${slug}.yaml`);
      fs.writeFileSync(file, (await exportWorkshop(app.strapi, slug))!);
      files.push(file);
    }

    for (const uid of TYPES) {
      for (const { documentId } of await app.strapi.documents(uid).findMany({ fields: ['documentId'], limit: 1000 } as never)) {
        await app.strapi.documents(uid).delete({ documentId });
      }
      expect(await app.strapi.db.query(uid).count()).toBe(0);
    }

    for (const file of files) await importWorkshopFile(app.strapi, file);
    expect(await contractAnswers(app)).toEqual(before);
  });
});
