import type { Core, UID } from '@strapi/strapi';
import type { QueryModel } from './filter-policy';
import { mayPreview } from './preview';
import { currentPublicIds, EMBARGOED, type EmbargoedUid, type PublicIds } from './public-documents';
import { applyReadPolicy } from './read-policy';

const READS = new Set(['findMany', 'findFirst', 'findOne', 'count']);

type RequestState = { route?: { info?: { type?: string } }; auth?: Parameters<typeof mayPreview>[0]; publicIds?: Promise<PublicIds> };

/**
 * Every read through the Document Service on behalf of a content-API client (REST or GraphQL)
 * is held to src/access/read-policy.ts: the bounds for everyone; for clients that may not preview
 * (anonymous, read-only tokens) the public allowlist of filters, sorts, searches and populates.
 * Those clients also read published content only, whatever they ask: every read is forced to
 * `status: 'published'` (Strapi would otherwise serve drafts to anyone with `find`,
 * strapi/strapi#25326), and people, organizations, sponsors and series that only unpublished
 * workshops show are filtered out. The admin UI and our own code outside requests are not
 * content-API requests.
 */
export const registerPublishedOnlyReads = (strapi: Core.Strapi) => {
  const modelOf = (uid: string) => strapi.getModel(uid as UID.Schema) as QueryModel | undefined;

  strapi.documents.use(async (context, next) => {
    const request = strapi.requestContext.get() as { state?: RequestState } | undefined;
    const state = request?.state;
    if (!state || state.route?.info?.type !== 'content-api' || !READS.has(context.action)) return next();

    const isPublic = !mayPreview(state.auth);
    const model = modelOf(context.uid);
    const params = (model ? applyReadPolicy(model, context.params as Record<string, unknown>, { modelOf, isPublic }) : context.params) as {
      status?: string;
      filters?: unknown;
    };
    context.params = params as typeof context.params;
    if (!isPublic) return next();

    params.status = 'published';
    if ((EMBARGOED as string[]).includes(context.uid)) {
      state.publicIds ??= currentPublicIds(strapi);
      const ids = (await state.publicIds)[context.uid as EmbargoedUid];
      params.filters = params.filters ? { $and: [params.filters, { id: { $in: ids } }] } : { id: { $in: ids } };
    }
    return next();
  });
};
