import type { Context } from 'koa';

/**
 * The keys of an answer as CDNs read them: `Surrogate-Key`, space-separated (Fastly, and Varnish
 * with the xkey vmod, deploy/varnish/default.vcl), and `Cache-Tag`, comma-separated (Cloudflare).
 * The list is already bounded (src/public-changes/keys.ts: past MAX_DOCUMENT_KEYS documents, the
 * list keys of their types), so a list of 1,000 workshops names `workshops`, not 1,000 ids.
 */
export const setSurrogateKeys = (ctx: Context, keys: string[]) => {
  if (!keys.length) return;
  ctx.set('Surrogate-Key', keys.join(' '));
  ctx.set('Cache-Tag', keys.join(','));
};
