import type { Core } from '@strapi/strapi';

/**
 * A statement that PostgreSQL stopped at DATABASE_STATEMENT_TIMEOUT (config/database.ts): the
 * request asked for more work than the server allows, so it is the client's to change (a 400),
 * not a fault of the server (a 500) nor of the database (a 503, which would invite a retry of
 * the same request).
 */
export const QUERY_TIMEOUT = 'QUERY_TIMEOUT';

/** The configured bound in ms, or undefined without one (SQLite, or 0). */
export const statementTimeoutOf = (strapi: Core.Strapi): number | undefined => {
  const value = Number(strapi.config.get('database.connection.connection.statement_timeout', 0));
  return value > 0 ? value : undefined;
};

export const queryTimeoutMessage = (timeoutMs: number | undefined) =>
  `The query ran longer than the ${timeoutMs ?? 'few'} ms the server allows and was stopped; ask for less (fewer conditions, a smaller page).`;
