import type { Core } from '@strapi/strapi';
import type { GraphQLResolveInfo } from 'graphql';
import { constant, loadRelationTree, loadRelationTrees, NOT_NULL, type RelationTree } from '../database/relation-tree';
import { prepareNextEdition, readNextEditionOptions } from '../editions/next-edition';
import { formatDateRange } from '../workshops/date-range';
import { phaseOf } from '../workshops/phase';
import { workshopJsonLd } from '../workshops/json-ld';
import { serverOrigin, workshopCalendarPath, workshopPageUrl } from '../workshops/links';
import { INSTITUTE_QUERY, loadersOf, PARTICIPANTS, type RequestLoaders, type Row } from './loaders';
import { hasArguments, strapiRelationResolver, type Resolver } from './batched-relations';
import { whenAllReady, whenReady, type MaybePromise } from './maybe-promise';
import { attributesAskedBelow, type FieldReads } from './selections';

type Context = { koaContext: { request: { origin: string } }; state: { auth?: unknown } };

const WORKSHOP = 'api::workshop.workshop';
/** Everything a workshop page shows, loaded with the workshop in one statement. */
export const WORKSHOP_PAGE: RelationTree = constant({
  organizers: PARTICIPANTS,
  speakers: PARTICIPANTS,
  talks: { speakers: {} },
  posterSession: {},
  venue: {},
  sponsors: {},
  series: { sponsor: {} },
});
const hasContent = (blocks: unknown) => Array.isArray(blocks) && blocks.length > 0;

/**
 * What the fields computed below read of their rows: a workshop page loads only the attributes a
 * query selects and these (src/graphql/selections.ts). Keep it in step with the resolvers;
 * tests/graphql/contract.test.ts asks for every computed field alone and compares.
 */
const CREDITED_IN_JSON_LD = ['name', 'homepage'];
const AFFILIATION_IN_JSON_LD = ['name', 'url'];
export const FIELD_READS: FieldReads = {
  Workshop: {
    dateRange: { '': ['startDate', 'endDate'] },
    timezone: { '': ['timezone'] },
    phase: { '': ['startDate', 'endDate', 'timezone'] },
    participation: { '': ['participation'] },
    calendarUrl: { '': ['slug'] },
    jsonLd: {
      '': ['title', 'slug', 'startDate', 'endDate', 'summary', 'overview'],
      'organizers.person': CREDITED_IN_JSON_LD,
      'organizers.affiliation': AFFILIATION_IN_JSON_LD,
      'speakers.person': CREDITED_IN_JSON_LD,
      'speakers.affiliation': AFFILIATION_IN_JSON_LD,
      sponsors: ['name', 'acronym', 'url'],
      series: ['name', 'slug'],
      venue: ['*'],
    },
  },
  ComponentWorkshopParticipant: { credit: { person: ['name'], affiliation: ['name'] } },
};

type Credit = { person: Row | null; affiliation: Row | null };

/** A participant's person and affiliation, as credited on one workshop. */
const creditOf = (loaders: RequestLoaders, participant: Row): MaybePromise<Credit> =>
  whenReady(
    whenAllReady([loaders.related('workshop.participant', 'person', participant), loaders.related('workshop.participant', 'affiliation', participant)]),
    ([person, affiliation]) => ({ person: person as Row | null, affiliation: affiliation as Row | null })
  );
const creditLine = ({ person, affiliation }: Credit) => (!person ? '' : affiliation ? `${person.name} (${affiliation.name})` : person.name);

