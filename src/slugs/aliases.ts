import type { Core } from '@strapi/strapi';
import { ALIASED, slugSourceOf, type SluggedUid } from './models';

/**
 * Former slugs are kept in `slugAliases`, a private JSON list on every row of the document (a
 * workshop's draft and published rows alike): never in an API answer, shown read-only to staff
 * in the edit view, written only here.
 */
export const aliasesOf = (row: { slugAliases?: unknown } | null | undefined): string[] =>
  Array.isArray(row?.slugAliases) ? row.slugAliases.filter((alias): alias is string => typeof alias === 'string') : [];

/**
 * The document (other than `exceptDocumentId`) that has `slug` as a former slug, with its title
 * or name. For saves: through Strapi's query layer, inside their transaction; few documents
 * have aliases, so they are read whole. Public lookups match in SQL (src/graphql/resolvers.ts).
 */
export const aliasOwner = async (strapi: Core.Strapi, uid: SluggedUid, slug: string, exceptDocumentId?: string) => {
  if (!ALIASED.has(uid)) return undefined;
  const source = slugSourceOf(strapi, uid);
  const rows = (await strapi.db.query(uid).findMany({
    where: { slugAliases: { $notNull: true }, ...(exceptDocumentId ? { documentId: { $ne: exceptDocumentId } } : {}) },
    select: ['documentId', 'slugAliases', source],
  })) as Array<{ documentId: string; slugAliases: unknown; [field: string]: unknown }>;
  const owner = rows.find((row) => aliasesOf(row).includes(slug));
  return owner && { documentId: owner.documentId, label: String(owner[source] ?? '') };
};

type SlugRow = { slug?: string | null; slugAliases?: unknown };

/**
 * After a save, when the slug the public sees changed, the one it replaced becomes an alias,
 * and a slug taken back stops being one. `before` and `after` are the public rows (a workshop's
 * published row, another type's only row) before and after the save: a workshop's draft slug
 * becomes nothing until it is published, and an unpublished workshop keeps its published slug
 * for when it is published again.
 */
export const keepFormerSlug = async (strapi: Core.Strapi, uid: SluggedUid, documentId: string, before?: SlugRow, after?: SlugRow) => {
  const replaced = before?.slug && before.slug !== after?.slug ? [before.slug] : [];
  const aliases = [...new Set([...aliasesOf(before), ...aliasesOf(after), ...replaced])].filter((alias) => alias !== after?.slug);
  const stored = aliasesOf(after ?? before);
  if (aliases.length === stored.length && aliases.every((alias, index) => alias === stored[index])) return;
  await strapi.db.query(uid).updateMany({ where: { documentId }, data: { slugAliases: aliases.length > 0 ? aliases : null } });
};
