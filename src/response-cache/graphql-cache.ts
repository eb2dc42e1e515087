import crypto from 'crypto';
import type { Context, Next } from 'koa';
import bodyParser from 'koa-bodyparser';
import { LRUCache } from 'lru-cache';
import { parse, type DocumentNode } from 'graphql';
import type { ContentVersion } from './content-version';
import type { ResponseStore } from './store';

export interface GraphqlCacheOptions {
  endpoint: string;
  store: ResponseStore;
  version: ContentVersion;
  /** Cache-Control max-age and s-maxage of anonymous GET responses, in seconds. */
  maxAge: number;
  sharedMaxAge: number;
  onError: (error: unknown) => void;
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
 * Answers anonymous GraphQL queries from a response cache keyed by the content version, the
 * operation and its variables, before Strapi authenticates or Apollo executes anything. Only
 * requests without credentials are cached (one scope: published content); any token, which may
 * read drafts, always goes through. Adds ETag (and 304 on If-None-Match) and Cache-Control.
 */
export const graphqlResponseCache = ({ endpoint, store, version, maxAge, sharedMaxAge, onError }: GraphqlCacheOptions) => {
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
    ctx.vary('Authorization');
    if (ctx.get('Authorization')) {
      await next();
      ctx.set('Cache-Control', 'private, no-store');
      return;
    }
    if (ctx.method === 'POST') await parseBody(ctx, async () => {});
    const request = readRequest(ctx);
    if (!request || (request.query === undefined && request.persistedQueryHash === undefined) || !isQuery(request, ctx.method)) return next();

    let key: string;
    try {
      key = `${await version.current()}:public:${sha256(JSON.stringify([request.query ?? `#${request.persistedQueryHash}`, request.operationName ?? '', request.variables]))}`;
      const cached = await store.get(key);
      if (cached) {
        ctx.set('X-Response-Cache', 'hit');
        return send(ctx, cached);
      }
    } catch (error) {
      onError(error);
      return next();
    }

    await next();
    if (ctx.status !== 200 || ctx.body === null || ctx.body === undefined) return;
    const body = typeof ctx.body === 'string' ? ctx.body : JSON.stringify(ctx.body);
    if (!isCacheable(body)) return;
    const response = { body, etag: etagOf(body), contentType: String(ctx.response.get('Content-Type') || 'application/json') };
    ctx.set('X-Response-Cache', 'miss');
    send(ctx, response);
    // Stored under the version read before executing: a write meanwhile leaves it unreachable.
    await store.set(key, response).catch(onError);
  };
};
