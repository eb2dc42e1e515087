import type { Core } from '@strapi/strapi';
import type { CdnConfig } from '../src/cdn/purgers';

const list = (value: string) =>
  value
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);

/** Which CDNs (or Varnish) to purge on every public change (src/cdn); each is off without its settings. */
export default ({ env }: Core.Config.Shared.ConfigParams): CdnConfig => ({
  varnishUrls: list(env('CDN_VARNISH_URLS', '')),
  fastly: { serviceId: env('CDN_FASTLY_SERVICE_ID', ''), token: env('CDN_FASTLY_TOKEN', ''), apiUrl: env('CDN_FASTLY_API_URL', 'https://api.fastly.com') },
  cloudflare: {
    zoneId: env('CDN_CLOUDFLARE_ZONE_ID', ''),
    token: env('CDN_CLOUDFLARE_TOKEN', ''),
    apiUrl: env('CDN_CLOUDFLARE_API_URL', 'https://api.cloudflare.com/client/v4'),
  },
});
