import { errors } from '@strapi/utils';
import { PUBLIC_QUERY_FIELDS } from './public-query-fields';
import { QUERY_BOUNDS } from './query-bounds';

/** A model (content type or component) as far as queries care. */
export interface QueryModel {
  uid: string;
  modelType?: string;
  info?: { pluralName?: string; displayName?: string };
  options?: { draftAndPublish?: boolean };
  attributes: Record<string, { type: string; target?: string; component?: string; relation?: string; repeatable?: boolean; multiple?: boolean }>;
}
type ModelOf = (uid: string) => QueryModel | undefined;

/** Who asks: public readers get the allowlist and guarded hops; everyone gets the bounds. */
export interface PolicyContext {
  modelOf: ModelOf;
  isPublic: boolean;
}

type Node = unknown;
type Group = Record<string, Node>;

const SINGLE = new Set(['$eq', '$ne', '$lt', '$lte', '$gt', '$gte']);
/** Operators that compare text: on a date or a number, PostgreSQL has no such function. */
const TEXT_MATCH = new Set(['$eqi', '$nei', '$contains', '$notContains', '$containsi', '$notContainsi', '$startsWith', '$startsWithi', '$endsWith', '$endsWithi']);
const LISTS = new Set(['$in', '$notIn']);
const NULL_CHECKS = new Set(['$null', '$notNull']);
const TEXT_TYPES = new Set(['string', 'text', 'uid', 'email', 'enumeration', 'richtext']);
const NUMBER_TYPES = new Set(['integer', 'biginteger', 'float', 'decimal']);
const NESTED_TYPES = new Set(['relation', 'component', 'media']);
/** Filtering through a hop into a draft & publish model sees its published rows only. */
export const PUBLISHED = { publishedAt: { $notNull: true } };

export const refuse = (message: string): never => {
  throw new errors.ValidationError(message);
};

export const isObject = (node: Node): node is Group => typeof node === 'object' && node !== null && !Array.isArray(node);
const isScalar = (node: Node) => ['string', 'number', 'boolean'].includes(typeof node);
/** A list as qs or GraphQL give it: an array, or an object with numeric keys (past qs's arrayLimit). */
const itemsOf = (node: Node): Node[] | undefined =>
  Array.isArray(node) ? node : isObject(node) && Object.keys(node).every((key) => /^\d+$/.test(key)) ? Object.values(node) : undefined;

export const nameOf = (model: QueryModel) => model.info?.pluralName ?? model.info?.displayName?.toLowerCase() ?? model.uid;

/** Where a nested attribute leads. */
export const targetOf = (attribute: QueryModel['attributes'][string]) =>
  attribute.type === 'media' ? 'plugin::upload.file' : attribute.type === 'component' ? attribute.component : attribute.target;

/** Whether a nested attribute holds many (each of its rows multiplies the rows of a join). */
const holdsMany = (attribute: QueryModel['attributes'][string]) =>
  attribute.type === 'component' ? attribute.repeatable === true : attribute.type === 'media' ? attribute.multiple === true : /Many$/.test(attribute.relation ?? '');

const isDate = (value: string) => /^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(Date.parse(`${value}T00:00:00Z`)) && new Date(`${value}T00:00:00Z`).toISOString().startsWith(value);

/** What is wrong with `value` as a value of an attribute of `type`, if anything. */
const valueProblem = (type: string, value: Node): string | undefined => {
  // GraphQL's DateTime scalar hands over a Date.
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? 'is not a valid date' : undefined;
  if (!isScalar(value)) return 'must be a single value (a string, a number or true/false)';
  const text = String(value);
  if (text.length > QUERY_BOUNDS.valueLength) return `is ${text.length} characters long; at most ${QUERY_BOUNDS.valueLength} are allowed`;
  if (type === 'date' && !isDate(text)) return `must be a date written YYYY-MM-DD, not "${text}"`;
  if (type === 'datetime' && Number.isNaN(Date.parse(text))) return `must be a date and time such as 2023-01-23T09:00:00Z, not "${text}"`;
  if ((type === 'id' || NUMBER_TYPES.has(type)) && !/^-?\d+(\.\d+)?$/.test(text)) return `must be a number, not "${text}"`;
  if (type === 'boolean' && !['true', 'false'].includes(text)) return `must be true or false, not "${text}"`;
  return undefined;
};

