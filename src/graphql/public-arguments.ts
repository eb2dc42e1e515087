import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError, TypeInfo, visit, visitWithTypeInfo, type DocumentNode, type GraphQLSchema } from 'graphql';
import { mayPreview } from '../access/preview';

/**
 * How deep and how large a request's variables may be. Public readers only read: several times
 * what a bounded filter needs (src/access/query-bounds.ts). Staff tokens also write rich text (a
 * long overview is thousands of values); thousands of levels are never content.
 */
export const VARIABLE_BOUNDS = { public: { depth: 20, values: 500 }, staff: { depth: 100, values: 100_000 } } as const;

const refuse = (message: string) => new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT', http: { status: 400 } } });

/**
 * What is too deep or too large in `variables`, walked without recursion: graphql-js coerces
 * variables recursively before any limit of ours sees them, and thousands of nested filters
 * cost a minute of CPU there, or overflow the stack.
 */
const variablesProblem = (variables: unknown, bounds: { depth: number; values: number }): string | undefined => {
  const pending: Array<[unknown, number]> = [[variables, 0]];
  let values = 0;
  while (pending.length > 0) {
    const [value, depth] = pending.pop()!;
    values += 1;
    if (values > bounds.values) return `The variables hold more than ${bounds.values} values; ask for less in one request.`;
    if (depth > bounds.depth) return `The variables are nested more than ${bounds.depth} levels deep; ask for less in one request.`;
    if (typeof value === 'object' && value !== null) for (const item of Object.values(value)) pending.push([item, depth + 1]);
  }
  return undefined;
};

/** Arguments that select among drafts: public readers have none, and Strapi hands a query's on to the relations below it. */
const DRAFT_ARGUMENTS = new Set(['publicationFilter', 'hasPublishedVersion']);

/**
 * Public readers pass arguments to the fields of Query only, and none that selects among drafts.
 * Below Query, Strapi resolves a relation that has arguments (filters, sort, pagination, status)
 * straight from the database, outside the Document Service where src/access holds every read to
 * published, public documents and to the public filters, and it applies the publication filter
 * of the query above (`workshopSeriesList(publicationFilter: MODIFIED) { workshops_connection }`
 * told which workshops had unpublished edits); the contract needs none of them.
 */
const findPublicArgumentsProblem = (schema: GraphQLSchema, document: DocumentNode): string | undefined => {
  const typeInfo = new TypeInfo(schema);
  const roots = new Set([schema.getQueryType(), schema.getMutationType()].filter(Boolean).map((type) => type!.name));
  let problem: string | undefined;
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Field(node) {
        const parent = typeInfo.getParentType();
        if (problem || !node.arguments?.length || !parent || parent.name.startsWith('__')) return;
        const names = node.arguments.map(({ name }) => name.value);
        const draftArgument = names.find((name) => DRAFT_ARGUMENTS.has(name));
        if (draftArgument) problem = `${parent.name}.${node.name.value}: ${draftArgument} selects among drafts, which public clients do not read.`;
        else if (!roots.has(parent.name)) {
          problem = `${parent.name}.${node.name.value} takes no arguments from public clients (given: ${names.join(', ')}); filter, sort and page the top-level query instead.`;
        }
      },
    })
  );
  return problem;
};

/**
 * Per schema and document: Apollo parses a query text once and hands the same document to every
 * request that sends it, so the walk above runs once per document, not per request.
 */
const problemsBySchema = new WeakMap<GraphQLSchema, WeakMap<DocumentNode, { problem?: string }>>();
const publicArgumentsProblem = (schema: GraphQLSchema, document: DocumentNode): string | undefined => {
  let problems = problemsBySchema.get(schema);
  if (!problems) problemsBySchema.set(schema, (problems = new WeakMap()));
  let found = problems.get(document);
  if (!found) problems.set(document, (found = { problem: findPublicArgumentsProblem(schema, document) }));
  return found.problem;
};

type Context = { state?: { auth?: Parameters<typeof mayPreview>[0] } };

/** Refuses, before execution and with HTTP 400, variables beyond VARIABLE_BOUNDS and public readers' arguments below Query. */
export const publicArgumentsPlugin = (): ApolloServerPlugin<Context> => ({
  async requestDidStart() {
    return {
      async didResolveOperation({ request, document, contextValue, schema }) {
        const isPublic = !mayPreview(contextValue.state?.auth);
        const problem =
          variablesProblem(request.variables, isPublic ? VARIABLE_BOUNDS.public : VARIABLE_BOUNDS.staff) ?? (isPublic ? publicArgumentsProblem(schema, document) : undefined);
        if (problem) throw refuse(problem);
      },
    };
  },
});
