/**
 * Strapi validates filter *keys* (unknown fields, private fields) but lets some malformed
 * *shapes* reach the database, which then fails with a 500: `filters[0]=x`, `filters[$in]=x`,
 * `filters[$and]=x`, `filters[title][$foo]=x`, `filters[title][title]=x`... (found by
 * tests/security/fuzz.test.ts). This checks the shape of a REST `filters` parameter against the
 * model it filters and says what is wrong.
 */
const LOGICAL = new Set(['$and', '$or']);
const LIST_OPERATORS = new Set(['$in', '$notIn', '$between']);
const OPERATORS = new Set([
  '$eq', '$eqi', '$ne', '$nei', '$lt', '$lte', '$gt', '$gte', '$contains', '$notContains', '$containsi', '$notContainsi',
  '$startsWith', '$startsWithi', '$endsWith', '$endsWithi', '$null', '$notNull', '$not', ...LOGICAL, ...LIST_OPERATORS,
]);

type Node = unknown;

/** A model's attributes, as far as filters care. */
export interface FilteredModel {
  modelType?: string;
  attributes: Record<string, { type: string; target?: string; component?: string }>;
}
/** What a filter path leads to: a model, a value (a scalar attribute), or unknown. */
type Target = FilteredModel | 'value' | undefined;
/** A model by uid (content type or component). */
export type ModelOf = (uid: string) => FilteredModel | undefined;

const NESTED_TYPES = new Set(['relation', 'component', 'media', 'dynamiczone']);
/** What filtering on `field` of `model` leads to. */
const targetOf = (model: Target, field: string, modelOf: ModelOf): Target => {
  if (!model || model === 'value') return undefined;
  if (field === 'id' || field === 'documentId') return 'value';
  const attribute = model.attributes[field];
  if (!attribute) return undefined;
  if (!NESTED_TYPES.has(attribute.type)) return 'value';
  if (attribute.type === 'relation' && attribute.target) return modelOf(attribute.target);
  if (attribute.type === 'component' && attribute.component) return modelOf(attribute.component);
  if (attribute.type === 'media') return modelOf('plugin::upload.file');
  return undefined;
};
const isObject = (node: Node): node is Record<string, Node> => typeof node === 'object' && node !== null && !Array.isArray(node);
const isScalar = (node: Node) => node === null || ['string', 'number', 'boolean'].includes(typeof node);
const itemsOf = (node: Node): Node[] | undefined => (Array.isArray(node) ? node : isObject(node) && Object.keys(node).every((k) => /^\d+$/.test(k)) ? Object.values(node) : undefined);

/** A group of conditions: field names and logical operators. Returns the first problem found. */
const conditionsProblem = (node: Node, path: string, model: Target, modelOf: ModelOf): string | undefined => {
  if (!isObject(node)) return `${path} must hold conditions, such as ${path}[title][$eq]=...`;
  for (const [key, value] of Object.entries(node)) {
    const at = `${path}[${key}]`;
    if (LOGICAL.has(key)) {
      const items = itemsOf(value);
      if (!items) return `${at} must be a list of conditions, such as ${at}[0][title][$eq]=...`;
      const problem = items.map((item, i) => conditionsProblem(item, `${at}[${i}]`, model, modelOf)).find(Boolean);
      if (problem) return problem;
    } else if (key === '$not') {
      const problem = conditionsProblem(value, at, model, modelOf);
      if (problem) return problem;
    } else if (key.startsWith('$')) {
      return `${at}: an operator must follow a field name, such as ${path}[title][${key}]=...`;
    } else if (/^\d+$/.test(key)) {
      return `${at}: "${key}" is not a field name`;
    } else if (!isScalar(value)) {
      const problem = fieldProblem(value, at, targetOf(model, key, modelOf), modelOf);
      if (problem) return problem;
    }
  }
  return undefined;
};

/** What follows a field name (that leads to `target`): operators, or the conditions of a related type. */
const fieldProblem = (node: Node, path: string, target: Target, modelOf: ModelOf): string | undefined => {
  if (!isObject(node)) return `${path} must be a value or operators, such as ${path}[$eq]=...`;
  for (const [key, value] of Object.entries(node)) {
    const at = `${path}[${key}]`;
    if (!key.startsWith('$')) {
      if (/^\d+$/.test(key)) return `${at}: "${key}" is not a field name`;
      if (target === 'value') return `${at}: ${path} holds a value, not fields; compare it with an operator, such as ${path}[$eq]=...`;
      // Strapi's validation accepts documentId anywhere; a component's table has no such column.
      if (key === 'documentId' && target?.modelType === 'component') return `${at}: ${path} is a component, which has no documentId; filter on its fields, such as ${path}[id][$eq]=...`;
      const problem = isScalar(value) ? undefined : fieldProblem(value, at, targetOf(target, key, modelOf), modelOf);
      if (problem) return problem;
    } else if (!OPERATORS.has(key)) {
      return `${at}: unknown operator ${key}`;
    } else if (key === '$not') {
      const problem = fieldProblem(value, at, target, modelOf);
      if (problem) return problem;
    } else if (LOGICAL.has(key)) {
      const items = itemsOf(value);
      if (!items) return `${at} must be a list, such as ${at}[0][$eq]=...`;
      const problem = items
        .map((item, i) => (isScalar(item) ? `${at}[${i}] must hold operators` : fieldProblem(item, `${at}[${i}]`, target, modelOf)))
        .find(Boolean);
      if (problem) return problem;
    } else if (LIST_OPERATORS.has(key)) {
      const items = itemsOf(value) ?? [value];
      if (!items.every(isScalar)) return `${at} must be a list of values, such as ${at}[0]=...`;
    } else if (!isScalar(value)) {
      return `${at} must be a single value`;
    }
  }
  return undefined;
};

/** The first problem of a REST `filters` parameter on `model` (without a model: of its shape only). */
export const filtersProblem = (filters: Node, model?: FilteredModel, modelOf: ModelOf = () => undefined): string | undefined =>
  filters === undefined ? undefined : conditionsProblem(filters, 'filters', model, modelOf);
