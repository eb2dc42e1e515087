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
  if (typeof error.code === 'string' && UNAVAILABLE_CODES.has(error.code)) return true;
  if (typeof error.name === 'string' && UNAVAILABLE_NAMES.has(error.name)) return true;
  if (typeof error.message === 'string' && UNAVAILABLE_MESSAGES.some((pattern) => pattern.test(error.message as string))) return true;
  const wrapped = [error.cause, error.originalError, ...(Array.isArray(error.errors) ? error.errors : [])];
  return wrapped.some((inner) => inner !== error && isDatabaseUnavailableError(inner, depth + 1));
};
