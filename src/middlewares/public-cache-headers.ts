import type { Core } from '@strapi/strapi';
import type { Context, Next } from 'koa';
import { setSurrogateKeys } from '../cdn/surrogate-keys';
import { awaitPublicChanges, recordShown } from '../public-changes';

interface Config {
  maxAge?: number;
  sharedMaxAge?: number;
}

/**
 * Cache headers of the public API (REST under /api, calendars included, and GraphQL): for
 * anonymous GET answers, the surrogate keys of what they show (Surrogate-Key, Cache-Tag), by
 * which a change purges them from CDNs, and for REST Cache-Control for browsers and shared caches
 * (GraphQL's comes from its response cache). An answer with credentials is never for a shared
 * cache. Every answer not taken from the response cache says `X-Cache: MISS`. A request that
 * changed content (the admin UI's included) answers once its change was counted and purged.
 */
export default ({ maxAge = 0, sharedMaxAge = 0 }: Config, { strapi }: { strapi: Core.Strapi }) => {
  const graphqlEndpoint = strapi.plugin('graphql').config('endpoint') as string;
  return async (ctx: Context, next: Next) => {
    const isGraphql = ctx.path === graphqlEndpoint;
    if (!isGraphql && !ctx.path.startsWith('/api/')) {
      await next();
      return awaitPublicChanges(ctx);
    }
    ctx.set('X-Cache', 'MISS');
    ctx.vary('Authorization');
    if (ctx.get('Authorization')) {
      await next();
      ctx.set('Cache-Control', 'private, no-store');
      return awaitPublicChanges(ctx);
    }
    const isRead = ctx.method === 'GET' || ctx.method === 'HEAD';
    const shown = isRead ? recordShown(strapi, ctx) : undefined;
    await next();
    if (!shown || (ctx.status !== 200 && ctx.status !== 304)) return;
    setSurrogateKeys(ctx, shown.keys());
    if (!isGraphql && ctx.status === 200) ctx.set('Cache-Control', `public, max-age=${maxAge}, s-maxage=${sharedMaxAge}`);
  };
};
