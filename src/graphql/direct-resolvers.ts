import type { Core, UID } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { getNamedType, isLeafType, isObjectType, type GraphQLFieldResolver, type GraphQLSchema } from 'graphql';

type Resolvers = Record<string, Record<string, unknown>>;
interface ResolverConfig {
  auth?: false | { scope: string[] };
  policies?: unknown[];
  middlewares?: unknown[];
}
type GraphqlContext = { state: { auth?: unknown } };

/** Fields every document type has besides its attributes, read straight from the row. */
const DOCUMENT_FIELDS = new Set(['documentId', 'id']);

/**
 * Strapi's GraphQL plugin wraps the resolver of every field in an async step that authorizes and
 * runs policies, a workshop's title as much as a query: on a workshop page that is some 400
 * promises and policy contexts per request, most of its CPU time. For the types of our own
 * models this Apollo plugin puts back, once the schema is built:
 *  - an attribute that is a scalar or an enum: GraphQL's default resolver, a property read
 *    (Strapi gives these fields no resolver and no configuration of its own);
 *  - a field we resolve (batched relations, the contract's fields): our resolver, after the
 *    authorization Strapi would run for it, checked once per request and scope.
 * Query and Mutation fields, fields with policies or middlewares, and every field of other types
 * keep Strapi's wrapper.
 */
export const directResolversPlugin = (strapi: Core.Strapi, resolvers: () => Resolvers, resolversConfig: Record<string, ResolverConfig>) => {
  /** Per request and scope: the pending check, or `true` once it passed. */
  const checks = new WeakMap<object, Map<string, Promise<void> | true>>();

  /**
   * Strapi's authorization of a field (`auth` of its resolver config), once per request and
   * scope; then `resolve` runs, at once when the check has already passed.
   */
  const authorizedThen = (context: GraphqlContext, auth: { scope: string[] }, resolve: () => unknown) => {
    let verified = checks.get(context);
    if (!verified) checks.set(context, (verified = new Map()));
    const key = auth.scope.join(' ');
    let check = verified.get(key);
    if (check === true) return resolve();
    if (!check) {
      check = Promise.resolve(strapi.auth.verify(context.state.auth as never, auth as never)).then(
        () => void verified.set(key, true),
        () => {
          throw new errors.ForbiddenError();
        }
      );
      verified.set(key, check);
    }
    return check.then(resolve);
  };

  /** The resolver config Strapi applies to `Type.field`: ours, or a relation's read scope. */
  const configOf = (uid: string | undefined, typeName: string, field: string): ResolverConfig => {
    const ours = resolversConfig[`${typeName}.${field}`];
    if (ours) return ours;
    const attribute = uid ? (strapi.getModel(uid as UID.Schema).attributes as Record<string, { type: string; target?: string }>)[field] : undefined;
    return attribute?.type === 'relation' && attribute.target ? { auth: { scope: [`${attribute.target}.find`] } } : {};
  };

  /** GraphQL type name → model uid, for our content types and components. */
  const ourModels = () => {
    const { naming } = strapi.plugin('graphql').service('utils');
    const models = new Map<string, string | undefined>();
    for (const contentType of Object.values(strapi.contentTypes)) {
      if (contentType.uid.startsWith('api::')) models.set(naming.getTypeName(contentType), contentType.uid);
    }
    for (const component of Object.values(strapi.components)) {
      models.set(naming.getComponentName(component), component.uid);
    }
    return models;
  };

  return {
    async serverWillStart({ schema }: { schema: GraphQLSchema }) {
      const ours = resolvers();
      const models = ourModels();
      for (const typeName of Object.keys(ours)) if (!models.has(typeName) && typeName !== 'Query' && typeName !== 'Mutation') models.set(typeName, undefined);

      for (const [typeName, uid] of models) {
        const type = schema.getType(typeName);
        if (!isObjectType(type)) continue;
        const attributes = uid ? strapi.getModel(uid as UID.Schema).attributes : {};
        for (const [name, field] of Object.entries(type.getFields())) {
          const config = configOf(uid, typeName, name);
          if (config.policies?.length || config.middlewares?.length) continue;
          const resolve = ours[typeName]?.[name] as GraphQLFieldResolver<unknown, GraphqlContext> | undefined;
          if (resolve) {
            const { auth } = config;
            field.resolve = auth
              ? (parent, args, context, info) => authorizedThen(context, auth, () => resolve(parent, args, context, info))
              : resolve;
          } else if (isLeafType(getNamedType(field.type)) && (name in attributes || DOCUMENT_FIELDS.has(name))) {
            field.resolve = undefined;
          }
        }
      }
    },
  };
};
