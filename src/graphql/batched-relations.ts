import type { Core } from '@strapi/strapi';
import { attributeOf, loadersOf, type Row } from './loaders';

/** GraphQL type → [model uid, relation and component fields resolved in batches]. */
const BATCHED_FIELDS: Record<string, [string, string[]]> = {
  Workshop: ['api::workshop.workshop', ['series', 'sponsors', 'organizers', 'speakers', 'talks', 'posterSession', 'venue']],
  ComponentWorkshopParticipant: ['workshop.participant', ['person', 'affiliation']],
  ComponentWorkshopTalk: ['workshop.talk', ['speakers']],
  WorkshopSeries: ['api::workshop-series.workshop-series', ['sponsor']],
  Person: ['api::person.person', ['affiliation']],
  Institute: ['api::institute.institute', ['venue']],
};

export type Resolver = (parent: Row, args: Record<string, unknown>, context: object, info: unknown) => unknown;

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
 * batched ones. With filters, sort or pagination arguments, Strapi's own resolver still answers.
 */
export const batchedRelationResolvers = (strapi: Core.Strapi) => {
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
            return loadersOf(strapi, context).related(uid, field, parent);
          };
          return [field, resolve];
        })
      ),
    ])
  );
};
