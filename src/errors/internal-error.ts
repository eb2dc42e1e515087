import crypto from 'crypto';
import type { Core } from '@strapi/strapi';

/**
 * An internal error (a bug, a driver's or the runtime's failure) tells a client nothing it can
 * act on, and its message can hold what must stay inside: SQL statements, table and column names,
 * file paths, library versions. Clients get a generic message and an id; the log gets the detail
 * under the same id, so that an operator can find one from the other.
 */

export const newErrorId = () => crypto.randomUUID();

/** The message of a masked GraphQL error (REST says "Internal Server Error", as Strapi does). */
export const maskedGraphqlMessage = (errorId: string) => `Internal server error (error id ${errorId}). The operators have the details.`;
export const maskedRestMessage = (errorId: string) => `Internal Server Error (error id ${errorId})`;

/** Where the error happened, for the log line. */
export interface ErrorScene {
  method?: string;
  path?: string;
  graphqlOperation?: string | null;
}

interface Detailed {
  name?: unknown;
  message?: unknown;
  stack?: unknown;
  code?: unknown;
  detail?: unknown;
  hint?: unknown;
  sql?: unknown;
  cause?: unknown;
  originalError?: unknown;
}

/** The error's stack (or message), the driver's fields, and whatever it wraps. */
const describe = (error: unknown, depth = 0): string => {
  if (typeof error !== 'object' || error === null) return String(error);
  const { name, message, stack, code, detail, hint, sql, cause, originalError } = error as Detailed;
  const lines = [typeof stack === 'string' ? stack : `${String(name ?? 'Error')}: ${String(message)}`];
  // pg's fields (knex puts the statement and its values at the start of the message).
  for (const [label, value] of Object.entries({ code, detail, hint, sql })) if (value !== undefined && value !== null) lines.push(`  ${label}: ${String(value)}`);
  const inner = cause ?? originalError;
  if (inner && inner !== error && depth < 3) lines.push(`Caused by: ${describe(inner, depth + 1)}`);
  return lines.join('\n');
};

/** Logs the full detail of an internal error under a new id, and returns the id. */
export const logInternalError = (strapi: Core.Strapi, error: unknown, scene: ErrorScene): string => {
  const errorId = newErrorId();
  const where = [scene.method, scene.path].filter(Boolean).join(' ') || 'outside any request';
  const operation = scene.graphqlOperation ? ` (GraphQL operation ${scene.graphqlOperation})` : '';
  // errorId also as a field of its own, for JSON logs (src/observability/log-format.ts).
  strapi.log.error(`Internal error ${errorId} on ${where}${operation}: ${describe(error)}`, { errorId });
  return errorId;
};
