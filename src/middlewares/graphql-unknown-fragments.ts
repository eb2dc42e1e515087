import type { Core } from '@strapi/strapi';
import bodyParser from 'koa-bodyparser';
import { Kind, parse, visit, type DocumentNode } from 'graphql';
import type { Context, Next } from 'koa';
import { LRUCache } from 'lru-cache';

/** The first fragment a document spreads without defining it, if any. */
const unknownFragmentOf = (document: DocumentNode): string | undefined => {
  const defined = new Set(document.definitions.flatMap((definition) => (definition.kind === Kind.FRAGMENT_DEFINITION ? [definition.name.value] : [])));
  let unknown: string | undefined;
  visit(document, {
    FragmentSpread(node) {
      if (!defined.has(node.name.value)) unknown ??= node.name.value;
    },
  });
  return unknown;
};

/**
 * Refuses a GraphQL document that spreads a fragment it does not define, with the 400 graphql-js
 * would give. Strapi's depth limit (graphql-depth-limit, the first validation rule) looks every
 * spread up and throws a TypeError on one it cannot find, before any other rule reports it, which
 * Apollo answered with a 500: `{ workshops { ...Missing } }` was enough. Documents that do not
 * parse are left to Apollo, which says why.
 */
export default (_config: unknown, { strapi }: { strapi: Core.Strapi }) => {
  const endpoint = strapi.plugin('graphql').config('endpoint') as string;
  const maxTokens = (strapi.config.get('plugin::graphql.apolloServer') as { parseOptions?: { maxTokens?: number } } | undefined)?.parseOptions?.maxTokens;
  // The parser the GraphQL plugin uses; later parsers find the body parsed and leave it.
  const parseBody = bodyParser({ enableTypes: ['json'], jsonLimit: '1mb' });
  const checked = new LRUCache<string, { unknown?: string }>({ max: 1000 });

  const unknownFragmentIn = (query: string) => {
    let result = checked.get(query);
    if (!result) {
      try {
        result = { unknown: unknownFragmentOf(parse(query, { maxTokens })) };
      } catch {
        result = {};
      }
      checked.set(query, result);
    }
    return result.unknown;
  };

  return async (ctx: Context, next: Next) => {
    if (ctx.path !== endpoint || (ctx.method !== 'GET' && ctx.method !== 'POST')) return next();
    if (ctx.method === 'POST') await parseBody(ctx, async () => {});
    const source = (ctx.method === 'GET' ? ctx.query : ctx.request.body) as { query?: unknown } | undefined;
    const unknown = source && typeof source === 'object' && typeof source.query === 'string' ? unknownFragmentIn(source.query) : undefined;
    if (unknown === undefined) return next();
    ctx.status = 400;
    ctx.body = { errors: [{ message: `Unknown fragment "${unknown}".`, extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }] };
  };
};
