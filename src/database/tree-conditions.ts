/**
 * In a relation-tree `where` on `id` (src/database/relation-tree.ts): the row links, through one
 * of `paths` (relations and components, e.g. 'speakers.person'), to one of the documents
 * `documentIds` names, e.g. a person's workshops:
 * `{ id: linkedTo(['organizers.person', 'speakers.person'], [documentId]) }`. Here, apart, so that
 * src/public-changes can key such a read without importing the statement builder.
 */
export const linkedTo = (paths: readonly string[], documentIds: readonly string[]) => ({ paths, documentIds });
export type LinkedTo = ReturnType<typeof linkedTo>;

export const isLinkedTo = (value: unknown): value is LinkedTo => typeof value === 'object' && value !== null && 'paths' in value && 'documentIds' in value;
