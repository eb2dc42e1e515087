import type { Core } from '@strapi/strapi';
import { isAbsoluteUrl, serverOrigin } from '../workshops/links';

/**
 * A file's URL as front ends use it: the local provider stores a path (/uploads/...), made
 * absolute from PUBLIC_URL (never a request's Host: answers are cached for everyone); object
 * storage (S3, a CDN) stores absolute URLs, kept as they are.
 */
export const absoluteFileUrl = (strapi: Core.Strapi, url: unknown): string | null => {
  if (typeof url !== 'string' || url === '') return null;
  const stored: string = url;
  if (isAbsoluteUrl(url)) return url;
  return `${serverOrigin(strapi)}${stored.startsWith('/') ? '' : '/'}${stored}`;
};

/** The responsive sizes Strapi makes of an image, as the contract shows them. */
export const FORMAT_NAMES = ['thumbnail', 'small', 'medium', 'large'] as const;

type StoredFormat = { url?: string; width?: number; height?: number; [other: string]: unknown };

/** Strapi's `formats` JSON with absolute URLs (every other key as stored). */
export const formatsWithAbsoluteUrls = (strapi: Core.Strapi, formats: unknown): Record<string, StoredFormat> | null => {
  if (!formats || typeof formats !== 'object') return null;
  return Object.fromEntries(
    Object.entries(formats as Record<string, StoredFormat>).map(([name, format]) => [name, { ...format, url: absoluteFileUrl(strapi, format?.url) ?? undefined }])
  );
};

/** The formats the contract types (ImageFormats): each with an absolute url, width and height, null when Strapi made none. */
export const imageFormats = (strapi: Core.Strapi, formats: unknown) => {
  const stored = (formats && typeof formats === 'object' ? formats : {}) as Record<string, StoredFormat | undefined>;
  return Object.fromEntries(
    FORMAT_NAMES.map((name) => {
      const format = stored[name];
      const url = absoluteFileUrl(strapi, format?.url);
      return [name, url && format?.width && format?.height ? { url, width: format.width, height: format.height } : null];
    })
  );
};
