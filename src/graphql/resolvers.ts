import type { Core } from '@strapi/strapi';
import { getNamedType, isObjectType, type FieldNode, type GraphQLOutputType, type GraphQLResolveInfo } from 'graphql';
import { constant, holding, linkedTo, loadRelationTree, loadRelationTrees, NOT_NULL, type RelationTree } from '../database/relation-tree';
import { prepareNextEdition, readNextEditionOptions } from '../editions/next-edition';
import { printedCredit } from '../participant-labels';
import { formatDateRange } from '../workshops/date-range';
import { phaseOf } from '../workshops/phase';
import { instituteTimezone } from '../workshops/timezone';
import { workshopJsonLd } from '../workshops/json-ld';
import { serverOrigin, workshopCalendarPath, workshopPageUrl } from '../workshops/links';
import { absoluteFileUrl, formatsWithAbsoluteUrls, imageFormats } from '../media/file-urls';
import { APPEARING_AS, appearanceReads, appearancesQuery, INSTITUTE_QUERY, loadersOf, PARTICIPANTS, type AppearanceReads, type RequestLoaders, type Row } from './loaders';
import { hasArguments, strapiRelationResolver, type Resolver } from './batched-relations';
import { connectionOfFieldsAsked, connectionPageInfo } from './connections';
import { whenAllReady, whenReady, type MaybePromise } from './maybe-promise';
import { attributesAskedBelow, attributesSelected, fieldsSelected, type FieldReads } from './selections';

type Context = { state: { auth?: unknown } };

const WORKSHOP = 'api::workshop.workshop';
const PERSON = 'api::person.person';
/** Participants as a page shows them: with their people's photos. */
const PAGE_PARTICIPANTS: RelationTree = { ...PARTICIPANTS, person: { photo: {} } };
/** Everything a workshop page shows, loaded with the workshop in one statement. */
export const WORKSHOP_PAGE: RelationTree = constant({
  organizers: PAGE_PARTICIPANTS,
  speakers: PAGE_PARTICIPANTS,
  talks: { speakers: {} },
  posterSession: {},
  venue: {},
  sponsors: { logo: {} },
  series: { sponsor: { logo: {} } },
});
/** A person's page: their affiliation and photo, with the person. */
const PERSON_PAGE: RelationTree = constant({ affiliation: {}, photo: {} });
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
  UploadFile: { imageFormats: { '': ['formats'] } },
};

/** The rows an appearance shows, as places of a tree for attributesSelected. */
const APPEARANCE_PLACES: RelationTree = constant({ workshop: {}, affiliation: {} });
/** Per place in a document (its first `appearances` field node): what they read. */
const appearanceReadsAt = new WeakMap<FieldNode, AppearanceReads>();
/** What `appearances` fields (their nodes, of type `type`) read of workshops and affiliations. */
const appearanceReadsOf = (nodes: readonly FieldNode[], type: GraphQLOutputType, fragments: GraphQLResolveInfo['fragments']): AppearanceReads => {
  let reads = appearanceReadsAt.get(nodes[0]);
  if (!reads) {
    const sets = nodes.flatMap(({ selectionSet }) => (selectionSet ? [selectionSet] : []));
    const selected = attributesSelected(getNamedType(type), sets, fragments, APPEARANCE_PLACES, FIELD_READS);
    reads = appearanceReads(selected.workshop, selected.affiliation);
    appearanceReadsAt.set(nodes[0], reads);
  }
  return reads;
};
/** Whether a person has appearances, when the query does not ask what they are. */
const ANY_APPEARANCE = appearanceReads([], []);

type Credit = { person: Row | null; affiliation: Row | null };

/** A participant's person and affiliation, as credited on one workshop. */
const creditOf = (loaders: RequestLoaders, participant: Row): MaybePromise<Credit> =>
  whenReady(
    whenAllReady([loaders.related('workshop.participant', 'person', participant), loaders.related('workshop.participant', 'affiliation', participant)]),
    ([person, affiliation]) => ({ person: person as Row | null, affiliation: affiliation as Row | null })
  );
const creditLine = ({ person, affiliation }: Credit) => (person ? printedCredit(person.name, affiliation?.name) : '');

