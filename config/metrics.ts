import type { Core } from '@strapi/strapi';
import type { MetricsConfig } from '../src/observability/metrics';

/** Prometheus metrics at /metrics (src/observability): off, and not even recorded, without a token. */
export default ({ env }: Core.Config.Shared.ConfigParams): MetricsConfig => ({
  token: env('METRICS_TOKEN', ''),
});
