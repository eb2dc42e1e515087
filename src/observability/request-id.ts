import crypto from 'crypto';
import type { Context, Next } from 'koa';
import { runInRequestScope } from './request-context';

export const REQUEST_ID_HEADER = 'x-request-id';

/**
 * An id a proxy, load balancer or client gave the request is kept when it could not carry
 * anything into a log line: at most 128 characters, letters, digits and `-_.:+=/` (UUIDs,
 * ULIDs, hex and base64 ids, `Root=1-...`-style trace ids without their `;`).
 */
const SANE_REQUEST_ID = /^[A-Za-z0-9\-_.:+=/]{1,128}$/;

export const saneRequestId = (value: unknown): string | undefined =>
  typeof value === 'string' && SANE_REQUEST_ID.test(value) ? value : undefined;

/**
 * Gives every request an id, taken from `x-request-id` when sane or made anew, answers it in
 * `x-request-id`, and keeps it for every log line of the request (request-context.ts).
 */
export const requestIdMiddleware = () => async (ctx: Context, next: Next) => {
  const requestId = saneRequestId(ctx.get(REQUEST_ID_HEADER)) ?? crypto.randomUUID();
  ctx.set(REQUEST_ID_HEADER, requestId);
  return runInRequestScope({ requestId }, next);
};
