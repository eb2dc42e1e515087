import type { Core } from '@strapi/strapi';
import { aliasOwner } from './aliases';
import type { SluggedUid } from './models';

/**
 * `base`, or `base-2`, `base-3`, ... : the first that no other document of the type uses, as
 * its slug (drafts included) or as a former slug.
 */
export const freeSlug = async (strapi: Core.Strapi, uid: SluggedUid, base: string, exceptDocumentId?: string): Promise<string> => {
  const others = exceptDocumentId ? { documentId: { $ne: exceptDocumentId } } : {};
  const rows = (await strapi.db.query(uid).findMany({ where: { slug: { $startsWith: base }, ...others }, select: ['slug'] })) as Array<{ slug: string }>;
  const taken = new Set(rows.map((row) => row.slug));
  for (let n = 1; ; n += 1) {
    const candidate = n === 1 ? base : `${base}-${n}`;
    if (!taken.has(candidate) && !(await aliasOwner(strapi, uid, candidate, exceptDocumentId))) return candidate;
  }
};
