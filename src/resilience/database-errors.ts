import { isObjectStorageError } from '../media/object-storage-errors';

/**
 * Whether an error means "the database cannot be reached right now" (a transient fault worth a
 * 503 and a retry), as opposed to a bad query or bad data (a bug or a 4xx).
 */

/** Node socket errors, PostgreSQL connection exceptions (class 08) and shutdown codes (57P0x). */
const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  '08000', // connection_exception
  '08001', // sqlclient_unable_to_establish_sqlconnection
  '08003', // connection_does_not_exist
  '08004', // sqlserver_rejected_establishment_of_sqlconnection
  '08006', // connection_failure
  '57P01', // admin_shutdown: the server is stopping
  '57P02', // crash_shutdown: another backend crashed
  '57P03', // cannot_connect_now: the server is starting up or shutting down
  '53300', // too_many_connections
  'SQLITE_BUSY', // the file stayed locked by another process beyond the busy timeout
]);

/** Errors that carry no code: pg's client, knex's pool, tarn's timeouts. */
const UNAVAILABLE_MESSAGES = [
  /Connection terminated/i,
  /Connection ended unexpectedly/i,
  /Client has encountered a connection error and is not queryable/i,
  /timeout exceeded when trying to connect/i,
  /Timeout acquiring a connection/i,
  /Unable to acquire a connection/i,
];

const UNAVAILABLE_NAMES = new Set(['KnexTimeoutError']);

interface ErrorLike {
  code?: unknown;
  name?: unknown;
  message?: unknown;
  cause?: unknown;
  originalError?: unknown;
  errors?: unknown;
}

const isErrorLike = (value: unknown): value is ErrorLike => typeof value === 'object' && value !== null;

/** Looks at the error and at what it wraps (cause, GraphQL's originalError, AggregateError's errors). */
export const isDatabaseUnavailableError = (error: unknown, depth = 0): boolean => {
  if (!isErrorLike(error) || depth > 5) return false;
  // Object storage refusing a connection is not the database (src/media/object-storage-errors.ts answers it).
  if (isObjectStorageError(error)) return false;
  if (typeof error.code === 'string' && UNAVAILABLE_CODES.has(error.code)) return true;
  if (typeof error.name === 'string' && UNAVAILABLE_NAMES.has(error.name)) return true;
  if (typeof error.message === 'string' && UNAVAILABLE_MESSAGES.some((pattern) => pattern.test(error.message as string))) return true;
  const wrapped = [error.cause, error.originalError, ...(Array.isArray(error.errors) ? error.errors : [])];
  return wrapped.some((inner) => inner !== error && isDatabaseUnavailableError(inner, depth + 1));
};

/**
 * Whether PostgreSQL cancelled a statement because it ran longer than `statement_timeout`
 * (DATABASE_STATEMENT_TIMEOUT): SQLSTATE 57014 with PostgreSQL's own wording, since 57014 also
 * means a cancellation asked for by an operator (pg_cancel_backend), which is no fault of the
 * request's. Not a fault of the database either: the request asked for too much (src/errors
 * answers it with a 400).
 */
export const isStatementTimeoutError = (error: unknown, depth = 0): boolean => {
  if (!isErrorLike(error) || depth > 5) return false;
  if (error.code === '57014' && typeof error.message === 'string' && /statement timeout/i.test(error.message)) return true;
  const wrapped = [error.cause, error.originalError];
  return wrapped.some((inner) => inner !== error && isStatementTimeoutError(inner, depth + 1));
};

/**
 * PostgreSQL's "data exception" class (SQLSTATE 22): a value that does not fit its column (text
 * where a number goes, a NUL character in text). The client's input, not a fault: a 400.
 */
export const isValueOfWrongTypeError = (error: unknown) => /^22/.test(String((error as { code?: unknown } | null)?.code ?? ''));

/** What PostgreSQL says is wrong with the value, without the statement knex puts before it. */
export const wrongValueReason = (error: unknown) => (error instanceof Error ? error.message.split(' - ').pop() : undefined) ?? 'a value does not fit its field';
