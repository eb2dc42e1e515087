import type { Core } from '@strapi/strapi';

/**
 * What the media library accepts, read by config/plugins.ts (the upload plugin) and
 * config/middlewares.ts (the body parser), so that both refuse at the same size.
 */

/** Images a browser shows and Strapi resizes into its responsive formats (thumbnail ... large). */
export const IMAGE_TYPES = ['image/jpeg', 'image/png', 'image/webp', 'image/gif'];

const DEFAULT_UPLOAD_MAX_FILE_SIZE_MB = 10;

/** UPLOAD_MAX_FILE_SIZE_MB (default 10) as bytes; a value that is not a positive number stops start-up. */
export const uploadMaxFileSizeFrom = (env: Core.Config.Shared.ConfigParams['env']) => {
  const megabytes = env.float('UPLOAD_MAX_FILE_SIZE_MB', DEFAULT_UPLOAD_MAX_FILE_SIZE_MB);
  if (!Number.isFinite(megabytes) || megabytes <= 0) throw new Error(`UPLOAD_MAX_FILE_SIZE_MB must be a positive number of megabytes (given: ${megabytes}).`);
  return Math.round(megabytes * 1024 * 1024);
};

/** The refusal of a file over the limit, for people: the body parser's own is a bare "FileTooBig". */
export const fileTooLargeMessage = (maxBytes: number) =>
  `The file is larger than the upload limit of ${Number((maxBytes / 1024 / 1024).toFixed(2))} MB (UPLOAD_MAX_FILE_SIZE_MB): ` +
  'make the image smaller (a portrait or logo needs no more than about 2000 pixels across) and upload it again.';
