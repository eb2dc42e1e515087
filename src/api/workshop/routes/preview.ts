/**
 * A workshop's draft, as staff are editing it, for the preview of the front end. Only tokens or
 * roles granted this action (api::workshop.preview.draft) or full-access tokens may call it; the
 * same grant lets them read drafts through `status=draft` in REST and `status: DRAFT` in GraphQL.
 */
export default {
  routes: [
    {
      method: 'GET',
      path: '/workshops/:documentId/preview',
      handler: 'preview.draft',
    },
  ],
};
