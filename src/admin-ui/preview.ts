import type { Core } from '@strapi/strapi';

/**
 * Strapi's preview panel for workshops: opens the front end's preview route, which shows the
 * draft as the site will (it reads it with a token granted preview; see docs/graphql/README.md).
 * Off when FRONTEND_URL is not set.
 */
export const workshopPreview = (frontendUrl: string, previewSecret: string) => ({
  enabled: Boolean(frontendUrl),
  config: {
    allowedOrigins: frontendUrl ? [new URL(frontendUrl).origin] : [],
    async handler(uid: string, { documentId, status }: { documentId: string; status?: string }) {
      if (uid !== 'api::workshop.workshop') return null;
      const strapi = (global as unknown as { strapi: Core.Strapi }).strapi;
      const workshop = await strapi.documents('api::workshop.workshop').findOne({ documentId, fields: ['slug'] });
      if (!workshop) return null;
      const query = new URLSearchParams({ slug: workshop.slug ?? '', status: status ?? 'draft', secret: previewSecret });
      return `${frontendUrl.replace(/\/$/, '')}/api/preview?${query}`;
    },
  },
});
