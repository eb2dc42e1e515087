import type { Core } from '@strapi/strapi';
import type { Context } from 'koa';
import { LRUCache } from 'lru-cache';

/** The label of every request no route of the server answers (bounded: one value for them all). */
export const UNMATCHED_ROUTE = 'unmatched';

/**
 * strapi::public serves the files of public/ through this catch-all route (its regular
 * expression in @strapi/core's middlewares/public.js), which lets every other route go first:
 * a file it finds is "static", anything else it answers (404) is unmatched like any unknown path.
 */
const PUBLIC_FILES_ROUTE = '/((?!uploads/).+)';
const STATIC_ROUTE = 'static';

/** The route that answers a method and path: the first the router matches, as @koa/router runs them in order. */
const answeringRoute = (strapi: Core.Strapi, method: string, path: string): string | undefined => {
  const routes = strapi.server.router
    .match(path, method)
    .pathAndMethod.filter((layer: { methods: string[] }) => layer.methods.length > 0)
    .map((layer: { path: string | RegExp }) => String(layer.path));
  return routes.find((route: string) => route !== PUBLIC_FILES_ROUTE) ?? routes[0];
};

/**
 * The route pattern of the route that answers a request (`/api/workshops/:id`, never the URL it
 * was sent to), for metric labels. Asked of the router rather than read from
 * `ctx._matchedRoute`, which the router's middleware layers (`([^/]*)`) overwrite after the
 * route, and which requests answered before the router (a cached answer, a rate-limit refusal,
 * a 503) never get. Matching runs through the router's ~300 routes (about 0.1 ms): remembered
 * per method and path, the hot paths (/graphql, a workshop's page) cost one lookup.
 */
export const routeLabeler = (strapi: Core.Strapi) => {
  const remembered = new LRUCache<string, { route: string | undefined }>({ max: 2000, maxSize: 1_000_000, sizeCalculation: (_value, key) => key.length });
  return (ctx: Context): string => {
    const key = `${ctx.method} ${ctx.path}`;
    let answering = remembered.get(key);
    if (!answering) {
      answering = { route: answeringRoute(strapi, ctx.method, ctx.path) };
      remembered.set(key, answering);
    }
    if (answering.route === undefined) return UNMATCHED_ROUTE;
    if (answering.route === PUBLIC_FILES_ROUTE) return ctx.status === 404 ? UNMATCHED_ROUTE : STATIC_ROUTE;
    return answering.route;
  };
};
