import { formats, winston } from '@strapi/logger';
import { currentRequestId } from './request-context';

export type LogFormat = 'json' | 'pretty';

/** One JSON object a line in production, or whenever LOG_FORMAT=json; Strapi's readable lines otherwise. */
export const logFormatFrom = (logFormat: string | undefined, nodeEnv: string | undefined): LogFormat => {
  if (logFormat === 'json' || logFormat === 'pretty') return logFormat;
  if (logFormat) throw new Error(`LOG_FORMAT must be "json" or "pretty", not "${logFormat}".`);
  return nodeEnv === 'production' ? 'json' : 'pretty';
};

/** Adds the id of the request the line was logged in (none outside requests). */
const withRequestId = winston.format((info) => {
  const requestId = currentRequestId();
  if (requestId !== undefined) info.requestId = requestId;
  return info;
});

/**
 * `timestamp`, `level`, `message`, `requestId` inside a request, and the fields the caller gave
 * (`strapi.log.error(message, { errorId })`); an error's stack in `stack`. JSON escapes control
 * characters, so no value can start a line of its own.
 */
const jsonLines = () =>
  winston.format.combine(
    winston.format.errors({ stack: true }),
    // Always set: Strapi's migration lines bring a timestamp of their own, in milliseconds.
    winston.format.timestamp({ format: () => new Date().toISOString() }),
    withRequestId(),
    winston.format.json()
  );

/** The winston configuration of config/logger.ts (Strapi merges it over its defaults). */
export const loggerConfiguration = (format: LogFormat) => ({
  format: format === 'json' ? jsonLines() : formats.prettyPrint(),
  transports: [new winston.transports.Console()],
});
