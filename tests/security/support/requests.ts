import fc from 'fast-check';
import qs from 'qs';
import {
  buildSchema,
  getNamedType,
  getNullableType,
  isEnumType,
  isInputObjectType,
  isLeafType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
  isUnionType,
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLNamedType,
  type GraphQLObjectType,
  type GraphQLSchema,
} from 'graphql';
import type { Attribute, Model, Schema } from './model';
import type { Markers } from './fixtures';

export type Auth = 'anonymous' | 'read-only';

/** One request of the fixed list, sent as is to both databases' servers. */
export interface FuzzRequest {
  method: 'GET' | 'POST';
  /** Path and query string. */
  path: string;
  /** JSON body (GraphQL over POST). */
  body?: string;
  auth: Auth;
  /** What the request does, for grouping mismatches by class (see report.ts). */
  features: string[];
  /** A deliberately huge or deep request, to exercise the bounds. */
  huge?: boolean;
}

const OPERATORS = [
  '$eq', '$eqi', '$ne', '$nei', '$lt', '$lte', '$gt', '$gte', '$in', '$notIn', '$between', '$contains', '$notContains',
  '$containsi', '$notContainsi', '$startsWith', '$startsWithi', '$endsWith', '$endsWithi', '$null', '$notNull',
] as const;
const LIST_OPERATORS = new Set(['$in', '$notIn', '$between']);
const NESTED_TYPES = new Set(['relation', 'component', 'media']);
const NUMBER_TYPES = new Set(['integer', 'biginteger', 'decimal', 'float']);
const DATE_TYPES = new Set(['date', 'datetime', 'time', 'timestamp']);
/** Attributes Strapi adds to every content type; `id` and `documentId` are not in its attributes. */
const IMPLICIT: Record<string, Attribute> = { id: { type: 'integer' }, documentId: { type: 'string' } };

/** The strings requests probe with: the base's public values, and the fixtures' markers cut up. */
const probes = (model: Model, markers: Markers) => {
  const cuts = (text: string) => {
    const out = new Set([text, text.toLowerCase(), text.toUpperCase()]);
    for (const length of [2, 3, 5, 8, 12]) if (text.length > length) out.add(text.slice(0, length));
    if (text.length > 6) out.add(text.slice(2, Math.min(text.length, 9)));
    if (text.length > 4) out.add(text.slice(-4));
    return [...out];
  };
  const fixtureTexts = [...Object.values(markers.texts), ...markers.slugs, ...markers.documentIds, markers.privateEmailPrefix, markers.privateNotePrefix, '@example.org', 'private note', 'example.org'];
  const marker = [...new Set([markers.core, 'zq', ...fixtureTexts.flatMap(cuts)])].sort();
  const publicWords = model.pool.strings.flatMap((text) => text.split(/\s+/).filter((word) => word.length > 3)).slice(0, 400);
  const known = [...new Set([...model.pool.strings, ...model.pool.strings.flatMap((text) => cuts(text).slice(3)), ...publicWords])].sort();
  return { marker, known };
};

