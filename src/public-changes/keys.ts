import type { Core, UID } from '@strapi/strapi';

/**
 * The keys an answer is cached and purged by, and a change invalidates:
 * - a document key per document an answer shows: its documentId (24 random characters, unique
 *   across types, so the type need not be part of it);
 * - a list key per type (its plural name, e.g. `workshops`, `people`; a single type's singular
 *   name, `institute`; media files `files`), recorded by every answer whose set of documents of
 *   that type could change (lists, counts, filters, a lookup that found nothing) and bumped by
 *   every public change of a document of that type;
 * - a linked-list key per type and document (`workshops@<documentId>`, linkedListKey), recorded
 *   instead of the list key by a read of the documents linked to named documents (a person's
 *   workshops) and bumped by every public change of a document of that type for each document
 *   it is linked to, before and after the write: a publish misses the pages of the people on
 *   that workshop, not every person's page;
 * - PUBLIC_IDS_KEY: the set of people, organizations, sponsors and series published workshops
 *   show (src/access/public-documents.ts), recorded by every read of those types as such (which
 *   the set filters) and bumped by the writes that may change it. Not their list keys: an
 *   answer that names its people by document (or by their list key, past MAX_DOCUMENT_KEYS)
 *   does not change when a workshop is published.
 */
export const PUBLIC_IDS_KEY = 'public-ids';

/** Content types of the server's own bookkeeping, never shown to public readers (the webhook outbox). */
const INTERNAL_TYPES = new Set(['api::webhook-delivery.webhook-delivery']);

/** Types whose documents public answers show (content types and media files). */
export const isShownType = (uid: string) => (uid.startsWith('api::') && !INTERNAL_TYPES.has(uid)) || uid === 'plugin::upload.file';

export const listKey = (strapi: Core.Strapi, uid: string): string => {
  const model = strapi.getModel(uid as UID.Schema) as { kind?: string; info?: { pluralName?: string; singularName?: string } } | undefined;
  const name = model?.kind === 'singleType' ? model.info?.singularName : model?.info?.pluralName;
  return name ?? uid.replace(/[^A-Za-z0-9]+/g, '-');
};

/** The key of the answers that list documents of type `uid` linked to document `documentId`. */
export const linkedListKey = (strapi: Core.Strapi, uid: string, documentId: string): string => `${listKey(strapi, uid)}@${documentId}`;

/** Beyond this many document keys, an answer is named by the list keys of its most numerous types. */
export const MAX_DOCUMENT_KEYS = 100;

/**
 * What one answer shows, as it is computed: documents per type and the types whose lists it
 * depends on. `keys()` bounds the result: a list of 1,000 workshops is named `workshops`, not by
 * 1,000 documentIds. That stays exact because every public change of a document also bumps its
 * type's list key.
 */
export class ShownKeys {
  private readonly documents = new Map<string, Set<string>>();
  private readonly lists = new Set<string>();
  /** Keys given whole (an answer taken from the cache). */
  private readonly given = new Set<string>();

  constructor(private readonly listKeyOf: (uid: string) => string) {}

  document(uid: string, documentId: unknown) {
    if (typeof documentId !== 'string' || !documentId) return;
    let ids = this.documents.get(uid);
    if (!ids) this.documents.set(uid, (ids = new Set()));
    ids.add(documentId);
  }

  list(uid: string) {
    this.lists.add(this.listKeyOf(uid));
  }

  addKeys(keys: Iterable<string>) {
    for (const key of keys) this.given.add(key);
  }

  keys(max = MAX_DOCUMENT_KEYS): string[] {
    const lists = new Set([...this.lists, ...this.given]);
    const byType = [...this.documents].sort(([, a], [, b]) => a.size - b.size);
    let total = byType.reduce((sum, [, ids]) => sum + ids.size, 0);
    // Fold the most numerous types into their list keys until the rest fits.
    while (total > max && byType.length) {
      const [uid, ids] = byType.pop()!;
      lists.add(this.listKeyOf(uid));
      total -= ids.size;
    }
    const documents = byType.flatMap(([, ids]) => [...ids]);
    return [...new Set([...lists, ...documents])];
  }
}

export const shownKeysFor = (strapi: Core.Strapi) => new ShownKeys((uid) => listKey(strapi, uid));
