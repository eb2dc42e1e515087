/**
 * Strapi validates the field names a REST query lists in `sort` and `fields`, but lets a few
 * malformed lists through to the database, where they fail as a 500 (found by
 * tests/security/fuzz.test.ts): a sort path with an empty part (`sort=..`, `sort=../x`), a blank
 * `fields=`, and the same inside `populate`. These say what is wrong, if anything.
 */
type Node = unknown;
const isObject = (node: Node): node is Record<string, Node> => typeof node === 'object' && node !== null && !Array.isArray(node);

const SORT_HINT = 'write fields as title or series.name, optionally with :asc or :desc';

export const sortProblem = (sort: Node, path = 'sort'): string | undefined => {
  if (sort === undefined || sort === null) return undefined;
  if (typeof sort === 'string') {
    for (const entry of sort.split(',')) {
      const field = entry.trim().replace(/:(asc|desc)$/i, '');
      if (field.split('.').some((part) => part === '')) return `${path} has an empty field name in "${entry}"; ${SORT_HINT}`;
    }
    return undefined;
  }
  if (Array.isArray(sort)) return sort.map((item, index) => sortProblem(item, `${path}[${index}]`)).find(Boolean);
  if (isObject(sort)) {
    for (const [key, value] of Object.entries(sort)) {
      if (key === '') return `${path} has an empty field name; ${SORT_HINT}`;
      const problem = typeof value === 'string' ? undefined : sortProblem(value, `${path}[${key}]`);
      if (problem) return problem;
    }
  }
  return undefined;
};

export const fieldsProblem = (fields: Node, path = 'fields'): string | undefined =>
  typeof fields === 'string' && fields.trim() === '' ? `${path} is empty; list fields such as ${path}=title,slug` : undefined;

/** `sort` and `fields` of every relation a `populate` object names, at any depth. */
export const populateProblem = (populate: Node, path = 'populate'): string | undefined => {
  if (!isObject(populate)) return undefined;
  for (const [relation, options] of Object.entries(populate)) {
    if (!isObject(options)) continue;
    const at = `${path}[${relation}]`;
    const problem =
      sortProblem(options.sort, `${at}[sort]`) ?? fieldsProblem(options.fields, `${at}[fields]`) ?? populateProblem(options.populate, `${at}[populate]`);
    if (problem) return problem;
  }
  return undefined;
};
