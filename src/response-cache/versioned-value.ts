import type { Core } from '@strapi/strapi';
import { responseCacheParts } from '.';
import type { KeyVersions } from './key-versions';

/**
 * A value that is costly to compute on every request and changes only when `key` is stamped
 * (src/response-cache/key-versions.ts, through Redis when configured): computed once per version
 * of the key, in this process, and at most `ttlMs` old should a change not have been stamped
 * (Redis away meanwhile). Without a version (Redis unreachable), computed afresh at every call.
 */
export const versionedValue = <T>(key: string, ttlMs: number) => {
  let cached: { versions: KeyVersions; version: number; at: number; value: Promise<T> } | undefined;
  return async (strapi: Core.Strapi, compute: () => Promise<T>): Promise<T> => {
    const { versions } = responseCacheParts(strapi.log);
    const version = await versions.versionOf(key).catch(() => undefined);
    if (version === undefined) return compute();
    if (cached?.versions === versions && cached.version === version && Date.now() - cached.at < ttlMs) return cached.value;
    const entry = { versions, version, at: Date.now(), value: compute() };
    cached = entry;
    entry.value.catch(() => {
      if (cached === entry) cached = undefined;
    });
    return entry.value;
  };
};
