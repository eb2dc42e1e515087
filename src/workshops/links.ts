import type { Core } from '@strapi/strapi';

/** The public page of a workshop on the front-end site. */
export const workshopPageUrl = (strapi: Core.Strapi, instituteUrl: string | null | undefined, slug: string) => {
  const site = (strapi.config.get('frontend.url') as string) || instituteUrl || '';
  const pagePath = (strapi.config.get('frontend.workshopPath') as string).replace('{slug}', encodeURIComponent(slug));
  return `${site.replace(/\/$/, '')}${pagePath}`;
};

/** The server's own public origin: PUBLIC_URL when set, else the origin the request came to. */
export const serverOrigin = (strapi: Core.Strapi, requestOrigin: string) => {
  const configured = strapi.config.get('server.url') as string;
  return /^https?:\/\//.test(configured) ? configured.replace(/\/$/, '') : requestOrigin;
};

export const workshopCalendarPath = (slug: string) => `/api/workshops/${encodeURIComponent(slug)}/calendar.ics`;
