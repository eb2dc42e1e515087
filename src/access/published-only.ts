import type { Core, UID } from '@strapi/strapi';
import type { QueryModel } from './filter-policy';
import { mayPreview } from './preview';
import { currentPublicIds, EMBARGOED, type EmbargoedUid, type PublicIds } from './public-documents';
import { applyReadPolicy } from './read-policy';

const modelOf = (strapi: Core.Strapi, uid: string) => strapi.getModel(uid as UID.Schema) as QueryModel | undefined;
const READS = new Set(['findMany', 'findFirst', 'findOne', 'count']);

type Params = Record<string, unknown> & { status?: string; filters?: unknown };
export type RequestState = { route?: { info?: { type?: string } }; auth?: Parameters<typeof mayPreview>[0]; publicIds?: Promise<PublicIds> };

/**
 * A read's parameters as a content-API client (REST or GraphQL) may have them, held to
 * src/access/read-policy.ts: the bounds for everyone; for clients that may not preview
 * (anonymous, read-only tokens) the public allowlist of filters, sorts, searches and populates.
 * Those clients also read published content only, whatever they ask: the read is forced to
 * `status: 'published'` (Strapi would otherwise serve drafts to anyone with `find`,
 * strapi/strapi#25326), and people, organizations, sponsors and series that only unpublished
 * workshops show are filtered out.
 */
export const policedReadParams = async (strapi: Core.Strapi, uid: string, params: Record<string, unknown>, state: RequestState) => {
  const isPublic = !mayPreview(state.auth);
  const model = modelOf(strapi, uid);
  const policed = (model ? applyReadPolicy(model, params, { modelOf: (other) => modelOf(strapi, other), isPublic }) : params) as Params;
  if (!isPublic) return policed;
  policed.status = 'published';
  if ((EMBARGOED as string[]).includes(uid)) {
    state.publicIds ??= currentPublicIds(strapi);
    const ids = (await state.publicIds)[uid as EmbargoedUid];
    policed.filters = policed.filters ? { $and: [policed.filters, { id: { $in: ids } }] } : { id: { $in: ids } };
  }
  return policed;
};

/** The state of the request being served (Koa's ctx.state), if it is a content-API request. */
export const contentApiRequestState = (strapi: Core.Strapi): RequestState | undefined => {
  const state = (strapi.requestContext.get() as { state?: RequestState } | undefined)?.state;
  return state?.route?.info?.type === 'content-api' ? state : undefined;
};

/**
 * Every read through the Document Service on behalf of a content-API client is policed
 * (policedReadParams). The admin UI and our own code outside requests are not content-API
 * requests.
 */
export const registerPublishedOnlyReads = (strapi: Core.Strapi) => {
  strapi.documents.use(async (context, next) => {
    const state = contentApiRequestState(strapi);
    if (!state || !READS.has(context.action)) return next();
    context.params = (await policedReadParams(strapi, context.uid, context.params as Params, state)) as typeof context.params;
    return next();
  });
};
