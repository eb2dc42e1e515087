import type { Core } from '@strapi/strapi';

/** The public page of a workshop on the front-end site. */
export const workshopPageUrl = (strapi: Core.Strapi, instituteUrl: string | null | undefined, slug: string) => {
  const site = (strapi.config.get('frontend.url') as string) || instituteUrl || '';
  const pagePath = (strapi.config.get('frontend.workshopPath') as string).replace('{slug}', encodeURIComponent(slug));
  return `${site.replace(/\/$/, '')}${pagePath}`;
};

/**
 * The server's own public origin, from configuration only: PUBLIC_URL, else http://localhost:<PORT>
 * (production refuses to start without PUBLIC_URL, src/environment/secrets.ts). Never from a
 * request's Host or X-Forwarded-Host: answers that hold it are cached for everyone.
 */
export const serverOrigin = (strapi: Core.Strapi) => {
  const configured = strapi.config.get('server.url') as string;
  return isAbsoluteUrl(configured) ? configured.replace(/\/$/, '') : `http://localhost:${strapi.config.get('server.port')}`;
};

export const isAbsoluteUrl = (value: unknown): value is string => typeof value === 'string' && /^https?:\/\/[^/]/.test(value);

export const workshopCalendarPath = (slug: string) => `/api/workshops/${encodeURIComponent(slug)}/calendar.ics`;
