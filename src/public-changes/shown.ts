import type { Core, UID } from '@strapi/strapi';
import { EMBARGOED } from '../access/public-documents';
import { isLinkedTo } from '../database/tree-conditions';
import { isShownType, linkedListKey, PUBLIC_IDS_KEY, shownKeysFor, type ShownKeys } from './keys';

/** Where a request that may be cached keeps what its answer shows (on Koa's ctx.state). */
const STATE_KEY = 'shownKeys';

type State = { [STATE_KEY]?: ShownKeys };

/** Starts recording what the answer of this request (a Koa context) shows. */
export const recordShown = (strapi: Core.Strapi, ctx: { state: State }): ShownKeys => (ctx.state[STATE_KEY] ??= shownKeysFor(strapi));

/** The recorder of the request being served, if it is one whose answer may be cached. */
const currentShown = (strapi: Core.Strapi): ShownKeys | undefined =>
  (strapi.requestContext.get() as { state?: State } | undefined)?.state?.[STATE_KEY];

type Attribute = { type: string; target?: string; component?: string; components?: string[] };

/** Every document in a value read as `uid` (its relations, components and media, all the way down). */
const collectDocuments = (strapi: Core.Strapi, shown: ShownKeys, uid: string, value: unknown) => {
  if (Array.isArray(value)) return value.forEach((item) => collectDocuments(strapi, shown, uid, item));
  if (typeof value !== 'object' || value === null) return;
  const row = value as Record<string, unknown>;
  if (isShownType(uid)) shown.document(uid, row.documentId);
  const attributes = (strapi.getModel(uid as UID.Schema)?.attributes ?? {}) as Record<string, Attribute>;
  for (const [name, attribute] of Object.entries(attributes)) {
    const below = row[name];
    if (below === undefined || below === null) continue;
    if (attribute.type === 'relation' && attribute.target) collectDocuments(strapi, shown, attribute.target, below);
    else if (attribute.type === 'media') collectDocuments(strapi, shown, 'plugin::upload.file', below);
    else if (attribute.type === 'component' && attribute.component) collectDocuments(strapi, shown, attribute.component, below);
    else if (attribute.type === 'dynamiczone' && Array.isArray(below))
      below.forEach((item) => collectDocuments(strapi, shown, String((item as { __component?: string }).__component), item));
  }
};

const IDENTIFYING = ['documentId', 'id', 'slug'];
const isIdentifyingValue = (value: unknown): boolean =>
  typeof value === 'string' || typeof value === 'number' || (Array.isArray(value) && value.every((v) => typeof v === 'string' || typeof v === 'number'))
    ? true
    : typeof value === 'object' && value !== null && Object.keys(value).length === 1 && ('$eq' in value || '$in' in value)
      ? isIdentifyingValue(Object.values(value)[0])
      : false;

/**
 * Whether a `where` names its documents (by id, documentId or slug, at its top or in an `$and`):
 * then the answer changes only when those documents do. Any other read (a list, a filter, a
 * count) changes when any document of its type does.
 */
export const namesItsDocuments = (where: unknown): boolean => {
  if (typeof where !== 'object' || where === null) return false;
  const conditions = where as Record<string, unknown>;
  if (IDENTIFYING.some((field) => field in conditions && isIdentifyingValue(conditions[field]))) return true;
  return Array.isArray(conditions.$and) && conditions.$and.some(namesItsDocuments);
};

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const documentIdValues = (value: unknown): string[] | undefined => {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.every((v) => typeof v === 'string') ? value : undefined;
  const [operator, ...more] = isObject(value) ? Object.keys(value) : [];
  return !more.length && (operator === '$eq' || operator === '$in') ? documentIdValues((value as Record<string, unknown>)[operator]) : undefined;
};
const namedByDocumentId = (condition: unknown) =>
  isObject(condition) && Object.keys(condition).length === 1 ? documentIdValues(condition.documentId) : undefined;
const attributesOf = (strapi: Core.Strapi, uid: string) => (strapi.getModel(uid as UID.Schema)?.attributes ?? {}) as Record<string, Attribute>;
const PUBLISHED_ONLY = (value: unknown) => isObject(value) && Object.keys(value).length === 1 && value.$notNull === true;

/**
 * The documents a read of published rows is limited to being linked to, when its one other
 * condition is a relation, or a relation inside a component, to documents named by documentId
 * (a person's workshops: `{ publishedAt: { $notNull: true }, speakers: { person: { documentId } } }`).
 * Those are the links a public change announces (changes.ts), so such an answer changes only
 * with the linked-list keys of those documents, not with every document of the type.
 */