/**
 * Checks a filter (Strapi's shape, as the Document Service receives it from REST and GraphQL)
 * against the bounds, and for public readers against PUBLIC_QUERY_FIELDS, and returns it with
 * every hop into a draft & publish model restricted to published rows. Throws a ValidationError
 * (400) that names the field otherwise.
 *
 * Why `$not` may not hold such a hop: Strapi filters through relations with joins, row by row. A
 * guarded hop is false on a draft's row; under `$not` it turns true there, so the draft would
 * decide whether its series matches. Without `$not` above them, the rows of drafts can only
 * match where a published row already does, and the answer is the one the database would give
 * without any draft. The other hops of the allowlist lead from public documents to documents
 * that are public because a published workshop shows them (src/access/public-documents.ts).
 */
export class FilterPolicy {
  private conditions = 0;
  /** Every relation followed, as many times as it is named: each is a chain of joins of its own. */
  private readonly relations: string[] = [];
  /** Those that hold many: each multiplies the rows of every other chain. */
  private readonly manyRelations: string[] = [];

  constructor(private readonly context: PolicyContext) {}

  static apply(filters: Node, uid: string, context: PolicyContext, path = 'filters'): Node {
    if (filters === undefined || filters === null) return filters;
    const model = context.modelOf(uid);
    if (!model) return filters;
    return new FilterPolicy(context).group(filters, model, path, { nesting: 0, underNot: false, relationPath: '' });
  }

  private group(node: Node, model: QueryModel, path: string, at: Position): Group {
    if (!isObject(node)) return refuse(`${path} must hold conditions, such as ${path}.slug.$eq`);
    const rewritten: Group = {};
    for (const [key, value] of Object.entries(node)) {
      const here = `${path}.${key}`;
      if (key === '$and' || key === '$or') {
        const items = itemsOf(value);
        if (!items) return refuse(`${here} must be a list of conditions`);
        const inner = this.deeper(at, here);
        rewritten[key] = items.map((item, index) => this.group(item, model, `${here}.${index}`, inner));
      } else if (key === '$not') {
        // Strapi's query engine fails on a $not among a relation's conditions (found by
        // tests/security/differential-fuzz.test.ts); above the relation it means the same.
        if (at.relationPath) return refuse(`${here}: write $not above the relation, such as filters.$not.${at.relationPath}.slug.$eq`);
        rewritten[key] = this.group(value, model, here, { ...this.deeper(at, here), underNot: true });
      } else if (key.startsWith('$')) {
        return refuse(`${here}: an operator must follow a field name, such as ${path}.slug.${key}`);
      } else {
        rewritten[key] = this.field(key, value, model, here, at);
      }
    }
    return rewritten;
  }

  private field(name: string, value: Node, model: QueryModel, path: string, at: Position): Node {
    const attribute = name === 'id' || name === 'documentId' ? { type: name === 'id' ? 'id' : 'string' } : model.attributes[name];
    if (!attribute) return refuse(`${path}: ${nameOf(model)} have no field "${name}"`);
    if (this.context.isPublic) {
      const allowed = PUBLIC_QUERY_FIELDS[model.uid]?.filter ?? [];
      if (!allowed.includes(name)) {
        const offer = allowed.length ? `fields public clients can filter ${nameOf(model)} on: ${allowed.join(', ')}` : `public clients cannot filter ${nameOf(model)}`;
        return refuse(`${path}: "${name}" is not a public filter; ${offer}`);
      }
    }
    if (!NESTED_TYPES.has(attribute.type)) return this.comparisons(value, attribute.type, path, at);

    const target = this.context.modelOf(targetOf(attribute) ?? '');
    if (!target) return refuse(`${path}: cannot filter through "${name}"`);
    if (!isObject(value)) return refuse(`${path} leads to ${nameOf(target)}: name one of their fields, such as ${path}.documentId.$eq`);
    const relationPath = at.relationPath ? `${at.relationPath}.${name}` : name;
    this.relations.push(relationPath);
    if (this.relations.length > QUERY_BOUNDS.relations) {
      return refuse(`filters follow ${this.relations.length} relations (${this.relations.join(', ')}); at most ${QUERY_BOUNDS.relations} are allowed in one request, each time one is named`);
    }
    if (holdsMany(attribute)) this.manyRelations.push(relationPath);
    if (this.manyRelations.length > QUERY_BOUNDS.manyRelations) {
      return refuse(`filters follow ${this.manyRelations.length} relations that hold many (${this.manyRelations.join(', ')}); at most ${QUERY_BOUNDS.manyRelations} is allowed in one request, so ask one query per relation`);
    }
    const guarded = this.context.isPublic && target.options?.draftAndPublish === true;
    if (guarded && at.underNot) {
      return refuse(`${path}: public clients cannot put ${nameOf(target)} under $not (only published ones are visible); filter on what they should match instead`);
    }
    const conditions = this.group(value, target, path, { ...at, relationPath });
    return guarded ? { $and: [PUBLISHED, conditions] } : conditions;
  }