/** All fast-check arbitraries of the fuzzer, built from Strapi's metadata and the public GraphQL schema. */
export const requestArbitraries = (model: Model, markers: Markers) => {
  const { marker, known } = probes(model, markers);
  const schemaOf = (uid: string | undefined): Schema | undefined => (uid ? (model.contentTypes[uid] ?? model.components[uid]) : undefined);

  // The marker itself and its prefixes match every fixture text: the likeliest probes to find a leak.
  const universal = [markers.core, 'zq', markers.core.toUpperCase(), markers.core[0].toUpperCase() + markers.core.slice(1), markers.core.slice(0, 5)];
  const text = fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...universal) },
    { weight: 4, arbitrary: fc.constantFrom(...marker) },
    { weight: 4, arbitrary: fc.constantFrom(...known) },
    { weight: 1, arbitrary: fc.constantFrom('', '%', '_', "'", '\\', '"', 'a', 'e', ' ', 'null', 'true', '0', '*', '%zq%', 'zq%', '_q') },
    { weight: 1, arbitrary: fc.string({ maxLength: 8 }) }
  );
  const documentId = fc.oneof(fc.constantFrom(...model.pool.documentIds), fc.constantFrom(...markers.documentIds), fc.constantFrom(...marker));
  const number = fc.oneof(fc.integer({ min: -1, max: 60 }), fc.constantFrom(0, 1, 2, 2.5, -1e9, 2 ** 31, 1e300));
  const date = fc.oneof(
    fc.constantFrom(...(model.pool.dates.length ? model.pool.dates : ['2023-01-23'])),
    fc.constantFrom('2023-01-23', '2024-02-05', '2031-03-03', '2032-05-04', '2030-01-01T00:00:00.000Z', '1970-01-01', '9999-12-31', 'not a date', '2023-13-45')
  );
  const anything: fc.Arbitrary<unknown> = fc.oneof(
    text,
    number,
    fc.boolean(),
    fc.constant(null),
    fc.array(text, { maxLength: 3 }),
    fc.dictionary(fc.constantFrom('a', '$eq', '0', 'id'), text, { maxKeys: 2 })
  );
  const valueFor = (attribute: Attribute): fc.Arbitrary<unknown> => {
    const typed = NUMBER_TYPES.has(attribute.type)
      ? number
      : DATE_TYPES.has(attribute.type)
        ? date
        : attribute.type === 'boolean'
          ? fc.oneof(fc.boolean(), fc.constantFrom('true', 'false', '1', '0', 't'))
          : attribute.enum
            ? fc.oneof(fc.constantFrom(...attribute.enum), text)
            : text;
    return fc.oneof({ weight: 15, arbitrary: typed }, { weight: 1, arbitrary: anything });
  };
  const arity = <T>(value: fc.Arbitrary<T>) =>
    fc.oneof(
      fc.constant([] as T[]),
      fc.array(value, { minLength: 1, maxLength: 1 }),
      fc.array(value, { minLength: 2, maxLength: 2 }),
      fc.array(value, { minLength: 3, maxLength: 12 })
    );
  const operatorValue = (operator: string, attribute: Attribute): fc.Arbitrary<unknown> => {
    if (LIST_OPERATORS.has(operator)) return fc.oneof({ weight: 5, arbitrary: arity(valueFor(attribute)) }, { weight: 1, arbitrary: valueFor(attribute) });
    if (operator === '$null' || operator === '$notNull') return fc.oneof(fc.boolean(), fc.constantFrom('true', 'false', '1', ''), text);
    return fc.oneof({ weight: 20, arbitrary: valueFor(attribute) }, { weight: 1, arbitrary: arity(valueFor(attribute)) });
  };
  const condition = (attribute: Attribute) =>
    fc.oneof(
      { weight: 2, arbitrary: valueFor(attribute) },
      { weight: 6, arbitrary: fc.constantFrom(...OPERATORS).chain((operator) => operatorValue(operator, attribute).map((value) => ({ [operator]: value }))) },
      { weight: 1, arbitrary: fc.constantFrom(...OPERATORS).chain((operator) => operatorValue(operator, attribute).map((value) => ({ $not: { [operator]: value } }))) },
      { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...OPERATORS), fc.constantFrom(...OPERATORS)).chain(([a, b]) => fc.tuple(operatorValue(a, attribute), operatorValue(b, attribute)).map(([x, y]) => ({ [a]: x, [b]: y }))) }
    );

  /** REST filters on `schema`, recursive: attributes, relation and component paths, $and/$or/$not. */
  const filterMemo = new Map<string, fc.Arbitrary<Record<string, unknown>>>();
  const filters = (schema: Schema, depth: number): fc.Arbitrary<Record<string, unknown>> => {
    const key = `${schema.uid}:${depth}`;
    if (filterMemo.has(key)) return filterMemo.get(key)!;
    const attributes = { ...IMPLICIT, ...schema.attributes };
    const entries: Array<{ weight: number; arbitrary: fc.Arbitrary<[string, unknown]> }> = [];
    for (const [name, attribute] of Object.entries(attributes)) {
      const target = schemaOf(attribute.target ?? attribute.component);
      if (NESTED_TYPES.has(attribute.type)) {
        const nested = target && depth > 0 ? [{ weight: 4, arbitrary: filters(target, depth - 1) }] : [];
        const onRelation = fc.oneof(...nested, { weight: 1, arbitrary: condition({ type: 'integer' }) });
        // Hops towards draft & publish types and along two-way relations are where drafts hide.
        const weight = attribute.private ? 1 : target?.draftAndPublish ? 24 : attribute.twoWay ? 16 : 8;
        entries.push({ weight, arbitrary: onRelation.map((value) => [name, value]) });
      } else {
        entries.push({ weight: attribute.private ? 1 : 4, arbitrary: condition(attribute).map((value) => [name, value]) });
      }
    }
    if (depth > 0) {
      const below = fc.constant(null).chain(() => filters(schema, depth - 1));
      entries.push({ weight: 4, arbitrary: fc.constantFrom('$and', '$or').chain((op) => fc.array(below, { maxLength: 3 }).map((list) => [op, list] as [string, unknown])) });
      entries.push({ weight: 2, arbitrary: below.map((value) => ['$not', value] as [string, unknown]) });
    }
    const arbitrary = fewEntries(fc.oneof(...entries));
    filterMemo.set(key, arbitrary);
    return arbitrary;
  };

  /**
   * One path through the model ending in one condition, e.g. filters[series][workshops][title][$startsWithi]:
   * from a public document along relations (two-way and draft & publish hops first) to a leaf.
   * The total then says whether a document at the path's end matches: the oracle a leak needs.
   */
  const walkMemo = new Map<string, fc.Arbitrary<Record<string, unknown>>>();
  const walk = (schema: Schema, hops: number): fc.Arbitrary<Record<string, unknown>> => {
    const key = `${schema.uid}:${hops}`;
    if (walkMemo.has(key)) return walkMemo.get(key)!;
    // Every row has an id: a path always has a leaf, even from a component of relations only.
    const steps: Array<{ weight: number; arbitrary: fc.Arbitrary<Record<string, unknown>> }> = [{ weight: 1, arbitrary: condition(IMPLICIT.id).map((value) => ({ id: value })) }];
    for (const [name, attribute] of Object.entries(schema.attributes)) {
      if (attribute.private) continue;
      const target = schemaOf(attribute.target ?? attribute.component);
      if (NESTED_TYPES.has(attribute.type)) {
        if (target && hops > 0) steps.push({ weight: target.draftAndPublish ? 6 : attribute.twoWay ? 4 : 2, arbitrary: fc.constant(null).chain(() => walk(target, hops - 1)).map((below) => ({ [name]: below })) });
      } else {
        steps.push({ weight: 1, arbitrary: condition(attribute).map((value) => ({ [name]: value })) });
      }
    }
    const arbitrary = fc.oneof(...steps);
    walkMemo.set(key, arbitrary);
    return arbitrary;
  };

  const scalarNames = (schema: Schema) => ['id', 'documentId', ...Object.entries(schema.attributes).filter(([, a]) => !NESTED_TYPES.has(a.type)).map(([name]) => name)];
  const nestedNames = (schema: Schema) => Object.entries(schema.attributes).filter(([, a]) => NESTED_TYPES.has(a.type)).map(([name]) => name);
  const sortPath = (schema: Schema): fc.Arbitrary<string> => {
    const hops = nestedNames(schema).filter((name) => schemaOf(schema.attributes[name].target ?? schema.attributes[name].component));
    const direct = fc.constantFrom(...scalarNames(schema));
    const path = hops.length
      ? fc.oneof(direct, fc.constantFrom(...hops).chain((hop) => { const a = schema.attributes[hop]; return fc.constantFrom(...scalarNames(schemaOf(a.target ?? a.component)!)).map((leaf) => `${hop}.${leaf}`); }))
      : direct;
    return fc.tuple(path, fc.oneof({ weight: 8, arbitrary: fc.constantFrom('', ':asc', ':desc') }, { weight: 1, arbitrary: fc.constantFrom(':DESC', ':sideways') })).map(([p, d]) => p + d);
  };
  const sort = (schema: Schema) => fc.oneof(sortPath(schema), fc.array(sortPath(schema), { minLength: 1, maxLength: 3 }), fc.array(sortPath(schema), { minLength: 2, maxLength: 2 }).map((list) => list.join(',')));
  const fields = (schema: Schema) => fc.oneof({ weight: 4, arbitrary: fc.array(fc.constantFrom(...scalarNames(schema)), { minLength: 1, maxLength: 4 }) }, { weight: 2, arbitrary: fc.constantFrom(...scalarNames(schema)) }, { weight: 1, arbitrary: fc.constant(['title', 'notAField']) });
  const pagination = fc.oneof(
    fc.record({ page: fc.oneof(fc.integer({ min: -1, max: 4 }), text), pageSize: fc.oneof(fc.integer({ min: -1, max: 200 }), text) }, { requiredKeys: [] }),
    fc.record({ start: fc.integer({ min: -1, max: 30 }), limit: fc.oneof(fc.integer({ min: -1, max: 200 }), fc.constant(-1)) }, { requiredKeys: [] }),
    fc.record({ withCount: fc.constantFrom('true', 'false', 'x') })
  );
  const populateMemo = new Map<string, fc.Arbitrary<unknown>>();
  const populate = (schema: Schema, depth: number): fc.Arbitrary<unknown> => {
    const key = `${schema.uid}:${depth}`;
    if (populateMemo.has(key)) return populateMemo.get(key)!;
    const names = nestedNames(schema);
    if (names.length === 0) return fc.constant('*');
    const one = (name: string): fc.Arbitrary<unknown> => {
      const a = schema.attributes[name];
      const target = schemaOf(a.target ?? a.component);
      if (!target) return fc.constant(true);
      return fc.oneof(
        fc.constant(true),
        fc.constant('*'),
        fc.record(
          {
            ...(depth > 0 ? { populate: fc.constant(null).chain(() => populate(target, depth - 1)) } : {}),
            filters: filters(target, 1),
            sort: sort(target),
            fields: fields(target),
          },
          { requiredKeys: [] }
        )
      );
    };
    const arbitrary = fc.oneof(
      fc.constant('*'),
      fc.constantFrom(...names),
      fc.array(fc.constantFrom(...names, '*'), { minLength: 1, maxLength: 3 }),
      fc.uniqueArray(fc.constantFrom(...names), { minLength: 1, maxLength: 3 }).chain((chosen) => fc.tuple(...chosen.map(one)).map((values) => Object.fromEntries(chosen.map((name, i) => [name, values[i]]))))
    );
    populateMemo.set(key, arbitrary);
    return arbitrary;
  };

  const restQuery = (schema: Schema | undefined, list: boolean) =>
    fc.record(
      {
        filters: schema ? sometimes(fc.oneof({ weight: 3, arbitrary: filters(schema, 3) }, { weight: 2, arbitrary: walk(schema, 3) }), list ? 0.8 : 0.15) : fc.constant(undefined),
        sort: schema && list ? sometimes(sort(schema), 0.3) : fc.constant(undefined),
        _q: list ? sometimes(text, 0.25) : fc.constant(undefined),
        populate: schema ? sometimes(populate(schema, 2), 0.3) : fc.constant(undefined),
        fields: schema ? sometimes(fields(schema), 0.2) : fc.constant(undefined),
        status: sometimes(fc.oneof({ weight: 6, arbitrary: fc.constantFrom('draft', 'published') }, { weight: 1, arbitrary: fc.constantFrom('DRAFT', 'modified', '') }), 0.3),
        pagination: list ? sometimes(pagination, 0.2) : fc.constant(undefined),
      },
      { requiredKeys: [] }
    );

  // REST: every GET route of the content API, with the content type its path names.
  const typesByName = new Map<string, Schema>();
  for (const schema of Object.values(model.contentTypes)) {
    if (schema.uid.startsWith('admin::')) continue;
    if (schema.pluralName) typesByName.set(schema.pluralName, schema);
    if (schema.singularName && schema.kind === 'singleType') typesByName.set(schema.singularName, schema);
  }
  const routes = model.routes.filter((route) => !/^\/api\/(auth|connect)\//.test(route));
  const pathParam = (name: string): fc.Arbitrary<string> => {
    if (name === 'slug') return fc.oneof(fc.constantFrom(...model.pool.slugs), fc.constantFrom(...markers.slugs), text);
    if (name === 'uid') return fc.constantFrom(...Object.keys(model.contentTypes), ...Object.keys(model.components));
    return fc.oneof({ weight: 3, arbitrary: documentId }, { weight: 2, arbitrary: fc.integer({ min: 0, max: 40 }).map(String) }, { weight: 1, arbitrary: fc.constantFrom(...markers.slugs, ...model.pool.slugs) }, { weight: 1, arbitrary: text });
  };
  // Mostly the public collections' lists (where filters, sort and search apply), all routes sometimes.
  const weightOf = (route: string) => {
    const named = route.split('/').slice(2).reverse().find((s) => typesByName.has(s));
    const uid = named ? typesByName.get(named)!.uid : '';
    return uid.startsWith('api::') ? (route.includes(':') ? 3 : 12) : 1;
  };
  const restRequest = fc.oneof(...routes.map((route) => ({ weight: weightOf(route), arbitrary: fc.constant(route) }))).chain((route) => {
    const segments = route.split('/').slice(2);
    const params = segments.filter((s) => s.startsWith(':')).map((s) => s.slice(1));
    const named = [...segments].reverse().find((s) => typesByName.has(s));
    const schema = named ? typesByName.get(named) : undefined;
    const list = params.length === 0;
    return fc.tuple(fc.tuple(...params.map(pathParam)), restQuery(schema, list)).map(([values, query]) => {
      let i = 0;
      const path = `/api/${segments.map((s) => (s.startsWith(':') ? encodeURIComponent(values[i++]) : s)).join('/')}`;
      return { path, query: compact(query), schema };
    });
  });

  const rest = restRequest.map(({ path, query, schema }) => {
    const search = qs.stringify(query, { encodeValuesOnly: true });
    return { method: 'GET' as const, path: search ? `${path}?${search}` : path, features: restFeatures(model, schema, query) };
  });

  // GraphQL: every query field of the public schema, with arguments and selections from its types.
  const graphqlSchema = buildSchema(model.graphqlSchema);
  const graphql = graphqlArbitraries(graphqlSchema, { text, documentId, number, date, slugs: [...model.pool.slugs, ...markers.slugs], anything });

  const huge = hugeRequests(markers);
  return {
    rest: rest.filter((r) => r.path.length <= 6000),
    graphql: graphql.filter((r) => tokenCount(r.query) <= 900).map((r) => graphqlRequest(r)),
    huge,
  };
};

