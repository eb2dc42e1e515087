import type { Core } from '@strapi/strapi';
import { getNamedType, isObjectType, type FieldNode, type GraphQLObjectType, type GraphQLResolveInfo, type SelectionSetNode } from 'graphql';
import type { AttributeSelection, RelationTree } from '../database/relation-tree';
import { attributeOf, loadersOf, type Below, type Row } from './loaders';
import { attributesSelected, fieldsSelected, type FieldReads } from './selections';

/** GraphQL type → [model uid, relation and component fields resolved in batches]. */
const BATCHED_FIELDS: Record<string, [string, string[]]> = {
  Workshop: ['api::workshop.workshop', ['series', 'sponsors', 'organizers', 'speakers', 'talks', 'posterSession', 'venue']],
  ComponentWorkshopParticipant: ['workshop.participant', ['person', 'affiliation']],
  ComponentWorkshopTalk: ['workshop.talk', ['speakers']],
  WorkshopSeries: ['api::workshop-series.workshop-series', ['sponsor']],
  Person: ['api::person.person', ['affiliation', 'photo']],
  Sponsor: ['api::sponsor.sponsor', ['logo']],
  Institute: ['api::institute.institute', ['venue']],
};

export type Resolver = (parent: Row, args: Record<string, unknown>, context: object, info: unknown) => unknown;

/** The batched relations that the selections (of a `type` field) ask for, all the way down. */
export const relationsAsked = (type: GraphQLObjectType, selectionSets: readonly SelectionSetNode[], fragments: GraphQLResolveInfo['fragments']): RelationTree => {
  const batched = BATCHED_FIELDS[type.name]?.[1] ?? [];
  const tree: RelationTree = {};
  for (const [name, nodes] of fieldsSelected(selectionSets, fragments)) {
    if (!batched.includes(name)) continue;
    // With arguments, Strapi's own resolver answers (see batchedRelationResolvers).
    const sets = nodes.flatMap(({ selectionSet, arguments: args }) => (selectionSet && !args?.length ? [selectionSet] : []));
    const target = getNamedType(type.getFields()[name].type);
    if (sets.length > 0 && isObjectType(target)) tree[name] = relationsAsked(target, sets, fragments);
  }
  return tree;
};

/**
 * What the computed fields of the parent's type read below `field` (a workshop's jsonLd reads its
 * organizers' people), added to `attributes`: they read the rows loaded here, and whether the
 * query selects them is not known at this field (they are its siblings). All of them: they are
 * few attributes.
 */
const withParentReads = (attributes: AttributeSelection, parentReads: FieldReads[string] | undefined, field: string): AttributeSelection => {
  const merged = Object.fromEntries(Object.entries(attributes).map(([place, read]) => [place, new Set(read)]));
  for (const places of Object.values(parentReads ?? {})) {
    for (const [place, read] of Object.entries(places)) {
      const below = place === field ? '' : place.startsWith(`${field}.`) ? place.slice(field.length + 1) : undefined;
      if (below === undefined) continue;
      merged[below] ??= new Set();
      for (const attribute of read) merged[below].add(attribute);
    }
  }
  return Object.fromEntries(Object.entries(merged).map(([place, read]) => [place, [...read].sort()]));
};

/**
 * Per place in a document (its first field node): the relations asked below it, and the
 * attributes read of their rows (of the parent row's, only its id), keyed by their JSON.
 */
const askedBelow = new WeakMap<FieldNode, Below>();
const relationsBelow = (info: GraphQLResolveInfo, reads: FieldReads): Below => {
  let below = askedBelow.get(info.fieldNodes[0]);
  if (below === undefined) {
    const type = getNamedType(info.returnType);
    const sets = info.fieldNodes.flatMap(({ selectionSet }) => (selectionSet ? [selectionSet] : []));
    const tree = isObjectType(type) ? relationsAsked(type, sets, info.fragments) : {};
    const attributes = withParentReads(attributesSelected(type, sets, info.fragments, tree, reads), reads[info.parentType.name], info.fieldName);
    below = { tree, attributes, key: JSON.stringify([tree, attributes]) };
    askedBelow.set(info.fieldNodes[0], below);
  }
  return below;
};

/** Whether a client passed filters, sort or pagination (Strapi defaults sort to [] and pagination to {}). */
export const hasArguments = (args: Record<string, unknown>) =>
  Object.values(args).some((value) =>
    Array.isArray(value) ? value.length > 0 : value !== null && typeof value === 'object' ? Object.keys(value).length > 0 : value !== undefined
  );

/**
 * The shadow CRUD's own resolver of a relation or component field, as the plain list or object the
 * field returns (`connection: true` for the `<field>_connection` variant).
 */
export const strapiRelationResolver = (strapi: Core.Strapi, uid: string, field: string, { connection = false } = {}): Resolver => {
  const attribute = attributeOf(strapi, uid, field);
  const builders = strapi.plugin('graphql').service('builders').get('content-api');
  if (attribute.type === 'component') return builders.buildComponentResolver({ contentTypeUID: uid, attributeName: field });
  const resolve = builders.buildAssociationResolver({ contentTypeUID: uid, attributeName: field });
  if (connection) return resolve;
  const toMany = attribute.relation?.endsWith('Many');
  return async (...args) => {
    const result = await resolve(...args);
    return toMany ? (result.nodes ?? []) : result.value;
  };
};

/**
 * Replaces the shadow CRUD's one-query-per-parent resolvers of the fields the contract reads with
 * batched ones, which load the batched relations asked below them along with their rows, and of
 * every row only the attributes the query reads (`reads`: those its computed fields read). With
 * filters, sort or pagination arguments, Strapi's own resolver still answers.
 */
export const batchedRelationResolvers = (strapi: Core.Strapi, reads: FieldReads) => {
  return Object.fromEntries(
    Object.entries(BATCHED_FIELDS).map(([typeName, [uid, fields]]) => [
      typeName,
      Object.fromEntries(
        fields.map((field) => {
          let unbatched: Resolver | undefined;
          const resolve: Resolver = (parent, args, context, info) => {
            if (hasArguments(args)) {
              unbatched ??= strapiRelationResolver(strapi, uid, field);
              return unbatched(parent, args, context, info);
            }
            return loadersOf(strapi, context).related(uid, field, parent, relationsBelow(info as GraphQLResolveInfo, reads));
          };
          return [field, resolve];
        })
      ),
    ])
  );
};
