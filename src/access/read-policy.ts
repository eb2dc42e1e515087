import { FilterPolicy, isObject, nameOf, PUBLISHED, refuse, targetOf, type PolicyContext, type QueryModel } from './filter-policy';
import { PUBLIC_QUERY_FIELDS } from './public-query-fields';
import { QUERY_BOUNDS } from './query-bounds';

type Node = unknown;
type Params = Record<string, unknown>;


/** The field paths a Strapi sort names: `title:desc,slug`, `['title:desc']`, `{ title: 'desc' }`, `{ series: { name: 'asc' } }`. */
const sortedPaths = (sort: Node, prefix = ''): string[] => {
  if (typeof sort === 'string') return sort.split(',').map((entry) => prefix + entry.trim().replace(/:(asc|desc)$/i, ''));
  if (Array.isArray(sort)) return sort.flatMap((entry) => sortedPaths(entry, prefix));
  if (isObject(sort)) {
    return Object.entries(sort).flatMap(([field, direction]) => (isObject(direction) ? sortedPaths(direction, `${prefix}${field}.`) : [prefix + field]));
  }
  return [];
};

const checkSort = (sort: Node, model: QueryModel, { isPublic }: PolicyContext, path = 'sort') => {
  if (sort === undefined || sort === null) return;
  const paths = sortedPaths(sort);
  if (paths.length > QUERY_BOUNDS.sorts) refuse(`${path} has ${paths.length} fields; at most ${QUERY_BOUNDS.sorts} are allowed`);
  // Strapi's query engine fails on a sort through a relation inside a populate (a 500).
  const throughRelation = path !== 'sort' && paths.find((field) => field.includes('.'));
  if (throughRelation) refuse(`${path}: "${throughRelation}" sorts through a relation; inside populate, sort by the populated entries' own fields`);
  if (!isPublic) return;
  const allowed = PUBLIC_QUERY_FIELDS[model.uid]?.sort ?? [];
  for (const field of paths) {
    if (!allowed.includes(field)) {
      const offer = allowed.length ? `public clients can sort ${nameOf(model)} by ${allowed.join(', ')}` : `public clients cannot sort ${nameOf(model)}`;
      refuse(`${path}: "${field}" is not a public sort; ${offer}`);
    }
  }
};

/** `_q` as public readers may use it: a case-insensitive match in the fields declared searchable, never in others. */
const searchFilter = (search: Node, model: QueryModel, { isPublic }: PolicyContext): Node => {
  if (typeof search !== 'string') return refuse('_q must be a text to search for, such as _q=molecular');
  if (search.length > QUERY_BOUNDS.valueLength) refuse(`_q is ${search.length} characters long; at most ${QUERY_BOUNDS.valueLength} are allowed`);
  if (!isPublic || search.trim() === '') return undefined;
  const fields = PUBLIC_QUERY_FIELDS[model.uid]?.search ?? [];
  if (fields.length === 0) return refuse(`public clients cannot search ${nameOf(model)}`);
  return { $or: fields.map((field) => ({ [field]: { $containsi: search } })) };
};

/** A REST `populate` as one object, relation by relation: `*`, `a,b`, `['a.b']`, `{ a: true }`, `{ a: { populate: ... } }`. */
const populateEntries = (populate: Node, model: QueryModel): Record<string, Node> => {
  const all = () => Object.fromEntries((PUBLIC_QUERY_FIELDS[model.uid]?.populate ?? []).map((field) => [field, true]));
  if (populate === '*' || populate === true || populate === 'true') return all();
  if (typeof populate === 'string') return populateEntries(populate.split(','), model);
  if (Array.isArray(populate)) {
    const entries: Record<string, Node> = {};
    for (const item of populate) {
      if (item === '*') Object.assign(entries, all());
      else if (typeof item === 'string') {
        const [field, ...rest] = item.trim().split('.');
        entries[field] = rest.length ? { populate: rest.join('.') } : true;
      } else refuse('populate must list relations, such as populate[0]=speakers');
    }
    return entries;
  }
  if (isObject(populate)) return populate;
  return refuse('populate must name relations, such as populate=series or populate[speakers][populate]=person');
};

const POPULATE_OPTIONS = new Set(['populate', 'fields', 'filters', 'sort']);