export const resolvers = (strapi: Core.Strapi) => {
  const SERIES = 'api::workshop-series.workshop-series';
  let seriesWorkshops: Resolver | undefined;
  let seriesWorkshopsConnection: Resolver | undefined;
  const loaders = (context: object) => loadersOf(strapi, context);
  const timezoneOf = (workshop: Row, context: object): MaybePromise<string> =>
    workshop.timezone || whenReady(loaders(context).institute(), (institute) => institute?.timezone || 'America/Los_Angeles');

  const credits = (workshop: Row, field: 'organizers' | 'speakers', context: object) =>
    whenReady(loaders(context).related(WORKSHOP, field, workshop), (participants) =>
      whenReady(whenAllReady((participants as Row[]).map((participant) => creditOf(loaders(context), participant))), (credited) =>
        credited.filter((credit): credit is { person: Row; affiliation: Row | null } => credit.person !== null)
      )
    );

  return {
    Query: {
      // The published row, everything its page shows and the Institute it falls back on, in one
      // statement (the Document Service would add a transaction and middlewares that do nothing
      // for a published read); of each row, only the attributes the query reads.
      workshopBySlug: async (_parent: unknown, { slug }: { slug: string }, context: Context, info: GraphQLResolveInfo) => {
        const attributes = attributesAskedBelow(info, WORKSHOP_PAGE, FIELD_READS);
        const [[workshop], institute] = await loadRelationTrees(strapi, [
          { uid: WORKSHOP, where: { slug, publishedAt: NOT_NULL }, tree: WORKSHOP_PAGE, limit: 1, attributes },
          INSTITUTE_QUERY,
        ]);
        loaders(context).primeInstitute(institute);
        return workshop ? loaders(context).prime(workshop) : null;
      },

      personBySlug: async (_parent: unknown, { slug }: { slug: string }, context: Context) => {
        const [found] = await loadRelationTree(strapi, 'api::person.person', { slug }, { affiliation: {} }, { limit: 1 });
        if (!found) return null;
        const person = loaders(context).prime(found);
        const appearances = await loaders(context).appearances.load(person.id);
        return appearances.length > 0 ? person : null;
      },

      workshopSeriesBySlug: async (_parent: unknown, { slug }: { slug: string }, context: Context) => {
        const [found] = await loadRelationTree(strapi, SERIES, { slug }, { sponsor: {} }, { limit: 1 });
        if (!found) return null;
        const series = loaders(context).prime(found);
        const workshops = await loaders(context).seriesWorkshops.load(series.id);
        return workshops.length > 0 ? series : null;
      },
    },

    Mutation: {
      prepareNextWorkshopEdition: (_parent: unknown, { documentId, ...options }: { documentId: string } & Record<string, unknown>) =>
        prepareNextEdition(strapi, documentId, readNextEditionOptions(options)),
    },

    Workshop: {
      dateRange: (workshop: Row) => formatDateRange(workshop.startDate, workshop.endDate),
      timezone: (workshop: Row, _args: unknown, context: object) => timezoneOf(workshop, context),
      phase: (workshop: Row, _args: unknown, context: object) =>
        whenReady(timezoneOf(workshop, context), (timezone) => phaseOf(workshop.startDate, workshop.endDate, timezone)),
      participation: (workshop: Row, _args: unknown, context: object) =>
        hasContent(workshop.participation)
          ? workshop.participation
          : whenReady(loaders(context).institute(), (institute) => institute?.defaultParticipation ?? null),
      calendarUrl: (workshop: Row, _args: unknown, context: Context) =>
        serverOrigin(strapi, context.koaContext.request.origin) + workshopCalendarPath(workshop.slug),
      jsonLd: (workshop: Row, _args: unknown, context: object) => {
        const load = loaders(context);
        const loaded = whenAllReady([
          load.institute(),
          credits(workshop, 'organizers', context),
          credits(workshop, 'speakers', context),
          load.related(WORKSHOP, 'sponsors', workshop),
          load.related(WORKSHOP, 'series', workshop),
          load.related(WORKSHOP, 'venue', workshop),
        ] as const);
        return whenReady(loaded, ([institute, organizers, speakers, sponsors, series, venue]) =>
          workshopJsonLd({
            title: workshop.title,
            startDate: workshop.startDate,
            endDate: workshop.endDate,
            summary: workshop.summary,
            overview: workshop.overview,
            pageUrl: workshopPageUrl(strapi, institute?.url, workshop.slug),
            venue: (venue ?? institute?.venue ?? null) as never,
            organizers: organizers as never,
            speakers: speakers as never,
            sponsors: sponsors as never,
            series: series as never,
            institute: institute as never,
          })
        );
      },
    },

    ComponentWorkshopParticipant: {
      credit: (participant: Row, _args: unknown, context: object) => whenReady(creditOf(loaders(context), participant), creditLine),
    },

    Person: {
      appearances: (person: Row, _args: unknown, context: object) => loaders(context).appearances.load(person.id),
    },

    // Series are not drafted but their workshops are: only published ones, whatever the arguments.
    WorkshopSeries: {
      workshops: (series: Row, args: Record<string, unknown>, context: object, info: unknown) => {
        if (!hasArguments(args)) return loaders(context).seriesWorkshops.load(series.id);
        seriesWorkshops ??= strapiRelationResolver(strapi, SERIES, 'workshops');
        return seriesWorkshops(series, { ...args, status: 'published' }, context, info);
      },
      workshops_connection: (series: Row, args: Record<string, unknown>, context: object, info: unknown) => {
        seriesWorkshopsConnection ??= strapiRelationResolver(strapi, SERIES, 'workshops', { connection: true });
        return seriesWorkshopsConnection(series, { ...args, status: 'published' }, context, info);
      },
    },
  };
};

/** Who may call our additions: the same read permission as the shadow CRUD query they extend. */
export const resolversConfig = {
  'Query.workshopBySlug': { auth: { scope: ['api::workshop.workshop.find'] } },
  'Query.personBySlug': { auth: { scope: ['api::person.person.find'] } },
  'Query.workshopSeriesBySlug': { auth: { scope: ['api::workshop-series.workshop-series.find'] } },
  'Person.appearances': { auth: { scope: ['api::workshop.workshop.find'] } },
  'Mutation.prepareNextWorkshopEdition': { auth: { scope: ['api::workshop.next-edition.prepare'] } },
};