  /** The operators applied to one attribute of `type`: `{ $eq: x }`, `{ $in: [...] }`, `{ $not: {...} }`, or a bare value. */
  private comparisons(node: Node, type: string, path: string, at: Position): Node {
    if (!isObject(node)) {
      this.count(path);
      const problem = valueProblem(type, node);
      return problem ? refuse(`${path} ${problem}`) : node;
    }
    const rewritten: Group = {};
    for (const [operator, value] of Object.entries(node)) {
      const here = `${path}.${operator}`;
      if (operator === '$not') {
        rewritten[operator] = this.comparisons(value, type, here, this.deeper(at, here));
      } else if (operator === '$and' || operator === '$or') {
        // Strapi's query engine has no field-level $and / $or ("Undefined attribute level operator").
        return refuse(`${here}: ${operator} combines conditions, not values; write it above the field, such as filters.${operator}.0.<field>.$eq`);
      } else {
        rewritten[operator] = this.comparison(operator, value, type, here);
      }
    }
    return rewritten;
  }

  private comparison(operator: string, value: Node, type: string, path: string): Node {
    this.count(path);
    const problemOf = (item: Node) => valueProblem(type, item);
    if (NULL_CHECKS.has(operator)) {
      return ['true', 'false'].includes(String(value)) ? value : refuse(`${path} must be true or false`);
    }
    if (SINGLE.has(operator) || TEXT_MATCH.has(operator)) {
      if (TEXT_MATCH.has(operator) && !TEXT_TYPES.has(type)) return refuse(`${path}: ${operator} compares text; this field holds ${type} values, compare it with $eq, $lt, $gt or $between`);
      const problem = value === null ? 'needs a value (to find empty fields, use $null)' : problemOf(value);
      return problem ? refuse(`${path} ${problem}`) : value;
    }
    if (LISTS.has(operator) || operator === '$between') {
      const items = itemsOf(value) ?? [value];
      if (operator === '$between' && items.length !== 2) return refuse(`${path} needs exactly two values, the lowest and the highest, not ${items.length}`);
      if (items.length === 0) return refuse(`${path} needs at least one value`);
      if (items.length > QUERY_BOUNDS.listValues) return refuse(`${path} has ${items.length} values; at most ${QUERY_BOUNDS.listValues} are allowed`);
      items.forEach((item, index) => {
        const problem = item === null ? 'must not be null' : problemOf(item);
        if (problem) refuse(`${path}.${index} ${problem}`);
      });
      return items;
    }
    return refuse(`${path}: unknown operator ${operator}`);
  }

  private count(path: string) {
    this.conditions += 1;
    if (this.conditions > QUERY_BOUNDS.conditions) refuse(`filters hold more than ${QUERY_BOUNDS.conditions} conditions (the next is ${path}); ask for less in one request`);
  }

  private deeper(at: Position, path: string): Position {
    if (at.nesting + 1 > QUERY_BOUNDS.nesting) refuse(`${path}: $and, $or and $not are nested more than ${QUERY_BOUNDS.nesting} deep`);
    return { ...at, nesting: at.nesting + 1 };
  }
}

interface Position {
  /** `$and` / `$or` / `$not` levels above. */
  nesting: number;
  /** Whether a `$not` is above. */
  underNot: boolean;
  /** The relations followed, dotted (`series.workshops`). */
  relationPath: string;
}
