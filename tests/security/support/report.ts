import type { Outcome } from './differential';

/** What is wrong with one request's answers. */
export interface Problem {
  outcome: Outcome;
  mismatch: boolean;
  /** The fixture answer quotes the fixtures' marker more often than the honest one (which may echo the request). */
  markerLeak: boolean;
  serverError: boolean;
  internalError: boolean;
  timedOut: boolean;
  className: string;
}

const count = (text: string, needle: string) => text.toLowerCase().split(needle.toLowerCase()).length - 1;

/** Which leak class a problem belongs to: what a developer must fix, most specific first. */
const classify = (problem: Omit<Problem, 'className'>, privateFieldTypes: string[]): string => {
  const { request } = problem.outcome;
  const text = `${request.path} ${request.body ?? ''}`;
  const graphql = request.features.includes('graphql');
  if (problem.timedOut) return 'no answer in time (unbounded work)';
  if (problem.serverError) return graphql ? '5xx (GraphQL)' : '5xx (REST)';
  if (problem.internalError) return 'GraphQL INTERNAL_SERVER_ERROR';
  const where = /\/api\/upload|uploadFile/.test(text)
    ? 'media library'
    : /\/api\/users(?!-permissions)|usersPermissionsUser/.test(text)
      ? 'users-permissions users'
      : /\/api\/users-permissions|usersPermissionsRole/.test(text)
        ? 'users-permissions roles'
        : undefined;
  const features = new Set(request.features);
  const via = features.has('publication state')
    ? 'publicationFilter / hasPublishedVersion reveal draft state'
    : features.has('search')
    ? privateFieldTypes.some((path) => request.path.startsWith(path))
      ? 'search on private field'
      : 'search'
    : features.has('relation filter')
      ? 'relation filter through draft'
      : features.has('populate filter')
        ? 'populate filter through draft'
        : features.has('private field')
          ? 'filter on private field'
          : features.has('sort through relation')
            ? 'sort through relation'
            : features.has('populate')
              ? 'populate'
              : features.has('filters')
                ? 'filter'
                : 'plain read';
  if (where) return `${where} readable${problem.markerLeak ? ' (marker in answer)' : ''}`;
  if (problem.markerLeak) return `marker in answer: ${via}`;
  return `answers differ: ${via}${graphql ? ' (GraphQL)' : ''}`;
};

export const findProblems = (outcomes: Outcome[], core: string, privateFieldTypes: string[]): Problem[] =>
  outcomes.flatMap((outcome) => {
    const { honest, fixture } = outcome;
    const problem = {
      outcome,
      mismatch: honest.status !== fixture.status || honest.body !== fixture.body,
      markerLeak: count(fixture.body, core) > count(honest.body, core),
      serverError: honest.status >= 500 || fixture.status >= 500,
      internalError: [honest.body, fixture.body].some((body) => body.includes('"INTERNAL_SERVER_ERROR"')),
      timedOut: Boolean(honest.timedOut || fixture.timedOut),
    };
    if (!Object.values(problem).some((v) => v === true)) return [];
    return [{ ...problem, className: classify(problem, privateFieldTypes) }];
  });

const shorten = (text: string, max = 400) => (text.length > max ? `${text.slice(0, max)}... (${text.length} chars)` : text);

const readable = (path: string) => {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
};

/** The request as a developer types it: the decoded request line, and a curl command. */
export const describeRequest = (outcome: Outcome, baseUrl = 'http://127.0.0.1:1337') => {
  const { request } = outcome;
  const auth = request.auth === 'read-only' ? ` -H "Authorization: Bearer $READ_ONLY_TOKEN"` : '';
  const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
  const body = request.body ? ` -H 'Content-Type: application/json' --data ${quote(request.body)}` : '';
  return {
    line: `${request.method} ${shorten(readable(request.path), 600)}${request.body ? ` ${shorten(request.body, 600)}` : ''} (${request.auth})`,
    curl: `curl -sg${auth}${body} ${quote(baseUrl + request.path)}`,
  };
};

/** Both answers, shortened; when they differ, from a little before where they first differ. */
const answers = (outcome: Outcome) => {
  const { honest, fixture } = outcome;
  let at = 0;
  while (at < honest.body.length && honest.body[at] === fixture.body[at]) at++;
  const from = honest.body === fixture.body || at < 120 ? 0 : at - 120;
  const excerpt = (body: string) => (from > 0 ? `...${shorten(body.slice(from))}` : shorten(body));
  return [`      honest:  ${honest.status} ${excerpt(honest.body)}`, `      fixture: ${fixture.status} ${excerpt(fixture.body)}`];
};

const size = (outcome: Outcome) => outcome.request.path.length + (outcome.request.body?.length ?? 0);

/** The printed report: problems grouped by class (with the smallest request of each), then the first 20. */
export const formatReport = (problems: Problem[], header: string) => {
  const lines = [header, ''];
  const byClass = new Map<string, Problem[]>();
  for (const problem of problems) byClass.set(problem.className, [...(byClass.get(problem.className) ?? []), problem]);
  lines.push(`${problems.length} requests with problems, in ${byClass.size} classes:`);
  for (const [className, list] of [...byClass].sort((a, b) => b[1].length - a[1].length)) {
    const anonymous = list.filter((p) => p.outcome.request.auth === 'anonymous').length;
    const smallest = [...list].sort((a, b) => size(a.outcome) - size(b.outcome))[0];
    const { line, curl } = describeRequest(smallest.outcome);
    lines.push('', `  [${className}] ${list.length} requests (${anonymous} anonymous, ${list.length - anonymous} read-only token)`, `    smallest: ${line}`, `      ${curl}`, ...answers(smallest.outcome));
  }
  lines.push('', `First ${Math.min(20, problems.length)} problems, in the order sent:`);
  for (const problem of problems.slice(0, 20)) {
    const { line } = describeRequest(problem.outcome);
    const what = [problem.mismatch && 'answers differ', problem.markerLeak && 'marker in answer', problem.serverError && '5xx', problem.internalError && 'INTERNAL_SERVER_ERROR', problem.timedOut && 'timeout'].filter(Boolean).join(', ');
    lines.push('', `  [${problem.className}] ${what}`, `    ${line}`, ...answers(problem.outcome));
  }
  return lines.join('\n');
};

/** The slowest requests (the slower of the two servers), for the bounds. */
export const formatSlowest = (outcomes: Outcome[], n = 8) =>
  [...outcomes]
    .sort((a, b) => Math.max(b.honest.ms, b.fixture.ms) - Math.max(a.honest.ms, a.fixture.ms))
    .slice(0, n)
    .map((o) => `  ${Math.round(o.honest.ms)} ms honest, ${Math.round(o.fixture.ms)} ms fixture: ${describeRequest(o).line.slice(0, 300)}`)
    .join('\n');
