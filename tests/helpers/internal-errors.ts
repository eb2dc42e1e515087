import type request from 'supertest';

/**
 * Every answer a test gets that reports an internal error, recorded by the HTTP helpers
 * (tests/helpers/strapi.ts, tests/faults/support/strapi-process.ts): a GraphQL error with
 * extensions.code INTERNAL_SERVER_ERROR (which Apollo sends with HTTP 200 or 400, so no status
 * check sees it) or a REST 500. tests/helpers/fail-on-internal-errors.ts fails the test that got
 * one, as a 5xx is a failure, unless the test acknowledges that very answer.
 */
export interface InternalErrorAnswer {
  request: string;
  status: number;
  errors: string[];
  response: request.Response;
}

const recorded: InternalErrorAnswer[] = [];

const METHODS = ['get', 'post', 'put', 'patch', 'delete', 'head', 'options'] as const;
type Agent = ReturnType<typeof request>;

interface SentRequest {
  method: string;
  url: string;
  _data?: { query?: unknown; operationName?: unknown } | string;
}

const parsed = (data: SentRequest['_data']) => {
  if (typeof data !== 'string') return data;
  try {
    return JSON.parse(data) as { query?: unknown };
  } catch {
    return undefined;
  }
};

const describeRequest = (sent: SentRequest) => {
  const data = parsed(sent._data);
  const query = typeof data?.query === 'string' ? ` ${data.query.replace(/\s+/g, ' ').slice(0, 160)}` : '';
  return `${sent.method} ${sent.url.replace(/^https?:\/\/[^/]+/, '')}${query}`;
};

const internalErrorsOf = (response: request.Response): string[] => {
  const body = response.body as { errors?: unknown; error?: { name?: unknown; message?: unknown } } | undefined;
  const graphqlErrors = Array.isArray(body?.errors) ? (body.errors as { message?: unknown; extensions?: { code?: unknown } }[]) : [];
  const internal = graphqlErrors.filter((error) => error?.extensions?.code === 'INTERNAL_SERVER_ERROR').map((error) => String(error.message));
  if (response.status === 500 && internal.length === 0) internal.push(body?.error ? `${String(body.error.name)}: ${String(body.error.message)}` : response.text.slice(0, 300));
  return internal;
};

/** The agent (a fresh one per call of request()), with every answer it receives inspected. */
export const recordingInternalErrors = (agent: Agent): Agent => {
  const methods = agent as unknown as Record<(typeof METHODS)[number] | 'del', (url: string) => request.Test>;
  for (const method of METHODS) {
    const send = methods[method];
    methods[method] = (url: string) => {
      const test = send(url);
      test.on('response', (response: request.Response) => {
        const errors = internalErrorsOf(response);
        if (errors.length) recorded.push({ request: describeRequest(test as unknown as SentRequest), status: response.status, errors, response });
      });
      return test;
    };
  }
  methods.del = methods.delete;
  return agent;
};

/**
 * For a test that provokes an internal error on purpose: takes that one answer off the record
 * (and fails when it reported none). Other answers still fail the test.
 */
export const acknowledgeInternalError = (response: request.Response): InternalErrorAnswer => {
  const index = recorded.findIndex((answer) => answer.response === response);
  if (index < 0) throw new Error(`This answer (HTTP ${response.status}) reported no internal error: ${response.text.slice(0, 300)}`);
  return recorded.splice(index, 1)[0];
};

/** The answers recorded since the last call, and forgets them. */
export const takeInternalErrors = () => recorded.splice(0, recorded.length);

export const describeInternalErrors = (answers: InternalErrorAnswer[]) =>
  answers.map((answer) => `  ${answer.request}\n    HTTP ${answer.status}: ${answer.errors.join('; ')}`).join('\n');
