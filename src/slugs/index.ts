import type { Core, UID } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { aliasOwner, keepFormerSlug } from './aliases';
import { freeSlug } from './free-slug';
import { ALIASED, isSlugged, slugSourceOf, type SluggedUid } from './models';
import { slugify } from './slugify';

type Data = Record<string, unknown>;
type Params = { documentId?: string; data?: Data };
type Row = { id: number; documentId: string; slug?: string | null; publishedAt?: string | null; slugAliases?: unknown; [field: string]: unknown };

const ACTIONS = new Set(['create', 'update', 'clone', 'publish', 'unpublish']);
const isBlank = (value: unknown) => value === undefined || value === null || (typeof value === 'string' && value.trim() === '');

const refuse = (message: string): never => {
  throw new errors.ValidationError(message, { errors: [{ path: ['slug'], message, name: 'ValidationError', value: null }] });
};

/**
 * Slugs write themselves, and old ones stay aliases, for every way in (admin UI, REST, GraphQL,
 * imports): a Document Service middleware, which runs before Strapi validates the data, so a
 * save without a slug gets one from the title or name (unique: `-2`, `-3`, ... when taken)
 * rather than "slug must be defined". A slug then changes only when someone changes it. For
 * workshops and people, the slug the public saw is kept as an alias when it is replaced
 * (src/slugs/aliases.ts), and no document may take another's alias.
 */
export const registerSlugs = (strapi: Core.Strapi) => {
  const draftAndPublish = (uid: SluggedUid) => Boolean(strapi.getModel(uid as UID.ContentType).options?.draftAndPublish);

  const rowsOf = async (uid: SluggedUid, documentId: string): Promise<Row[]> =>
    strapi.db.query(uid).findMany({
      where: { documentId },
      select: ['id', 'documentId', 'slug', 'publishedAt', slugSourceOf(strapi, uid), ...(ALIASED.has(uid) ? ['slugAliases'] : [])],
    });
  /** The row staff edit (a workshop's draft) and the row the public reads (its published one). */
  const editedRow = (uid: SluggedUid, rows: Row[]) => (draftAndPublish(uid) ? rows.find((row) => !row.publishedAt) : rows[0]) ?? rows[0];
  const publicRow = (uid: SluggedUid, rows: Row[]) => (draftAndPublish(uid) ? rows.find((row) => row.publishedAt) : rows[0]);

  const slugFrom = async (uid: SluggedUid, source: unknown, documentId?: string) => {
    const base = slugify(String(source));
    if (!base) refuse(`No page address can be made from "${String(source)}": write a slug with letters or digits.`);
    return freeSlug(strapi, uid, base, documentId);
  };

  /** Fills a missing slug, and refuses one that is another document's alias. */
  const prepareData = async (uid: SluggedUid, action: string, data: Data, stored: Row | undefined, documentId: string | undefined) => {
    const source = slugSourceOf(strapi, uid);
    const sourceValue = isBlank(data[source]) ? stored?.[source] : data[source];
    // Only this module writes aliases; a clone starts without any.
    if (ALIASED.has(uid)) {
      if (action === 'clone') data.slugAliases = null;
      else delete data.slugAliases;
    }
    const ownDocument = action === 'clone' ? undefined : documentId;
    const missing = action === 'update' ? ('slug' in data ? isBlank(data.slug) : isBlank(stored?.slug)) : isBlank(data.slug);
    if (missing) {
      // Without a title or name, Strapi's own "must be defined" names the field to fill.
      if (!isBlank(sourceValue)) data.slug = await slugFrom(uid, sourceValue, ownDocument);
      return;
    }
    if (typeof data.slug !== 'string' || data.slug === stored?.slug) return;
    const owner = await aliasOwner(strapi, uid, data.slug, ownDocument);
    if (owner) {
      const kind = uid === 'api::workshop.workshop' ? 'workshop' : 'person';
      refuse(`"${data.slug}" is a former page address of another ${kind} ("${owner.label}") and still leads there: choose another slug.`);
    }
  };

  strapi.documents.use(async (context, next) => {
    const { uid, action } = context;
    if (!isSlugged(uid) || !ACTIONS.has(action)) return next();
    const params = context.params as Params;

    return strapi.db.transaction(async () => {
      const rows = params.documentId ? await rowsOf(uid, params.documentId) : [];
      if (params.data && action !== 'publish' && action !== 'unpublish') {
        await prepareData(uid, action, params.data, editedRow(uid, rows), params.documentId);
      }
      if (!ALIASED.has(uid) || action === 'clone') return next();

      const before = publicRow(uid, rows);
      const result = await next();
      const documentId = params.documentId ?? (result as { documentId?: string } | null)?.documentId;
      // A new document has no former slug; any other save may have replaced the public one.
      if (documentId && (before || (action !== 'create' && action !== 'unpublish'))) {
        await keepFormerSlug(strapi, uid, documentId, before, publicRow(uid, await rowsOf(uid, documentId)));
      }
      return result;
    });
  });
};
