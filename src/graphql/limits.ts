import { ApolloArmor } from '@escape.tech/graphql-armor';
import type { Core } from '@strapi/strapi';

type Env = Core.Config.Shared.ConfigParams['env'];

/**
 * Bounds on what one GraphQL request may ask, beyond Strapi's own depth limit and page size,
 * with GraphQL Armor (validation rules for Apollo Server): aliases, directives and cost; and
 * graphql-js's parser limit on tokens.
 * Each refusal is a 400 naming the limit. Batched requests stay refused (Apollo's default).
 */
export const graphqlLimits = (env: Env) => {
  const { plugins, validationRules } = new ApolloArmor({
    // Armor leaves aliases of __typename (and aliases named __typename) out of the count by
    // default: every alias counts here, each one a field to resolve.
    maxAliases: { n: env.int('GRAPHQL_MAX_ALIASES', 15), allowList: [] },
    // Armor's token limit throws from a plugin, which Apollo answers with a 500; graphql-js's own
    // parser limit (parseOptions below) answers a 400 instead.
    maxTokens: { enabled: false },
    maxDirectives: { n: env.int('GRAPHQL_MAX_DIRECTIVES', 10) },
    // A fragment costs about what its fields cost where it is spread (Armor's default counts one
    // more level for it, and every level multiplies by 1.5): with its Image fragment spread three
    // times, the workshop page costs 986 rather than 1,577.
    costLimit: { maxCost: env.int('GRAPHQL_MAX_COST', 1500), ignoreIntrospection: true, flattenFragments: true },
    // Strapi's own depthLimit (config.depthLimit) already bounds depth.
    maxDepth: { enabled: false },
    // Suggestions ("Did you mean ...?") help developers and leak the schema when introspection is off.
    blockFieldSuggestion: { enabled: env('NODE_ENV', 'development') === 'production' },
  }).protect();
  return { plugins, validationRules, parseOptions: { maxTokens: env.int('GRAPHQL_MAX_TOKENS', 1000) }, allowBatchedHttpRequests: false };
};
