import type { Core, UID } from '@strapi/strapi';
import { getNamedType, isObjectType, type FieldNode, type GraphQLResolveInfo } from 'graphql';
import { contentTypes } from '@strapi/utils';
import { contentApiRequestState, policedReadParams, type RequestState } from '../access/published-only';
import { constant, loadRelationTree, type AttributeSelection, type RelationTree } from '../database/relation-tree';
import { relationsAsked, type Resolver } from './batched-relations';
import { loadersOf, type Row } from './loaders';
import { attributesSelected, fieldsSelected, type FieldReads } from './selections';

/** Arguments that select among drafts (staff only): Strapi's own resolver answers those. */
const PUBLICATION_ARGUMENTS = ['publicationFilter', 'hasPublishedVersion'];

interface Asked {
  /** The relations and attributes the nodes' selection reads (see attributesSelected). */
  tree: RelationTree;
  attributes: AttributeSelection;
  pageInfo: boolean;
}
type Pagination = { total: number; page: number; pageSize: number; pageCount: number };

/** Strapi's pageInfo of `total` rows for `start` and `limit` (its resolvePagination, less the count). */
const paginationOf = (total: number, { start, limit }: { start: number; limit: number }): Pagination => {
  const safeLimit = Math.max(limit, 1);
  return {
    total,
    page: limit === -1 ? safeLimit : Math.floor(start / safeLimit) + 1,
    pageSize: limit === -1 ? total - start : safeLimit,
    pageCount: limit === -1 ? safeLimit : Math.ceil(total / safeLimit),
  };
};

/**
 * What the Document Service hands Strapi's query layer for a read of `params` (already policed:
 * src/access/published-only.ts), less its transaction: the query-params transform, and the
 * status as a condition on publishedAt. Only for types without locales (the Document Service
 * also adds a locale condition to those).
 */
const queryLayerRead = (strapi: Core.Strapi, uid: UID.ContentType, { status, ...params }: Record<string, unknown>) => {
  const contentType = strapi.getModel(uid);
  if ((contentType.pluginOptions as { i18n?: { localized?: boolean } } | undefined)?.i18n?.localized) throw new Error(`${uid} has locales: read it through the Document Service`);
  const query = strapi.get('query-params').transform(uid, params) as { where?: Record<string, unknown> } & Record<string, unknown>;
  const lookup = contentTypes.hasDraftAndPublish(contentType) ? { publishedAt: status === 'draft' ? { $null: true } : { $notNull: true } } : {};
  return { ...query, where: { ...lookup, ...query.where } };
};

/**
 * Strapi's `<plural>_connection` query with Strapi's filters, sort and pagination, the same
 * validation and sanitizing and the same access policy as a Document Service read (src/access),
 * for less: Strapi validates and sanitizes the arguments twice (nodes, then pageInfo), reads whole
 * rows (a workshop's rich text overview, participation, ...) and converts and copies them, in
 * two transactions (BEGIN and COMMIT are statements too); then the nodes' relations load in a
 * statement of their own. Here the arguments are checked and policed once; Strapi's query layer
 * reads the page's ids and, when pageInfo is asked, the count, side by side and outside a
 * transaction (on PostgreSQL, at READ COMMITTED, the two statements of one would not share a
 * snapshot either); one relation-tree statement then loads the nodes with the relations below
 * them, only the attributes the query reads (`reads`: those its computed fields read). A query
 * with a publication argument (staff) is Strapi's own.
 */
export const connectionOfFieldsAsked = (strapi: Core.Strapi, uid: UID.ContentType, reads: FieldReads): Resolver => {
  const graphql = strapi.plugin('graphql');
  const contentType = strapi.getModel(uid);
  /** Per place in a document (its first field node). */
  const askedAt = new WeakMap<FieldNode, Asked>();
  const askedOf = (info: GraphQLResolveInfo): Asked => {
    let asked = askedAt.get(info.fieldNodes[0]);
    if (!asked) {
      const selected = fieldsSelected(
        info.fieldNodes.flatMap(({ selectionSet }) => (selectionSet ? [selectionSet] : [])),
        info.fragments
      );
      const sets = (selected.get('nodes') ?? []).flatMap(({ selectionSet }) => (selectionSet ? [selectionSet] : []));
      const connection = getNamedType(info.returnType);
      const nodeType = isObjectType(connection) ? getNamedType(connection.getFields().nodes.type) : undefined;
      const tree = nodeType && isObjectType(nodeType) ? relationsAsked(nodeType, sets, info.fragments) : {};
      const attributes = nodeType ? attributesSelected(nodeType, sets, info.fragments, tree, reads) : {};
      asked = { tree: constant(tree), attributes: constant(attributes), pageInfo: selected.has('pageInfo') };
      askedAt.set(info.fieldNodes[0], asked);
    }
    return asked;
  };

  const strapiConnection: Resolver = async (parent, args, context) => {
    const transformedArgs = graphql.service('builders').utils.transformArgs(args, { contentType, usePagination: true });
    const { findMany } = graphql.service('builders').get('content-api').buildQueriesResolvers({ contentType });
    const nodes = await findMany(parent, transformedArgs, context);
    return graphql.service('format').returnTypes.toEntityResponseCollection(nodes, { args: transformedArgs, resourceUID: uid });
  };

  return async (parent, args, context, info) => {
    if (PUBLICATION_ARGUMENTS.some((name) => args[name] !== undefined && args[name] !== null)) return strapiConnection(parent, args, context, info);
    const auth = (context as { state?: { auth?: unknown } }).state?.auth;
    const query = graphql.service('builders').utils.transformArgs(args, { contentType, usePagination: true });
    await strapi.contentAPI.validate.query(query, contentType, { auth });
    const { status, ...sanitized } = (await strapi.contentAPI.sanitize.query(query, contentType, { auth })) as Record<string, unknown>;
    const state = contentApiRequestState(strapi) ?? { auth: auth as RequestState['auth'] };
    const params = await policedReadParams(strapi, uid, { ...sanitized, status: status ?? 'published' }, state);
    const { tree, attributes, pageInfo } = askedOf(info as GraphQLResolveInfo);
    const read = queryLayerRead(strapi, uid, params);
    const [page, total] = await Promise.all([
      strapi.db.query(uid).findMany({ ...read, select: ['id'] }) as Promise<Row[]>,
      pageInfo ? strapi.db.query(uid).count({ where: read.where }) : undefined,
    ]);
    const ids = page.map(({ id }) => id);
    const loaded = ids.length > 0 ? await loadRelationTree(strapi, uid, { id: ids }, tree, { attributes }) : [];
    // The statement gives id order; the page's is its sort.
    const loaders = loadersOf(strapi, context);
    const byId = new Map(loaded.map((node) => [node.row.id, node]));
    const nodes = ids.flatMap((id) => {
      const node = byId.get(id);
      return node ? [loaders.prime(node)] : [];
    });
    return {
      nodes,
      info: { args: query, resourceUID: uid },
      pageInfo: total === undefined ? undefined : paginationOf(total, query as { start: number; limit: number }),
    };
  };
};

/**
 * The pageInfo of a connection: counted with its nodes (connectionOfFieldsAsked), or by Strapi's
 * own resolver.
 */
export const connectionPageInfo =
  (strapi: Core.Strapi): Resolver =>
  (parent, args, context, info) =>
    (parent as { pageInfo?: Pagination }).pageInfo ??
    strapi.plugin('graphql').service('builders').get('content-api').resolvePagination(parent, args, context, info);
