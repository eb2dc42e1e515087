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

type Auth = { scope: string[] };

/**
 * Strapi's authorization of fields (the `auth` of their resolver config), checked once per
 * request and scope, so that a field resolves at once when its check has passed.
 */
export class FieldAuthorization {
  /** Per request and scope (its registered Auth): the pending check, or its outcome. */
  private readonly checks = new WeakMap<object, Map<Auth, Promise<boolean> | boolean>>();
  /** Every scope a field asks for (see directResolversPlugin), by its scopes joined. */
  private readonly scopes = new Map<string, Auth>();
  /** Those, and all their scopes as one Auth (see startAll). */
  private every?: { scopes: Auth[]; all: Auth };

  constructor(private readonly strapi: Core.Strapi) {}

  /** The Auth to check for `auth`: one object per list of scopes, which keys the checks. */
  register(auth: Auth): Auth {
    const key = auth.scope.join(' ');
    if (!this.scopes.has(key)) {
      this.scopes.set(key, auth);
      this.every = undefined;
    }
    return this.scopes.get(key)!;
  }

  /**
   * Starts the checks of every scope for this request, when one of our queries starts: by the
   * time the fields below it run, the checks are settled and none of them needs a promise. All
   * scopes are verified at once first, which grants each when it grants all (every strategy of
   * Strapi's grants a list of scopes when it grants every one of them): one verification per
   * request where the caller may read everything, as the public role usually may; each scope
   * alone otherwise.
   */
  startAll(context: GraphqlContext) {
    if (!this.every) {
      const scopes = [...this.scopes.values()];
      this.every = { scopes, all: { scope: scopes.flatMap(({ scope }) => scope) } };
    }
    const { scopes, all } = this.every;
    let allGranted: Promise<boolean> | undefined;
    const verifyAll = () => (allGranted ??= this.verify(context, all));
    for (const auth of scopes) this.check(context, auth, () => verifyAll().then((granted) => granted || this.verify(context, auth)));
  }

  /** `resolve()` once `auth` (registered) is granted for this request, at once when already checked. */
  then(context: GraphqlContext, auth: Auth, resolve: () => unknown) {
    const check = this.check(context, auth);
    if (check === true) return resolve();
    if (check === false) throw new errors.ForbiddenError();
    return check.then((granted) => {
      if (!granted) throw new errors.ForbiddenError();
      return resolve();
    });
  }

  /** The check of `auth` for this request, started with `verify` unless already there. */
  private check(context: GraphqlContext, auth: Auth, verify = () => this.verify(context, auth)) {
    let checks = this.checks.get(context);
    if (!checks) this.checks.set(context, (checks = new Map()));
    let check = checks.get(auth);
    if (check === undefined) {
      check = verify();
      checks.set(auth, check);
      check.then((granted) => checks.set(auth, granted));
    }
    return check;
  }

  /** Settles to an outcome rather than rejecting: a check started ahead may have no field awaiting it. */
  private verify(context: GraphqlContext, auth: Auth): Promise<boolean> {
    const verify = async () => this.strapi.auth.verify(context.state.auth as never, auth as never);
    return verify().then(
      () => true,
      () => false
    );
  }
}

/**
 * Strapi's GraphQL plugin wraps the resolver of every field in an async step that authorizes and
 * runs policies, a workshop's title as much as a query: on a workshop page that is some 400
 * promises and policy contexts per request (putting them back took the page from 59 to 98
 * requests/s on the benchmark's database). For the types of our own
 * models this Apollo plugin puts back, once the schema is built:
 *  - an attribute that is a scalar or an enum: GraphQL's default resolver, a property read
 *    (Strapi gives these fields no resolver and no configuration of its own);
 *  - a field we resolve (batched relations, the contract's fields and queries): our resolver,
 *    after the authorization Strapi would run for it (FieldAuthorization).
 * Queries of ours without an `auth` scope (Strapi checks those against no scope), mutations,
 * fields with policies or middlewares, and every field of other types keep Strapi's wrapper.
 */
export const directResolversPlugin = (
  strapi: Core.Strapi,
  resolvers: () => Resolvers,
  resolversConfig: Record<string, ResolverConfig>,
  authorization: FieldAuthorization
) => {
  /** The resolver config Strapi applies to `Type.field`: ours, or a relation's read scope. */
  const configOf = (uid: string | undefined, typeName: string, field: string): ResolverConfig => {
    const ours = resolversConfig[`${typeName}.${field}`];
    if (ours) return ours;
    const attribute = uid ? (strapi.getModel(uid as UID.Schema).attributes as Record<string, { type: string; target?: string }>)[field] : undefined;
    return attribute?.type === 'relation' && attribute.target ? { auth: { scope: [`${attribute.target}.find`] } } : {};
  };

  /** GraphQL type name → model uid, for our content types, components and files. */
  const ourModels = () => {
    const { naming } = strapi.plugin('graphql').service('utils');
    const models = new Map<string, string | undefined>();
    for (const contentType of Object.values(strapi.contentTypes)) {
      // Files too: photos and logos are read with the pages that show them.
      if (contentType.uid.startsWith('api::') || contentType.uid === 'plugin::upload.file') models.set(naming.getTypeName(contentType), contentType.uid);
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
      for (const typeName of Object.keys(ours)) if (!models.has(typeName) && typeName !== 'Mutation') models.set(typeName, undefined);

      for (const [typeName, uid] of models) {
        const type = schema.getType(typeName);
        if (!isObjectType(type)) continue;
        const attributes = uid ? strapi.getModel(uid as UID.Schema).attributes : {};
        for (const [name, field] of Object.entries(type.getFields())) {
          const config = configOf(uid, typeName, name);
          if (config.policies?.length || config.middlewares?.length || (typeName === 'Query' && !config.auth)) continue;
          const resolve = ours[typeName]?.[name] as GraphQLFieldResolver<unknown, GraphqlContext> | undefined;
          if (resolve) {
            const auth = config.auth ? authorization.register(config.auth) : undefined;
            const startAll = typeName === 'Query';
            field.resolve = !auth
              ? resolve
              : (parent, args, context, info) => {
                  if (startAll) authorization.startAll(context);
                  return authorization.then(context, auth, () => resolve(parent, args, context, info));
                };
          } else if (isLeafType(getNamedType(field.type)) && (name in attributes || DOCUMENT_FIELDS.has(name))) {
            field.resolve = undefined;
          }
        }
      }
    },
  };
};
