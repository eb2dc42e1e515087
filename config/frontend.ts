import type { Core } from '@strapi/strapi';

/** Where the public site shows workshops: used for JSON-LD `url`, calendars and preview links. */
export default ({ env }: Core.Config.Shared.ConfigParams) => ({
  // e.g. https://www.ipam.ucla.edu; empty: the institute's own URL (Institute single type).
  url: env('FRONTEND_URL', ''),
  // Path of a workshop page on that site; {slug} is replaced by the workshop's slug.
  workshopPath: env('FRONTEND_WORKSHOP_PATH', '/workshops/{slug}'),
});