/**
 * An object of one entry, sometimes two or three: every further condition is ANDed, and a single
 * condition that reaches a draft is what tells the databases apart.
 */
const fewEntries = (entry: fc.Arbitrary<readonly [string, unknown]>) =>
  fc.oneof({ weight: 3, arbitrary: fc.array(entry, { minLength: 1, maxLength: 1 }) }, { weight: 1, arbitrary: fc.array(entry, { minLength: 2, maxLength: 3 }) }).map((list) => Object.fromEntries(list) as Record<string, unknown>);

/** `arbitrary` with probability `p`, else undefined. */
const sometimes = <T>(arbitrary: fc.Arbitrary<T>, p: number): fc.Arbitrary<T | undefined> =>
  fc.oneof({ weight: Math.round(p * 100), arbitrary }, { weight: Math.round((1 - p) * 100), arbitrary: fc.constant(undefined) });

const compact = (query: Record<string, unknown>) => Object.fromEntries(Object.entries(query).filter(([, v]) => v !== undefined));

/** Rough GraphQL token count (names, punctuation, strings), to keep ordinary requests under the server's 1000. */
const tokenCount = (query: string) => query.match(/"(?:[^"\\]|\\.)*"|[A-Za-z_][A-Za-z0-9_]*|-?\d+(?:\.\d+)?(?:e[+-]?\d+)?|[{}()[\]:!$=@|&]|\.\.\./g)?.length ?? 0;

