import type { Context, Next } from 'koa';
import { filtersProblem } from '../security/filters-shape';

/** Refuses REST queries whose `filters` Strapi would pass malformed to the database (a 500). */
export default () => async (ctx: Context, next: Next) => {
  if (ctx.path.startsWith('/api/')) {
    const problem = filtersProblem((ctx.query as Record<string, unknown>).filters);
    if (problem) {
      ctx.status = 400;
      ctx.body = { data: null, error: { status: 400, name: 'ValidationError', message: `Invalid filters: ${problem}.`, details: {} } };
      return;
    }
  }
  return next();
};
