import type { Core, UID } from '@strapi/strapi';
import type { Context, Next } from 'koa';
import { filtersProblem, type FilteredModel } from '../security/filters-shape';
import { fieldsProblem, populateProblem, sortProblem } from '../security/field-lists';
import { isValueOfWrongTypeError, wrongValueReason } from '../resilience/database-errors';

const refuse = (ctx: Context, message: string) => {
  ctx.status = 400;
  ctx.body = { data: null, error: { status: 400, name: 'ValidationError', message, details: {} } };
};


/**
 * Refuses REST queries that Strapi would pass malformed to the database, where they fail as a
 * 500: filters, sorts and field lists of the wrong shape (checked before), and values PostgreSQL cannot compare with
 * their column, such as `filters[id]=` (caught from the database's answer).
 */
export default (_config: unknown, { strapi }: { strapi: Core.Strapi }) => {
  const modelOf = (uid: string) => strapi.getModel(uid as UID.Schema) as FilteredModel | undefined;
  /** The content type a REST path reads (/api/workshops, /api/institute), by its API name. */
  const contentTypeOf = (path: string) => {
    const name = path.split('/')[2];
    return Object.values(strapi.contentTypes).find(
      ({ uid, info }) => !uid.startsWith('admin::') && (info.pluralName === name || info.singularName === name)
    ) as FilteredModel | undefined;
  };

  return async (ctx: Context, next: Next) => {
    if (!ctx.path.startsWith('/api/')) return next();
    const query = ctx.query as Record<string, unknown>;
    const problem = filtersProblem(query.filters, query.filters === undefined ? undefined : contentTypeOf(ctx.path), modelOf);
    if (problem) return refuse(ctx, `Invalid filters: ${problem}.`);
    const badSort = sortProblem(query.sort);
    if (badSort) return refuse(ctx, `Invalid sort: ${badSort}.`);
    const badList = fieldsProblem(query.fields) ?? populateProblem(query.populate);
    if (badList) return refuse(ctx, `Invalid query: ${badList}.`);
    try {
      await next();
    } catch (error) {
      if (!isValueOfWrongTypeError(error)) throw error;
      refuse(ctx, `Invalid query: ${wrongValueReason(error)}.`);
    }
  };
};
