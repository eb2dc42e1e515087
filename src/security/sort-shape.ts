/**
 * Strapi validates the field names of a REST `sort`, but a path with an empty part (`sort=..`,
 * `sort=../x`, `sort=.title`) passes and fails in the database as a 500 "Attribute not found"
 * (found by tests/security/fuzz.test.ts). This says what is wrong with such a `sort`, if anything.
 */
export const sortProblem = (sort: unknown, path = 'sort'): string | undefined => {
  if (sort === undefined || sort === null) return undefined;
  if (typeof sort === 'string') {
    for (const entry of sort.split(',')) {
      const field = entry.trim().replace(/:(asc|desc)$/i, '');
      if (field.split('.').some((part) => part === '')) return `${path} has an empty field name in "${entry}"; write fields as title or series.name, optionally with :asc or :desc`;
    }
    return undefined;
  }
  if (Array.isArray(sort)) return sort.map((item, index) => sortProblem(item, `${path}[${index}]`)).find(Boolean);
  if (typeof sort === 'object') {
    for (const [key, value] of Object.entries(sort)) {
      if (key === '') return `${path} has an empty field name`;
      const problem = typeof value === 'string' ? undefined : sortProblem(value, `${path}[${key}]`);
      if (problem) return problem;
    }
  }
  return undefined;
};
