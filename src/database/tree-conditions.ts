/**
 * In a relation-tree `where` on `id` (src/database/relation-tree.ts): the row links, through one
 * of `paths` (relations and components, e.g. 'speakers.person'), to one of the documents whose
 * `attribute` (their documentId unless said) is among `values`, e.g. a person's workshops:
 * `{ id: linkedTo(['organizers.person', 'speakers.person'], [documentId]) }`, or those of the
 * person with a slug: `linkedTo(paths, [slug], 'slug')`. Here, apart, so that src/public-changes
 * can key such a read without importing the statement builder.
 */
export const linkedTo = (paths: readonly string[], values: readonly string[], attribute: 'documentId' | 'slug' = 'documentId') => ({ paths, values, attribute });
export type LinkedTo = ReturnType<typeof linkedTo>;

export const isLinkedTo = (value: unknown): value is LinkedTo => typeof value === 'object' && value !== null && 'paths' in value && 'values' in value;