export const linkedDocumentsOf = (strapi: Core.Strapi, uid: string, where: unknown): string[] | undefined => {
  if (!isObject(where) || !PUBLISHED_ONLY(where.publishedAt)) return undefined;
  const conditions = Object.entries(where).filter(([name]) => name !== 'publishedAt');
  if (conditions.length !== 1) return undefined;
  const [[name, condition]] = conditions;
  const attribute = attributesOf(strapi, uid)[name];
  if (attribute?.type === 'relation') return namedByDocumentId(condition);
  if (attribute?.type !== 'component' || !attribute.component || !isObject(condition) || Object.keys(condition).length !== 1) return undefined;
  const [[inner, below]] = Object.entries(condition);
  return attributesOf(strapi, attribute.component)[inner]?.type === 'relation' ? namedByDocumentId(below) : undefined;
};

/** What a read of `uid` shows, in the request being recorded. */
const recordRead = (strapi: Core.Strapi, shown: ShownKeys, uid: string, where: unknown, rows: unknown) => {
  collectDocuments(strapi, shown, uid, rows);
  // People, organizations, sponsors and series read as such (not through a published workshop
  // that shows them) are filtered by the public ids, which a workshop publish may change.
  const embargoed = (EMBARGOED as string[]).includes(uid);
  if (embargoed) shown.addKeys([PUBLIC_IDS_KEY]);
  const linked = embargoed ? undefined : linkedDocumentsOf(strapi, uid, where);
  if (linked) return shown.addKeys(linked.map((documentId) => linkedListKey(strapi, uid, documentId)));
  const found = Array.isArray(rows) ? rows.length > 0 : rows !== null && rows !== undefined;
  if (!found || !namesItsDocuments(where) || embargoed) shown.list(uid);
};

/** A row loaded by src/database/relation-tree.ts, with what its relations hold. */
interface TreeRow {
  uid: string;
  row: Record<string, unknown>;
  relations: Record<string, TreeRow | TreeRow[] | null>;
}

const collectTree = (shown: ShownKeys, loaded: TreeRow) => {
  if (isShownType(loaded.uid)) shown.document(loaded.uid, loaded.row.documentId);
  for (const below of Object.values(loaded.relations)) {
    if (Array.isArray(below)) below.forEach((row) => collectTree(shown, row));
    else if (below) collectTree(shown, below);
  }
};

/** The rows at `path` ('speakers.person') below loaded rows. */
const rowsAt = (rows: TreeRow[], [field, ...rest]: string[]): TreeRow[] => {
  const below = rows.flatMap((row) => ([] as Array<TreeRow | null>).concat(row.relations[field] ?? []).filter((item): item is TreeRow => item !== null));
  return rest.length ? rowsAt(below, rest) : below;
};

/**
 * The documents a relation-tree read of published rows is limited to being linked to (its
 * `id: linkedTo(paths, values, attribute)`: a person's workshops), as linkedDocumentsOf finds
 * them in a read through Strapi's query layer. Documents named by another attribute than their
 * documentId (a slug) are those the read found at the end of its paths with that attribute's
 * value loaded; none found, the read is keyed by its type's list.
 */
const linkedDocumentsOfTree = (where: unknown, rows: TreeRow[]): readonly string[] | undefined => {
  if (!isObject(where) || where.publishedAt === undefined || !isLinkedTo(where.id)) return undefined;
  const { paths, values, attribute } = where.id;
  if (attribute === 'documentId') return values;
  const found = new Set(
    paths.flatMap((path) => rowsAt(rows, path.split('.')).filter(({ row }) => values.includes(row[attribute] as string)).map(({ row }) => String(row.documentId)))
  );
  return found.size > 0 ? [...found] : undefined;
};

/** What relation-tree statements (which bypass Strapi's query layer and its lifecycles) loaded. */
export const recordTreeRows = (strapi: Core.Strapi, queries: Array<{ uid: string; where: unknown }>, results: TreeRow[][]) => {
  const shown = currentShown(strapi);
  if (!shown) return;
  queries.forEach(({ uid, where }, index) => {
    results[index].forEach((row) => collectTree(shown, row));
    const linked = linkedDocumentsOfTree(where, results[index]);
    if (linked) shown.addKeys(linked.map((documentId) => linkedListKey(strapi, uid, documentId)));
    else if (!results[index].length || !namesItsDocuments(where)) shown.list(uid);
  });
};

type ReadEvent = { model: { uid: string }; params?: { where?: unknown }; result?: unknown };

/**
 * Records what every read through Strapi's query layer shows (the Document Service reads
 * through it, and so do our `strapi.db.query()` calls): database lifecycles, Strapi's public
 * hook for every query, fire for reads too.
 */
export const registerShownRecording = (strapi: Core.Strapi) => {
  const onRead = ({ model, params, result }: ReadEvent) => {
    const shown = currentShown(strapi);
    if (shown && isShownType(model.uid)) recordRead(strapi, shown, model.uid, params?.where, result);
  };
  strapi.db.lifecycles.subscribe({
    afterFindOne: onRead,
    afterFindMany: onRead,
    afterCount: (event: ReadEvent) => {
      const shown = currentShown(strapi);
      if (shown && isShownType(event.model.uid)) shown.list(event.model.uid);
    },
  } as never);
};