export const resolvers = (strapi: Core.Strapi) => {
  const SERIES = 'api::workshop-series.workshop-series';
  let seriesWorkshops: Resolver | undefined;
  let seriesWorkshopsConnection: Resolver | undefined;
  const loaders = (context: object) => loadersOf(strapi, context);
  const timezoneOf = (workshop: Row, context: object): MaybePromise<string> =>
    workshop.timezone || whenReady(loaders(context).institute(), (institute) => instituteTimezone(institute));

  const credits = (workshop: Row, field: 'organizers' | 'speakers', context: object) =>
    whenReady(loaders(context).related(WORKSHOP, field, workshop), (participants) =>
      whenReady(whenAllReady((participants as Row[]).map((participant) => creditOf(loaders(context), participant))), (credited) =>
        credited.filter((credit): credit is { person: Row; affiliation: Row | null } => credit.person !== null)
      )
    );

  return {
    Query: {
      // Lists of workshops (Strapi's filters, sort and pagination), reading only what they show.
      workshops_connection: connectionOfFieldsAsked(strapi, WORKSHOP, FIELD_READS),

      // The published row, everything its page shows and the Institute it falls back on, in one
      // statement (the Document Service would add a transaction and middlewares that do nothing
      // for a published read); of each row, only the attributes the query reads. A former slug
      // of the published row (src/slugs) answers with the workshop, whose `slug` is the current
      // one: one more statement, only when no workshop has the slug now.
      workshopBySlug: async (_parent: unknown, { slug }: { slug: string }, context: Context, info: GraphQLResolveInfo) => {
        const attributes = attributesAskedBelow(info, WORKSHOP_PAGE, FIELD_READS);
        const [[current], institute] = await loadRelationTrees(strapi, [
          { uid: WORKSHOP, where: { slug, publishedAt: NOT_NULL }, tree: WORKSHOP_PAGE, limit: 1, attributes },
          INSTITUTE_QUERY,
        ]);
        loaders(context).primeInstitute(institute);
        const [workshop] = current
          ? [current]
          : await loadRelationTree(strapi, WORKSHOP, { slugAliases: holding(slug), publishedAt: NOT_NULL }, WORKSHOP_PAGE, { limit: 1, attributes });
        return workshop ? loaders(context).prime(workshop) : null;
      },

      // Public while a published workshop shows them: the person with their appearances (what
      // the query asks of them, as Person.appearances then answers) in one statement. A former
      // slug answers as the current one does, with the same embargo: two statements more, only
      // when no person has the slug now.
      personBySlug: async (_parent: unknown, { slug }: { slug: string }, context: Context, info: GraphQLResolveInfo) => {
        const personType = getNamedType(info.returnType);
        const asked = fieldsSelected(info.fieldNodes.flatMap(({ selectionSet }) => (selectionSet ? [selectionSet] : [])), info.fragments).get('appearances');
        const reads = asked && isObjectType(personType) ? appearanceReadsOf(asked, personType.getFields().appearances.type, info.fragments) : ANY_APPEARANCE;
        const [[current], workshops] = await loadRelationTrees(strapi, [
          { uid: PERSON, where: { slug }, tree: PERSON_PAGE, limit: 1 },
          appearancesQuery(linkedTo(APPEARING_AS, [slug], 'slug'), reads),
        ]);
        if (current) {
          const person = loaders(context).prime(current);
          return loaders(context).primeAppearances(reads, String(person.documentId), workshops).length > 0 ? person : null;
        }
        const [former] = await loadRelationTree(strapi, PERSON, { slugAliases: holding(slug) }, PERSON_PAGE, { limit: 1 });
        if (!former) return null;
        const person = loaders(context).prime(former);
        const appearances = await loaders(context).appearances(reads).load(String(person.documentId));
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
      calendarUrl: (workshop: Row) => serverOrigin(strapi) + workshopCalendarPath(workshop.slug),
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

    WorkshopEntityResponseCollection: {
      nodes: (connection: { nodes?: Row[] }) => connection.nodes ?? [],
      pageInfo: connectionPageInfo(strapi),
    },

    ComponentWorkshopParticipant: {
      credit: (participant: Row, _args: unknown, context: object) => whenReady(creditOf(loaders(context), participant), creditLine),
    },

    Person: {
      appearances: (person: Row, _args: unknown, context: object, info: GraphQLResolveInfo) =>
        loaders(context).appearances(appearanceReadsOf(info.fieldNodes, info.returnType, info.fragments)).load(person.documentId!),
    },

    // Files reach public readers only through the documents that show them (Person.photo,
    // Sponsor.logo): with absolute URLs, from PUBLIC_URL.
    UploadFile: {
      url: (file: Row) => absoluteFileUrl(strapi, file.url),
      formats: (file: Row) => formatsWithAbsoluteUrls(strapi, file.formats),
      imageFormats: (file: Row) => imageFormats(strapi, file.formats),
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
  'Query.workshops_connection': { auth: { scope: ['api::workshop.workshop.find'] } },
  'Query.workshopBySlug': { auth: { scope: ['api::workshop.workshop.find'] } },
  'Query.personBySlug': { auth: { scope: ['api::person.person.find'] } },
  'Query.workshopSeriesBySlug': { auth: { scope: ['api::workshop-series.workshop-series.find'] } },
  'Person.appearances': { auth: { scope: ['api::workshop.workshop.find'] } },
  'Mutation.prepareNextWorkshopEdition': { auth: { scope: ['api::workshop.next-edition.prepare'] } },
};