/** What a REST request does, read from its query against the model. */
const restFeatures = (model: Model, schema: Schema | undefined, query: Record<string, unknown>) => {
  const features = new Set<string>();
  if (query._q !== undefined) features.add('search');
  if (query.status !== undefined) features.add(`status=${String(query.status)}`);
  if (query.populate !== undefined) features.add('populate');
  if (query.sort !== undefined) {
    features.add('sort');
    if (JSON.stringify(query.sort).includes('.')) features.add('sort through relation');
  }
  const walk = (s: Schema | undefined, value: unknown, hops: string[]) => {
    if (!value || typeof value !== 'object' || !s) return;
    for (const [key, below] of Object.entries(value as Record<string, unknown>)) {
      if (key === '$and' || key === '$or' || key === '$not') {
        (Array.isArray(below) ? below : [below]).forEach((b) => walk(s, b, hops));
        continue;
      }
      const attribute = s.attributes[key];
      if (!attribute) continue;
      if (attribute.private) features.add('private field');
      const target = model.contentTypes[attribute.target ?? ''] ?? model.components[attribute.component ?? ''];
      if (target && below && typeof below === 'object' && Object.keys(below).some((k) => !k.startsWith('$'))) {
        features.add('relation filter');
        walk(target, below, [...hops, key]);
      }
    }
  };
  if (query.filters) {
    features.add('filters');
    walk(schema, query.filters, []);
  }
  if (query.populate && typeof query.populate === 'object' && JSON.stringify(query.populate).includes('"filters"')) features.add('populate filter');
  return [...features];
};

