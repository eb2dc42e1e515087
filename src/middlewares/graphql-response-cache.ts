import type { Core } from '@strapi/strapi';
import type { Context, Next } from 'koa';
import { PUBLIC_PERMISSIONS_KEY } from '../access/public-role-permissions';
import { metricsOf } from '../observability/metrics';
import { recordShown } from '../public-changes';
import { responseCacheParts, type ResponseCacheConfig } from '../response-cache';
import { graphqlResponseCache } from '../response-cache/graphql-cache';

interface Config extends ResponseCacheConfig {
  maxAge?: number;
  sharedMaxAge?: number;
}

/** The GraphQL response cache (src/response-cache), as a Strapi global middleware. */
export default (config: Config, { strapi }: { strapi: Core.Strapi }) => {
  if (config.enabled === false) return (_ctx: Context, next: Next) => next();
  const { versions, store } = responseCacheParts(strapi.log, config);
  return graphqlResponseCache({
    endpoint: strapi.plugin('graphql').config('endpoint') as string,
    store,
    versions,
    recordShown: (ctx) => recordShown(strapi, ctx),
    everyAnswerDependsOn: [PUBLIC_PERMISSIONS_KEY],
    maxAge: config.maxAge ?? 0,
    sharedMaxAge: config.sharedMaxAge ?? 0,
    onError: (error) => strapi.log.warn(`Response cache bypassed: ${String(error)}`),
    onLookup: (result) => metricsOf(strapi)?.responseCacheLookups.inc({ result }),
  });
};
