import type { Core } from '@strapi/strapi';
import type { Context, Next } from 'koa';
import { RETRY_AFTER_SECONDS } from '../resilience/unavailable-response';

/**
 * When object storage fails, the upload plugin lets the AWS SDK's error through, which would be a
 * masked 500. Strapi writes the file's row only after every object is stored, and deletes it only
 * after the objects are deleted, so a failed upload or delete has changed no row (objects of an
 * upload stored before the failure stay in the bucket, unreferenced): the person gets a 503 that
 * says what happened and whether retrying can help; the operator gets the SDK's words in the log.
 */

export type ObjectStorageFault = 'OBJECT_STORAGE_UNAVAILABLE' | 'OBJECT_STORAGE_REFUSED';

interface SdkError {
  name?: string;
  message?: string;
  code?: string;
  $metadata: { httpStatusCode?: number };
}

/** Every error the AWS SDK throws, a network failure included, carries the `$metadata` of its attempts. */
export const isObjectStorageError = (error: unknown): error is SdkError =>
  typeof error === 'object' && error !== null && typeof (error as SdkError).$metadata === 'object' && (error as SdkError).$metadata !== null;

/** Answers that no retry changes: credentials, permissions, the bucket itself. */
const REFUSALS = new Set([
  'InvalidAccessKeyId',
  'SignatureDoesNotMatch',
  'AccessDenied',
  'InvalidToken',
  'ExpiredToken',
  'AllAccessDisabled',
  'AccessControlListNotSupported',
  'NoSuchBucket',
]);

export const objectStorageFault = (error: SdkError): ObjectStorageFault => {
  const status = error.$metadata.httpStatusCode;
  return REFUSALS.has(error.name ?? '') || status === 401 || status === 403 ? 'OBJECT_STORAGE_REFUSED' : 'OBJECT_STORAGE_UNAVAILABLE';
};

/** What the person who uploaded or deleted a file reads. */
export const objectStorageMessage = (fault: ObjectStorageFault, error: SdkError) =>
  fault === 'OBJECT_STORAGE_REFUSED'
    ? `The media storage refused this server (${error.name}): the media library is unchanged. Retrying will not help; ` +
      'the operators must check its settings (S3_BUCKET, S3_ACCESS_KEY_ID, S3_SECRET_ACCESS_KEY, S3_ACL) and the bucket\'s permissions.'
    : `The media storage does not answer at the moment: the media library is unchanged. Retry in a minute; if it goes on, tell the operators.`;

/** The log line, for the operators: the SDK's name, network code and message. */
export const logObjectStorageFailure = (strapi: Core.Strapi, where: string, fault: ObjectStorageFault, error: SdkError) => {
  const detail = [error.name, error.code, error.$metadata.httpStatusCode && `HTTP ${error.$metadata.httpStatusCode}`, error.message].filter(Boolean).join(': ');
  strapi.log.warn(`Object storage failed on ${where}, answering ${fault}: ${detail}`);
};

/**
 * REST and admin API (the media library uploads and deletes through them): a failure of object
 * storage answers 503 with the message above. Placed inside global::database-unavailable, which
 * leaves a 503 as it is.
 */
export const objectStorageErrorsMiddleware = (_config: unknown, { strapi }: { strapi: Core.Strapi }) => async (ctx: Context, next: Next) => {
  try {
    await next();
  } catch (error) {
    if (ctx.headerSent || !isObjectStorageError(error)) throw error;
    const fault = objectStorageFault(error);
    logObjectStorageFailure(strapi, `${ctx.method} ${ctx.path}`, fault, error);
    ctx.status = 503;
    if (fault === 'OBJECT_STORAGE_UNAVAILABLE') ctx.set('Retry-After', String(RETRY_AFTER_SECONDS));
    ctx.body = { data: null, error: { status: 503, name: 'ServiceUnavailableError', message: objectStorageMessage(fault, error), details: { code: fault } } };
  }
};
