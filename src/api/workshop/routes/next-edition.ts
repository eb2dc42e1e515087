/**
 * "Prepare next edition" for staff API tokens: full-access tokens, or custom tokens granted
 * api::workshop.next-edition.prepare. Staff in the admin UI use the button of the edit view.
 */
export default {
  routes: [
    {
      method: 'POST',
      path: '/workshops/:documentId/next-edition',
      handler: 'next-edition.prepare',
    },
  ],
};
