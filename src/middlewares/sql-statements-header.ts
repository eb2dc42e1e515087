import type { Core } from '@strapi/strapi';
import type { Context, Next } from 'koa';

/**
 * With `enabled`, every response carries `x-sql-statements`: how many SQL statements its
 * request issued. For the N+1 tests and the benchmark; off in normal running.
 */
export default (config: { enabled?: boolean }, { strapi }: { strapi: Core.Strapi }) => {
  if (!config.enabled) return (_ctx: Context, next: Next) => next();
  strapi.db.connection.on('query', () => {
    const ctx = strapi.requestContext.get() as Context | undefined;
    if (ctx) ctx.state.sqlStatements = (ctx.state.sqlStatements ?? 0) + 1;
  });
  return async (ctx: Context, next: Next) => {
    ctx.state.sqlStatements = 0;
    await next();
    ctx.set('x-sql-statements', String(ctx.state.sqlStatements));
  };
};