/**
 * A public reader's `populate`, checked against PUBLIC_QUERY_FIELDS at every level (nothing
 * of the media library's `related`, no relation staff alone see), with the filters and sorts
 * inside it held to the same rules as the query's, and every populated draft & publish
 * relation restricted to published rows.
 */
const publicPopulate = (populate: Node, model: QueryModel, context: PolicyContext, path: string, hops: number): Node => {
  if (populate === undefined || populate === null) return populate;
  const allowed = PUBLIC_QUERY_FIELDS[model.uid]?.populate ?? [];
  const rewritten: Record<string, Node> = {};
  for (const [field, options] of Object.entries(populateEntries(populate, model))) {
    const here = `${path}.${field}`;
    if (!allowed.includes(field)) {
      const offer = allowed.length ? `public clients can populate ${allowed.join(', ')} of ${nameOf(model)}` : `nothing of ${nameOf(model)} can be populated by public clients`;
      refuse(`${here}: "${field}" cannot be populated; ${offer}`);
    }
    const attribute = model.attributes[field];
    const depth = attribute.type === 'component' ? hops : hops + 1;
    if (depth > QUERY_BOUNDS.populateDepth) refuse(`${here} populates ${depth} relations deep; at most ${QUERY_BOUNDS.populateDepth} are allowed`);
    const target = context.modelOf(targetOf(attribute) ?? '');
    if (!target) return refuse(`${here}: cannot populate "${field}"`);
    const given = isObject(options) ? options : options === true || options === 'true' || options === '*' ? {} : refuse(`${here} must be true or hold populate, fields, filters or sort`);
    for (const option of Object.keys(given)) if (!POPULATE_OPTIONS.has(option)) refuse(`${here}.${option}: public clients may give populate, fields, filters and sort here`);
    const entry: Record<string, Node> = { ...given };
    if (given.populate !== undefined) entry.populate = publicPopulate(given.populate, target, context, `${here}.populate`, depth);
    checkSort(given.sort, target, context, `${here}.sort`);
    const filters = FilterPolicy.apply(given.filters, target.uid, context, `${here}.filters`);
    const published = target.options?.draftAndPublish === true;
    if (filters !== undefined || published) entry.filters = published ? (filters ? { $and: [PUBLISHED, filters] } : PUBLISHED) : filters;
    rewritten[field] = Object.keys(entry).length ? entry : true;
  }
  return rewritten;
};

/** The sorts inside a staff `populate` (object form), held to the bounds: Strapi fails on some. */
const checkPopulateSorts = (populate: Node, model: QueryModel, context: PolicyContext, path = 'populate') => {
  if (!isObject(populate)) return;
  for (const [field, options] of Object.entries(populate)) {
    const attribute = model.attributes[field];
    const target = attribute && context.modelOf(targetOf(attribute) ?? '');
    if (!isObject(options) || !target) continue;
    checkSort(options.sort, target, context, `${path}.${field}.sort`);
    checkPopulateSorts(options.populate, target, context, `${path}.${field}.populate`);
  }
};

/**
 * The parameters of a content-API read of `model`, held to what its reader may ask: the bounds
 * for everyone; for public readers also the allowlist of src/access/public-query-fields.ts in
 * filters, sorts, searches and populates, with every hop into drafts restricted to published
 * rows. Returns the parameters to run; throws a ValidationError (400) naming the field otherwise.
 */
export const applyReadPolicy = (model: QueryModel, params: Params, context: PolicyContext): Params => {
  const next: Params = { ...params };
  let filters = FilterPolicy.apply(params.filters, model.uid, context);
  if (params._q !== undefined) {
    const search = searchFilter(params._q, model, context);
    if (context.isPublic) {
      delete next._q;
      if (search) filters = filters ? { $and: [filters, search] } : search;
    }
  }
  if (filters !== undefined) next.filters = filters;
  checkSort(params.sort, model, context);
  const offset = Number(params.start ?? 0);
  if (!Number.isSafeInteger(offset) || offset > QUERY_BOUNDS.offset) refuse(`pagination starts after ${params.start} rows; at most ${QUERY_BOUNDS.offset} can be skipped, so narrow the filters instead`);
  if (context.isPublic) {
    if (params.populate !== undefined) next.populate = publicPopulate(params.populate, model, context, 'populate', 0);
    // Publication filters select among drafts; public readers have none to select.
    delete next.publicationFilter;
    delete next.hasPublishedVersion;
  } else {
    checkPopulateSorts(params.populate, model, context);
  }
  return next;
};
