/**
 * How much work one content-API query may ask of the database, whoever asks. Strapi filters
 * through a relation with a chain of joins, a new chain for every time a filter names it, and
 * a relation that holds many (a workshop's speakers, a series' workshops) multiplies the rows
 * of every chain beside it: three `speakers.person` conditions under `$or` were 15³ rows per
 * workshop, 17 s on SQLite (bench/README.md, hostile requests), whose synchronous driver stops
 * every other request meanwhile. The bounds sit above what the contract and the front ends'
 * lists need (a few conditions; one relation such as `speakers.person` or `series`).
 */
export const QUERY_BOUNDS = {
  /** Comparisons (`title $eq ...`) in one filter, all branches together. */
  conditions: 20,
  /** `$and` / `$or` / `$not` inside one another. */
  nesting: 5,
  /** Relations and components one filter follows, each time it names one (`speakers.person` is 2). */
  relations: 3,
  /** Of those, relations and components that hold many. */
  manyRelations: 1,
  /** Relations a public reader's `populate` loads, one inside another; a component (speakers) does not count, its relations (speakers.person) do. */
  populateDepth: 2,
  /** Values of one `$in` / `$notIn`. */
  listValues: 100,
  /** Characters of one compared value or search. */
  valueLength: 200,
  /** Entries of one sort. */
  sorts: 5,
  /** Rows a page may start after (SQLite refuses an offset past 64 bits with a 500). */
  offset: 100_000,
} as const;
