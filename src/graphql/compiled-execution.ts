import {
  defaultFieldResolver,
  getVariableValues,
  isScalarType,
  Kind,
  OperationTypeNode,
  visit,
  type DocumentNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';
import { compileQuery, isCompiledQuery, type CompiledQuery } from 'graphql-jit';
import { mapSchema } from '@graphql-tools/utils';
import { LRUCache } from 'lru-cache';
import { leafSerializers } from './leaf-serializers';

/** The parts of Apollo Server 4's plugin API used here. */
interface OperationContext {
  document?: DocumentNode;
  operation?: OperationDefinitionNode;
  operationName?: string | null;
  contextValue: object;
  request: { variables?: Record<string, unknown> };
}

export interface CompiledExecutionOptions {
  /** Executions of a document by graphql-js before it is compiled; negative: never compile. */
  compileAfter: number;
  /** Mark compiled responses with `x-graphql-execution: compiled` (tests, diagnosis). */
  header: boolean;
}

/**
 * Strapi's association resolvers read the arguments of the query they descend from (status,
 * locale) in `context.rootQueryArgsByPath`, which a plugin of Strapi's fills from Apollo's
 * willResolveField hook; graphql-jit runs no such hook, so the query fields fill it themselves.
 */
const keepRootQueryArguments = (schema: GraphQLSchema) => {
  for (const field of Object.values(schema.getQueryType()?.getFields() ?? {})) {
    const resolve = field.resolve ?? defaultFieldResolver;
    field.resolve = (source, args, context: { rootQueryArgsByPath?: Map<string | number, object> }, info) => {
      if (!source && info.operation.operation === 'query') {
        context.rootQueryArgsByPath ??= new Map();
        context.rootQueryArgsByPath.set(info.path.key, {
          ...args,
          _originField: info.fieldName,
        });
      }
      return resolve(source, args, context, info);
    };
  }
};

/**
 * graphql-jit compiles the coercion of variables into the query, one input type inside the other,
 * and never ends on a type that leads back to itself, as Strapi's filters do (`and`, `or`, `not`;
 * https://github.com/zalando-incubator/graphql-jit/issues/81). So graphql-js coerces the variables
 * (getVariableValues: the same values and errors as when it executes), and the document compiled
 * declares every variable as Strapi's JSON scalar, whose parsing hands a value through unchanged.
 */
const PASS_THROUGH_SCALAR = 'JSON';

const withPassThroughVariables = (document: DocumentNode): DocumentNode =>
  visit(document, {
    VariableDefinition: (definition) => ({ ...definition, type: { kind: Kind.NAMED_TYPE, name: { kind: Kind.NAME, value: PASS_THROUGH_SCALAR } } }),
  });

/**
 * Executes hot queries with graphql-jit, which compiles a document against the schema into a
 * plain function. graphql-js interprets the document at every object of every response, and
 * Apollo wraps every field for the plugins that watch fields: on a workshop page, some 300
 * fields.
 *
 * - Only queries, and only documents executed `compileAfter` times already: compiling takes
 *   milliseconds. Apollo's document cache hands back the same DocumentNode for the same text,
 *   so the count is per document text; the 1,000 documents used last are kept.
 * - Variables are coerced by graphql-js (see withPassThroughVariables).
 * - A result with errors is thrown away and Apollo executes the operation as usual, so that errors
 *   (FORBIDDEN, bad variables, a database down) keep Strapi's formatting, their status codes and
 *   the plugins that look at them. Queries only read: running one twice changes nothing.
 */
export const compiledExecutionPlugin = ({ compileAfter, header }: CompiledExecutionOptions) => {
  let schema: GraphQLSchema | undefined;
  let customSerializers: ReturnType<typeof leafSerializers> = {};
  /** Per document: executions so far, then its compiled operations by name (null: left to graphql-js). */
  const documents = new LRUCache<DocumentNode, { runs: number; compiled: Map<string, CompiledQuery | null> }>({ max: 1000 });

  const compiledFor = (schema: GraphQLSchema, document: DocumentNode, operationName: string | null | undefined) => {
    let entry = documents.get(document);
    if (!entry) documents.set(document, (entry = { runs: 0, compiled: new Map() }));
    if (entry.runs++ < compileAfter) return null;
    const name = operationName ?? '';
    let compiled = entry.compiled.get(name);
    if (compiled === undefined) {
      const result = compileQuery(schema, withPassThroughVariables(document), operationName ?? undefined, {
        disablingCapturingStackErrors: true,
        customSerializers,
      });
      compiled = isCompiledQuery(result) ? result : null;
      entry.compiled.set(name, compiled);
    }
    return compiled;
  };

  return {
    async serverWillStart({ schema: built }: { schema: GraphQLSchema }) {
      if (compileAfter < 0) return;
      // Nothing compiles without a scalar that hands values through.
      const passThrough = built.getType(PASS_THROUGH_SCALAR);
      if (!isScalarType(passThrough) || passThrough.parseValue(passThrough) !== passThrough) return;
      // Compiled against a copy of the schema as built, with our resolvers (directResolversPlugin
      // comes before this plugin), taken before Apollo wraps every field's resolver for the
      // plugins that watch fields, as it does at its first execution: compiled queries run no
      // such hook, and graphql-jit reads a field that has no resolver as a plain property rather
      // than calling a function for it (on a page, some 250 fields).
      schema = mapSchema(built);
      keepRootQueryArguments(schema);
      customSerializers = leafSerializers(schema);
    },
    async requestDidStart() {
      return {
        async responseForOperation({ document, operation, operationName, contextValue, request }: OperationContext) {
          if (!schema || !document || operation?.operation !== OperationTypeNode.QUERY) return null;
          const compiled = compiledFor(schema, document, operationName);
          if (!compiled) return null;
          const variables = getVariableValues(schema, operation.variableDefinitions ?? [], request.variables ?? {});
          if (variables.errors) return null;
          const result = await compiled.query(undefined, contextValue, variables.coerced);
          if (result.errors?.length) return null;
          const headers = new Map(header ? [['x-graphql-execution', 'compiled']] : []);
          return {
            http: { status: undefined, headers },
            body: { kind: 'single', singleResult: { data: result.data } },
          };
        },
      };
    },
  };
};
