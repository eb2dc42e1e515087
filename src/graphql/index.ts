import { ApolloServerPluginCacheControlDisabled } from '@apollo/server/plugin/disabled';
import type { Core } from '@strapi/strapi';
import { env } from '@strapi/utils';
import { badInputStatusPlugin } from './bad-input-status';
import { batchedRelationResolvers } from './batched-relations';
import { compiledExecutionPlugin } from './compiled-execution';
import { directResolversPlugin, FieldAuthorization } from './direct-resolvers';
import { publicArgumentsPlugin } from './public-arguments';
import { FIELD_READS, resolvers, resolversConfig } from './resolvers';
import { registerRestrictedQueries } from './restricted-queries';
import { typeDefs } from './type-defs';

/**
 * Adds the contract's fields and queries to the shadow CRUD schema, batches its relations,
 * resolves the fields of our types without Strapi's per-field wrapper (./direct-resolvers), and
 * executes hot queries compiled (./compiled-execution).
 */
export const registerGraphqlExtensions = (strapi: Core.Strapi) => {
  const extension = strapi.plugin('graphql').service('extension');
  // Private fields are already out of output types and filters; keep them out of inputs too.
  for (const field of ['email', 'notes', 'slugAliases']) extension.shadowCRUD('api::person.person').field(field).disableInput();
  extension.shadowCRUD('api::workshop.workshop').field('slugAliases').disableInput();
  // Written by the server (src/participant-labels), never an input.
  extension.shadowCRUD('workshop.participant').field('label').disableInput();
  registerRestrictedQueries(strapi);

  const authorization = new FieldAuthorization(strapi);
  let merged: Record<string, Record<string, unknown>> | undefined;
  const allResolvers = () => {
    if (!merged) {
      merged = { ...batchedRelationResolvers(strapi, FIELD_READS) };
      for (const [typeName, fields] of Object.entries(resolvers(strapi))) merged[typeName] = { ...merged[typeName], ...fields };
    }
    return merged;
  };
  extension.use(() => ({ typeDefs, resolvers: allResolvers(), resolversConfig }));

  const compiledExecution = compiledExecutionPlugin({
    compileAfter: env.int('GRAPHQL_COMPILE_AFTER', 1),
    header: env.bool('GRAPHQL_EXECUTION_HEADER', false),
  });
  // Apollo's cache-control plugin computes a cache hint at every field of every response; nothing
  // reads them (the response cache sets Cache-Control itself).
  const apolloServer = strapi.config.get('plugin::graphql.apolloServer', {}) as { plugins?: unknown[] };
  strapi.config.set('plugin::graphql.apolloServer', {
    ...apolloServer,
    plugins: [
      ...(apolloServer.plugins ?? []),
      publicArgumentsPlugin(),
      badInputStatusPlugin(),
      directResolversPlugin(strapi, allResolvers, resolversConfig, authorization),
      compiledExecution,
      ApolloServerPluginCacheControlDisabled(),
    ],
  });
};