interface GraphqlValues {
  text: fc.Arbitrary<string>;
  documentId: fc.Arbitrary<string>;
  number: fc.Arbitrary<number>;
  date: fc.Arbitrary<string>;
  slugs: string[];
  anything: fc.Arbitrary<unknown>;
}

interface GraphqlDraft {
  query: string;
  variables?: Record<string, unknown>;
  viaGet: boolean;
  features: string[];
}

const graphqlRequest = (draft: GraphqlDraft) =>
  draft.viaGet
    ? {
        method: 'GET' as const,
        path: `/graphql?${qs.stringify({ query: draft.query, ...(draft.variables ? { variables: JSON.stringify(draft.variables) } : {}) })}`,
        features: draft.features,
      }
    : { method: 'POST' as const, path: '/graphql', body: JSON.stringify({ query: draft.query, variables: draft.variables }), features: draft.features };

const graphqlArbitraries = (schema: GraphQLSchema, values: GraphqlValues): fc.Arbitrary<GraphqlDraft> => {
  const scalar = (name: string, argName: string): fc.Arbitrary<unknown> => {
    switch (name) {
      case 'ID':
        return fc.oneof(values.documentId, fc.integer({ min: 0, max: 40 }).map(String));
      case 'Int':
        return fc.integer({ min: -1, max: 60 });
      case 'Float':
        return values.number;
      case 'Boolean':
        return fc.boolean();
      case 'Date':
        return values.date.filter((d) => /^\d{4}-\d{2}-\d{2}$/.test(d));
      case 'DateTime':
        return fc.constantFrom('2023-01-23T00:00:00.000Z', '2030-01-01T00:00:00.000Z', '2000-01-01T00:00:00.000Z');
      case 'JSON':
        return fc.oneof(values.text, values.anything);
      default:
        return argName === 'slug' ? fc.oneof(fc.constantFrom(...values.slugs), values.text) : values.text;
    }
  };
  const inputMemo = new Map<string, fc.Arbitrary<unknown>>();
  const input = (type: GraphQLInputType, depth: number, argName: string): fc.Arbitrary<unknown> => {
    const nullable = getNullableType(type) as GraphQLInputType;
    if (isListType(nullable)) {
      const item = input(nullable.ofType, depth, argName);
      return fc.oneof(fc.constant([]), fc.array(item, { minLength: 1, maxLength: 1 }), fc.array(item, { minLength: 2, maxLength: 2 }), fc.array(item, { minLength: 3, maxLength: 8 }));
    }
    if (isEnumType(nullable)) return fc.constantFrom(...nullable.getValues().map((v) => v.value));
    if (isScalarType(nullable)) return scalar(nullable.name, argName);
    if (!isInputObjectType(nullable)) return fc.constant(null);
    const key = `${nullable.name}:${depth}`;
    if (inputMemo.has(key)) return inputMemo.get(key)!;
    const fields = Object.values(nullable.getFields()).filter((f) => depth > 0 || !isInputObjectType(getNamedType(f.type)) || !/FiltersInput$/.test(getNamedType(f.type).name));
    const logical = (name: string) => name === 'and' || name === 'or' || name === 'not';
    const usable = fields.filter((f) => depth > 0 || !logical(f.name));
    const below = (f: (typeof usable)[number]) => (logical(f.name) || /FiltersInput$/.test(getNamedType(f.type).name) ? depth - 1 : depth);
    // Relation and component hops (other *FiltersInput) more often than scalar fields.
    const entry = () =>
      fc
        .oneof(...usable.map((f) => ({ weight: /FiltersInput$/.test(getNamedType(f.type).name) && !logical(f.name) ? 4 : 1, arbitrary: fc.constant(f) })))
        .chain((f) => fc.constant(null).chain(() => input(f.type, below(f), f.name)).map((v) => [f.name, v] as const));
    const arbitrary = usable.length ? fewEntries(entry()) : fc.constant({});
    inputMemo.set(key, arbitrary);
    return arbitrary;
  };

  const argValue = (arg: GraphQLArgument, depth: number): fc.Arbitrary<unknown> => {
    const named = getNamedType(arg.type);
    if (arg.name === 'sort') return fc.array(fc.constantFrom('title', 'name', 'slug:desc', 'startDate:asc', 'series.name', 'familyName:desc', 'documentId', 'email', 'id:desc'), { maxLength: 2 });
    if (arg.name === 'pagination') return fc.oneof(fc.record({ page: fc.integer({ min: 0, max: 3 }), pageSize: fc.integer({ min: 0, max: 120 }) }, { requiredKeys: [] }), fc.record({ start: fc.integer({ min: 0, max: 20 }), limit: fc.integer({ min: -1, max: 120 }) }, { requiredKeys: [] }));
    if (arg.name === 'filters') return input(arg.type, depth, arg.name);
    if (isLeafType(named) || isInputObjectType(named) || isListType(getNullableType(arg.type))) return input(arg.type, depth, arg.name);
    return fc.constant(null);
  };

  /** Arguments of a field: the required ones always, the others sometimes. */
  const args = (field: GraphQLField<unknown, unknown>, depth: number, filtersChance: number) =>
    fc.tuple(
      ...field.args.map((arg) =>
        isNonNullType(arg.type)
          ? argValue(arg, depth).map((v) => [arg, v] as const)
          : sometimes(argValue(arg, depth).map((v) => [arg, v] as const), arg.name === 'filters' ? filtersChance : arg.name === 'status' ? 0.3 : 0.15)
      )
    ).map((list) => list.filter((x): x is readonly [GraphQLArgument, unknown] => x !== undefined));

  const selectionMemo = new Map<string, fc.Arbitrary<string>>();
  const selection = (type: GraphQLNamedType, depth: number): fc.Arbitrary<string> => {
    const key = `${type.name}:${depth}`;
    if (selectionMemo.has(key)) return selectionMemo.get(key)!;
    let arbitrary: fc.Arbitrary<string>;
    if (isUnionType(type)) {
      const members = type.getTypes();
      arbitrary = fc.uniqueArray(fc.constantFrom(...members), { minLength: 1, maxLength: 2 }).chain((chosen) =>
        fc.tuple(...chosen.map((member) => selection(member, Math.min(depth, 0)))).map((parts) => `{ __typename ${chosen.map((m, i) => `... on ${m.name} ${parts[i]}`).join(' ')} }`)
      );
    } else if (isObjectType(type)) {
      const fields = Object.values(type.getFields()).filter((f) => f.args.every((a) => !isNonNullType(a.type)));
      const leaves = fields.filter((f) => isLeafType(getNamedType(f.type)));
      const objects = fields.filter((f) => !isLeafType(getNamedType(f.type)));
      const leaf = leaves.length ? fc.constantFrom(...leaves).map((f) => f.name) : fc.constant('__typename');
      const nested = depth > 0 && objects.length ? [fc.constantFrom(...objects).chain((f) => subField(f, depth - 1))] : [];
      const pageInfo = type.getFields().pageInfo ? [fc.constant('pageInfo { total page pageSize pageCount }')] : [];
      // One selection per field name: the same field twice with other arguments is a validation error.
      const byName = (parts: string[]) => [...new Map(parts.map((part) => [part.split(/[\s(]/)[0], part])).values()];
      arbitrary = fc.array(fc.oneof({ weight: 3, arbitrary: leaf }, ...nested.map((arbitrary) => ({ weight: 3, arbitrary })), ...pageInfo.map((arbitrary) => ({ weight: 3, arbitrary }))), { minLength: 1, maxLength: 4 }).map((parts) => `{ ${byName(parts).join(' ')} }`);
    } else {
      arbitrary = fc.constant('');
    }
    selectionMemo.set(key, arbitrary);
    return arbitrary;
  };
  const subField = (field: GraphQLField<unknown, unknown>, depth: number): fc.Arbitrary<string> =>
    fc.tuple(args(field, 1, 0.3), selection(getNamedType(field.type), depth)).map(([list, sub]) => `${field.name}${inlineArgs(list)} ${sub}`);

  const queryType = schema.getQueryType()!;
  const roots = Object.values(queryType.getFields()).filter((f) => !isLeafType(getNamedType(f.type)));
  // Mostly the public content types' queries (the plugins' ones answer 403 to public clients).
  const PLUGIN_ROOT = /^(uploadFile|i18N|reviewWorkflows|usersPermissions|me$)/;
  const rootField = fc.oneof(...roots.map((field) => ({ weight: PLUGIN_ROOT.test(field.name) ? 1 : 5, arbitrary: fc.constant(field) }))).chain((field) =>
    fc.tuple(args(field, 3, 0.75), selection(getNamedType(field.type), 2), fc.boolean(), fc.boolean()).map(([list, sub, asVariables, viaGet]) => {
      const features = new Set<string>(['graphql']);
      for (const [arg, value] of list) {
        if (arg.name === 'filters') features.add('filters');
        if (arg.name === 'status' && value === 'DRAFT') features.add('status=draft');
        if (arg.name === 'publicationFilter' || arg.name === 'hasPublishedVersion') features.add('publication state');
      }
      if (list.some(([arg, value]) => arg.name === 'filters' && hopsRelation(arg.type, value))) features.add('relation filter');
      if (/\(filters:/.test(sub)) features.add('populate filter');
      if (asVariables && list.length) {
        const declared = list.map(([arg]) => `$${arg.name}: ${String(arg.type)}`).join(', ');
        const passed = list.map(([arg]) => `${arg.name}: $${arg.name}`).join(', ');
        return { query: `query Fuzz(${declared}) { ${field.name}(${passed}) ${sub} }`, variables: Object.fromEntries(list.map(([arg, v]) => [arg.name, v])), viaGet, features: [...features, 'variables'] };
      }
      return { query: `{ ${field.name}${inlineArgs(list)} ${sub} }`, viaGet, features: [...features] };
    })
  );
  return rootField;
};

/** Whether a GraphQL filter value walks a relation or component (a field whose input is another *FiltersInput). */
const hopsRelation = (type: GraphQLInputType, value: unknown): boolean => {
  const named = getNamedType(type);
  if (!isInputObjectType(named) || !value || typeof value !== 'object') return false;
  const fields = named.getFields();
  return Object.entries(value as Record<string, unknown>).some(([key, below]) => {
    const field = fields[key];
    if (!field) return false;
    const inner = getNamedType(field.type);
    const isLogical = key === 'and' || key === 'or' || key === 'not';
    if (isLogical) return (Array.isArray(below) ? below : [below]).some((b) => hopsRelation(field.type, b));
    return /FiltersInput$/.test(inner.name);
  });
};

/** A GraphQL literal of `value` for an argument of `type` (JSON scalars take object and list literals too). */
const literal = (value: unknown, type: GraphQLInputType): string => {
  const nullable = getNullableType(type) as GraphQLInputType;
  if (value === null || value === undefined) return 'null';
  if (isListType(nullable)) return Array.isArray(value) ? `[${value.map((v) => literal(v, nullable.ofType)).join(', ')}]` : literal(value, nullable.ofType);
  if (isInputObjectType(nullable)) {
    const fields = nullable.getFields();
    return `{ ${Object.entries(value as Record<string, unknown>).filter(([k]) => fields[k]).map(([k, v]) => `${k}: ${literal(v, fields[k].type)}`).join(', ')} }`;
  }
  if (isEnumType(nullable)) return String(value);
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return `[${value.map((v) => literal(v, nullable)).join(', ')}]`;
  return `{ ${Object.entries(value as Record<string, unknown>).filter(([k]) => /^[_A-Za-z]\w*$/.test(k)).map(([k, v]) => `${k}: ${literal(v, nullable)}`).join(', ')} }`;
};

const inlineArgs = (list: ReadonlyArray<readonly [GraphQLArgument, unknown]>) => (list.length ? `(${list.map(([arg, value]) => `${arg.name}: ${literal(value, arg.type)}`).join(', ')})` : '');

/** Deliberately huge or deep requests: deep $or/$not nesting, many branches, long lists, many aliases. */
const hugeRequests = (markers: Markers): fc.Arbitrary<Omit<FuzzRequest, 'auth'>> => {
  const probe = markers.core;
  const nestedNot = (depth: number, inner: object): object => (depth === 0 ? inner : { $not: nestedNot(depth - 1, inner) });
  const nestedOr = (depth: number, inner: object): object => (depth === 0 ? inner : { $or: [nestedOr(depth - 1, inner), { title: { $null: true } }] });
  const collections = ['workshops', 'people', 'workshop-series-list', 'sponsors', 'organizations'];
  const textField: Record<string, string> = { workshops: 'title', people: 'name', 'workshop-series-list': 'name', sponsors: 'name', organizations: 'name' };
  const rest = (path: string, query: object, features: string[]) => ({ method: 'GET' as const, path: `${path}?${qs.stringify(query, { encodeValuesOnly: true })}`, features: [...features, 'huge'], huge: true });
  const gql = (query: string, features: string[]) => ({ method: 'POST' as const, path: '/graphql', body: JSON.stringify({ query }), features: ['graphql', ...features, 'huge'], huge: true });
  return fc.oneof(
    fc.tuple(fc.constantFrom(...collections), fc.integer({ min: 20, max: 400 })).map(([c, depth]) => rest(`/api/${c}`, { filters: nestedNot(depth, { [textField[c]]: { $containsi: probe } }) }, ['filters', 'deep $not'])),
    fc.tuple(fc.constantFrom(...collections), fc.integer({ min: 10, max: 120 })).map(([c, depth]) => rest(`/api/${c}`, { filters: nestedOr(depth, { [textField[c]]: { $containsi: probe } }) }, ['filters', 'deep $or'])),
    fc.tuple(fc.constantFrom(...collections), fc.integer({ min: 50, max: 2000 })).map(([c, n]) => rest(`/api/${c}`, { filters: { $or: Array.from({ length: n }, (_, i) => ({ [textField[c]]: { $containsi: `${probe}${i}` } })) } }, ['filters', 'wide $or'])),
    fc.integer({ min: 100, max: 5000 }).map((n) => rest('/api/people', { filters: { slug: { $in: Array.from({ length: n }, (_, i) => `${probe}-${i}`) } } }, ['filters', 'long $in'])),
    fc.integer({ min: 2, max: 10 }).map((n) =>
      rest('/api/workshop-series-list', { filters: { $or: Array.from({ length: n }, (_, i) => ({ workshops: { series: { workshops: { speakers: { person: { affiliation: { name: { $containsi: `${probe}${i}` } } } } } } } })) } }, ['filters', 'relation filter', 'many relation branches'])
    ),
    fc.integer({ min: 3, max: 30 }).map((depth) => rest('/api/workshops', { populate: nestedPopulate(depth) }, ['populate', 'deep populate'])),
    fc.integer({ min: 20, max: 300 }).map((depth) => gql(`{ workshops(filters: ${'{ not: '.repeat(depth)}{ title: { containsi: "${probe}" } }${' }'.repeat(depth)}) { title } }`, ['filters', 'deep not'])),
    fc.integer({ min: 10, max: 200 }).map((n) => gql(`{ people(filters: { or: [${Array.from({ length: n }, (_, i) => `{ name: { containsi: "${probe}${i}" } }`).join(', ')}] }) { name } }`, ['filters', 'wide or'])),
    fc.integer({ min: 10, max: 60 }).map((n) => gql(`{ ${Array.from({ length: n }, (_, i) => `a${i}: workshopSeriesList_connection(filters: { workshops: { title: { startsWith: "${probe.slice(0, 2 + (i % 6))}" } } }) { pageInfo { total } }`).join(' ')} }`, ['filters', 'relation filter', 'many aliases'])),
    fc.integer({ min: 4, max: 20 }).map((depth) => gql(`{ workshopSeriesList { ${'workshops { series { '.repeat(depth)}name${' } }'.repeat(depth)} } }`, ['deep selection']))
  );
};

const nestedPopulate = (depth: number): object | string => (depth === 0 ? '*' : { series: { populate: { workshops: { populate: nestedPopulate(depth - 1) } } } });
