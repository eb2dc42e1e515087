/**
 * What anonymous clients and read-only tokens may filter, sort, search and populate on, per
 * model: what published pages need (slugs, names, dates, a workshop's series, sponsors and
 * people), and nothing that exists for staff (texts, links, timestamps, private fields, the
 * media library). Staff and full-access tokens keep Strapi's full query language.
 *
 * Adding a field here makes it part of the public API: a front end may come to rely on it.
 */
export interface PublicQueryFields {
  /** Attributes a filter may compare, and relations or components it may follow. */
  filter?: string[];
  /** Attributes of this model (never paths through relations) a list may be sorted by. */
  sort?: string[];
  /** Attributes REST's `_q` looks in, case-insensitively. */
  search?: string[];
  /** Relations, components and media a REST `populate` may load. */
  populate?: string[];
}

export const PUBLIC_QUERY_FIELDS: Record<string, PublicQueryFields> = {
  'api::workshop.workshop': {
    filter: ['documentId', 'slug', 'title', 'startDate', 'endDate', 'series', 'sponsors', 'organizers', 'speakers'],
    sort: ['title', 'slug', 'startDate', 'endDate'],
    search: ['title', 'summary'],
    populate: ['series', 'sponsors', 'organizers', 'speakers', 'talks', 'posterSession', 'venue'],
  },
  'workshop.participant': { filter: ['person', 'affiliation'], populate: ['person', 'affiliation'] },
  'workshop.talk': { populate: ['speakers'] },
  'api::person.person': {
    filter: ['documentId', 'slug', 'name', 'familyName', 'affiliation'],
    sort: ['name', 'familyName', 'slug'],
    search: ['name'],
    populate: ['affiliation', 'photo'],
  },
  'api::organization.organization': {
    filter: ['documentId', 'slug', 'name', 'shortName', 'kind', 'country'],
    sort: ['name', 'shortName', 'slug'],
    search: ['name', 'shortName'],
  },
  'api::sponsor.sponsor': {
    filter: ['documentId', 'slug', 'name', 'acronym'],
    sort: ['name', 'acronym', 'slug'],
    search: ['name', 'acronym'],
    populate: ['logo'],
  },
  'api::workshop-series.workshop-series': {
    // `workshops` reaches drafts too (a series has no draft of its own): every hop into it is
    // restricted to published workshops (see src/access/filter-policy.ts).
    filter: ['documentId', 'slug', 'name', 'sponsor', 'workshops'],
    sort: ['name', 'slug'],
    search: ['name'],
    populate: ['sponsor', 'workshops'],
  },
  'api::institute.institute': { populate: ['venue'] },
};
