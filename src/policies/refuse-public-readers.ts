import { errors } from '@strapi/utils';
import { isPublicReader } from '../access/public-readers';

type PolicyContext = { state: { auth?: Parameters<typeof isPublicReader>[0] } };

/**
 * `global::refuse-public-readers`: 403 (GraphQL FORBIDDEN) with `config.refusal` for anonymous
 * clients and read-only API tokens, on REST routes (src/extensions) and GraphQL queries
 * (src/graphql/restricted-queries.ts) alike. Runs after Strapi's own authorization.
 */
export default (policyContext: PolicyContext, config: { refusal: string }) => {
  if (isPublicReader(policyContext.state.auth)) throw new errors.PolicyError(config.refusal);
  return true;
};
