import { urlProblems, type Problem } from './workshop-rules';

type Row = { [field: string]: any };

/** Web addresses of the other types, checked with the same message as a workshop's. */
const URL_FIELDS: Record<string, string[]> = {
  'api::person.person': ['homepage'],
  'api::organization.organization': ['url'],
  'api::sponsor.sponsor': ['url'],
  'api::institute.institute': ['url'],
};

const ORCID = /^\d{4}-\d{4}-\d{4}-\d{3}[\dX]$/;

export const hasRules = (uid: string) => uid in URL_FIELDS;

export const documentProblems = (uid: string, row: Row): Problem[] => {
  const problems = urlProblems(row as never, URL_FIELDS[uid] ?? []);
  if (uid === 'api::person.person' && row.orcid && !ORCID.test(row.orcid)) {
    problems.push({ path: ['orcid'], message: `"${row.orcid}" is not an ORCID iD: it looks like 0000-0002-1825-0097.` });
  }
  return problems;
};
