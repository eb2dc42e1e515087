import type { Core } from '@strapi/strapi';
import { mayPreview } from './preview';
import { findPublicIds, type EmbargoedUid, type PublicIds } from './public-documents';

const READS = new Set(['findMany', 'findFirst', 'findOne', 'count']);
const EMBARGOED = new Set<string>(['api::person.person', 'api::organization.organization', 'api::sponsor.sponsor', 'api::workshop-series.workshop-series']);

type RequestState = { route?: { info?: { type?: string } }; auth?: Parameters<typeof mayPreview>[0]; publicIds?: Promise<PublicIds> };

/**
 * Content-API clients that may not preview (anonymous, read-only tokens) read published content
 * only, whatever they ask: every read through the Document Service, from REST or GraphQL,
 * is forced to `status: 'published'` (Strapi would otherwise serve drafts to anyone with `find`,
 * strapi/strapi#25326), and people, organizations, sponsors and series that only unpublished
 * workshops show are filtered out. The admin UI and our own code are not content-API requests.
 */
export const registerPublishedOnlyReads = (strapi: Core.Strapi) => {
  strapi.documents.use(async (context, next) => {
    const request = strapi.requestContext.get() as { state?: RequestState } | undefined;
    const state = request?.state;
    if (!state || state.route?.info?.type !== 'content-api' || !READS.has(context.action) || mayPreview(state.auth)) {
      return next();
    }
    const params = context.params as { status?: string; filters?: unknown };
    params.status = 'published';
    if (EMBARGOED.has(context.uid)) {
      state.publicIds ??= findPublicIds(strapi);
      const ids = (await state.publicIds)[context.uid as EmbargoedUid];
      params.filters = params.filters ? { $and: [params.filters, { id: { $in: ids } }] } : { id: { $in: ids } };
    }
    return next();
  });
};
