import { batches, expectOk, PURGE_TIMEOUT_MS, type Purger } from './purger';

/**
 * Varnish with the xkey vmod (deploy/varnish/default.vcl): a `PURGE` request to each Varnish
 * with the keys in `xkey-purge`, space-separated. Varnish accepts it only from the addresses its
 * `purgers` ACL lists.
 */
export const varnishPurger = (urls: string[]): Purger => ({
  name: 'varnish',
  async purge(keys) {
    await Promise.all(
      urls.flatMap((url) =>
        batches(keys, 100).map(async (batch) => expectOk(await fetch(url, { method: 'PURGE', signal: AbortSignal.timeout(PURGE_TIMEOUT_MS), headers: { 'xkey-purge': batch.join(' ') } }), `Varnish ${url}`))
      )
    );
  },
});
