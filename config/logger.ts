import type { Core } from '@strapi/strapi';
import { logFormatFrom, loggerConfiguration } from '../src/observability/log-format';

// Strapi's logger (winston): JSON lines with the request id in production or with LOG_FORMAT=json.
// The level is LOG_LEVEL, set in config/server.ts.
export default ({ env }: Core.Config.Shared.ConfigParams) => loggerConfiguration(logFormatFrom(env('LOG_FORMAT'), env('NODE_ENV')));
