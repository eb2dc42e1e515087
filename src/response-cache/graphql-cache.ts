import crypto from 'crypto';
import type { Context, Next } from 'koa';
import bodyParser from 'koa-bodyparser';
import { LRUCache } from 'lru-cache';
import { parse, type DocumentNode } from 'graphql';
import type { ShownKeys } from '../public-changes/keys';
import type { KeyVersions } from './key-versions';
import type { ResponseStore } from './store';

export interface GraphqlCacheOptions {
  endpoint: string;
  store: ResponseStore;
  versions: KeyVersions;
  /** Starts recording what this request's answer shows (src/public-changes/shown.ts). */
  recordShown: (ctx: Context) => ShownKeys;
  /** Keys every answer depends on besides what it shows (who may read what): a change voids them all. */
  everyAnswerDependsOn: string[];
  /** Cache-Control max-age and s-maxage of anonymous GET responses, in seconds. */
  maxAge: number;
  sharedMaxAge: number;
  onError: (error: unknown) => void;
  /** Told of each lookup: answered from the cache (hit) or executed (miss), for the metrics. */
  onLookup: (result: 'hit' | 'miss') => void;
}

interface GraphqlRequest {
  query?: string;
  variables?: unknown;
  operationName?: string;
  persistedQueryHash?: string;
}

const sha256 = (text: string) => crypto.createHash('sha256').update(text).digest('base64url');
const etagOf = (body: string) => `"${sha256(body).slice(0, 27)}"`;

const parseJson = (text: unknown) => {
  if (typeof text !== 'string') return text;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return Symbol.for('invalid');
  }
};

/** Only complete answers are cached: not errors (a persisted query not yet known, say). */
const isCacheable = (body: string) => {
  const parsed = parseJson(body);
  return typeof parsed === 'object' && parsed !== null && !('errors' in parsed);
};

/** The operation a GET (query string) or POST (JSON body) asks for; undefined when unreadable. */
const readRequest = (ctx: Context): GraphqlRequest | undefined => {
  const source = (ctx.method === 'GET' ? ctx.query : ctx.request.body) as Record<string, unknown> | undefined;
  if (!source || typeof source !== 'object' || Array.isArray(source)) return undefined;
  const variables = parseJson(source.variables);
  const extensions = parseJson(source.extensions) as { persistedQuery?: { sha256Hash?: unknown } } | undefined;
  if (typeof variables === 'symbol' || typeof extensions === 'symbol') return undefined;
  const hash = extensions?.persistedQuery?.sha256Hash;
  return {
    query: typeof source.query === 'string' ? source.query : undefined,
    variables: variables ?? {},
    operationName: typeof source.operationName === 'string' ? source.operationName : undefined,
    persistedQueryHash: typeof hash === 'string' ? hash : undefined,
  };
};

/**
 * Answers anonymous GraphQL queries from a response cache keyed by the operation, its variables
 * and the Accept header, before Strapi authenticates or Apollo executes anything. Each entry keeps
 * the keys of what it shows (documents, lists) and is served only while none of them changed
 * since it was computed (key-versions.ts): a draft save invalidates nothing, a publish only what
 * shows that document. Only requests without credentials are cached (one scope: published
 * content); any token, which may read drafts, always goes through. Adds `X-Cache: HIT` (src/middlewares/public-cache-headers.ts says MISS otherwise),
 * ETag (and 304 on If-None-Match) and Cache-Control.
 */
export const graphqlResponseCache = ({ endpoint, store, versions, recordShown, everyAnswerDependsOn, maxAge, sharedMaxAge, onError, onLookup }: GraphqlCacheOptions) => {
  // Strapi's body middleware leaves /graphql alone; parse it here, as the GraphQL plugin would
  // (its own parser then finds the body parsed and leaves it).
  const parseBody = bodyParser({ enableTypes: ['json'], jsonLimit: '1mb' });
  const documents = new LRUCache<string, DocumentNode | false>({ max: 1000 });

  /** Only queries are cached; a request naming a mutation, or that does not parse, is not. */
  const isQuery = ({ query, operationName }: GraphqlRequest, method: string) => {
    if (query === undefined) return method === 'GET'; // persisted by hash: GET never runs mutations
    if (!documents.has(query)) {
      try {
        documents.set(query, parse(query));
      } catch {
        documents.set(query, false);
      }
    }
    const operations = (documents.get(query) || undefined)?.definitions.filter((d) => d.kind === 'OperationDefinition') ?? [];
    const operation = operations.length === 1 ? operations[0] : operations.find((o) => o.name?.value === operationName);
    return operation?.operation === 'query';
  };

  const send = (ctx: Context, response: { body: string; etag: string; contentType: string }) => {
    ctx.set('ETag', response.etag);
    ctx.set('Cache-Control', ctx.method === 'GET' ? `public, max-age=${maxAge}, s-maxage=${sharedMaxAge}` : 'no-cache');
    if (ctx.get('If-None-Match') === response.etag) {
      ctx.status = 304;
      ctx.body = null;
      return;
    }
    ctx.status = 200;
    ctx.type = response.contentType;
    ctx.body = response.body;
  };

  return async (ctx: Context, next: Next) => {
    if (ctx.path !== endpoint || (ctx.method !== 'GET' && ctx.method !== 'POST')) return next();
    // What changes an answer besides the operation: credentials (never cached) and Accept (Apollo
    // answers application/json or application/graphql-response+json, or the sandbox's HTML, by it).
    // Origin changes only the CORS headers, which strapi::cors (before this) sets on every answer,
    // with Vary: Origin. The origin of absolute links is configuration (src/workshops/links.ts).
    ctx.vary('Authorization');
    ctx.vary('Accept');
    if (ctx.get('Authorization')) {
      await next();
      ctx.set('Cache-Control', 'private, no-store');
      return;
    }
    if (ctx.method === 'POST') await parseBody(ctx, async () => {});
    const request = readRequest(ctx);
    if (!request || (request.query === undefined && request.persistedQueryHash === undefined) || !isQuery(request, ctx.method)) return next();
    // Redis away (its client reports the outage once): answers are computed afresh meanwhile.
    if (!versions.available()) return next();

    const shown = recordShown(ctx);
    let key: string;
    let tick: number;
    try {
      const operation = [request.query ?? `#${request.persistedQueryHash}`, request.operationName ?? '', request.variables, ctx.get('Accept')];
      key = `public:${sha256(JSON.stringify(operation))}`;
      const cached = await store.get(key);
      if (cached && (await versions.unchangedSince([...cached.keys, ...everyAnswerDependsOn], cached.tick))) {
        shown.addKeys(cached.keys);
        ctx.set('X-Cache', 'HIT');
        onLookup('hit');
        return send(ctx, cached);
      }
      // Read before executing: a change committed meanwhile is stamped later, and voids the entry.
      tick = await versions.clock();
      onLookup('miss');
    } catch (error) {
      // Failures of a store that went away meanwhile are that outage, already reported.
      if (versions.available()) onError(error);
      return next();
    }

    await next();
    if (ctx.status !== 200 || ctx.body === null || ctx.body === undefined) return;
    const body = typeof ctx.body === 'string' ? ctx.body : JSON.stringify(ctx.body);
    if (!isCacheable(body)) return;
    const response = { body, etag: etagOf(body), contentType: String(ctx.response.get('Content-Type') || 'application/json'), keys: shown.keys(), tick };
    send(ctx, response);
    await store.set(key, response).catch((error) => versions.available() && onError(error));
  };
};
