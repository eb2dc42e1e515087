import type { Context, Next } from 'koa';
import { fileTooLargeMessage } from '../media/upload-limits';

/**
 * Strapi's body parser stops a multipart upload at `formidable.maxFileSize` (config/middlewares.ts)
 * and answers 413 with the bare message "FileTooBig": this says what the limit is and what to do,
 * for the admin UI's media library and the content API alike. Placed before strapi::body.
 */
export default (config: { maxFileSize: number }) => async (ctx: Context, next: Next) => {
  await next();
  const body = ctx.body as { error?: { message?: string } } | undefined;
  if (ctx.status === 413 && body?.error?.message === 'FileTooBig') body.error.message = fileTooLargeMessage(config.maxFileSize);
};
