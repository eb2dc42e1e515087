import net from 'net';
import { createTestDatabase, renameTable, type TestDatabase } from '../helpers/database';
import { acknowledgeInternalError } from '../helpers/internal-errors';
import { waitFor } from '../faults/support/fault-suite';
import { startStrapiProcess, type StrapiProcess } from '../faults/support/strapi-process';
import { saneRequestId } from '../../src/observability/request-id';

/**
 * JSON logs with a request id (src/observability): the server runs in a process of its own with
 * LOG_FORMAT=json, and its output is read as operators' log collectors read it, line by line.
 */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** What the test harness itself prints (tests/faults/support/start-server.js), not the server's logger. */
const HARNESS_LINE = /^Listening on port \d+$/;

interface LogLine {
  timestamp: string;
  level: string;
  message: string;
  requestId?: string;
  [field: string]: unknown;
}

let database: TestDatabase;
let server: StrapiProcess;

beforeAll(async () => {
  database = await createTestDatabase();
  server = await startStrapiProcess({ ...database.env, LOG_FORMAT: 'json', LOG_LEVEL: 'http' });
});

afterAll(async () => {
  await server?.stop();
  await database?.drop();
});

/** Every line the server printed, each parsed as JSON (a line that is not JSON fails here, naming it). */
const logLines = (): LogLine[] =>
  server
    .output()
    .split('\n')
    .filter((line) => line !== '' && !HARNESS_LINE.test(line))
    .map((line) => {
      try {
        return JSON.parse(line) as LogLine;
      } catch {
        throw new Error(`A log line is not JSON: ${line.slice(0, 300)}`);
      }
    });

/** Strapi's access line (strapi::logger) of a request, once printed. */
const accessLineOf = async (method: string, url: string) => {
  const pattern = new RegExp(`^${method} ${url.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\(\\d+ ms\\) \\d{3}$`);
  await waitFor(`the access line of ${method} ${url}`, () => logLines().some((line) => pattern.test(line.message)));
  const lines = logLines().filter((line) => pattern.test(line.message));
  expect(lines).toHaveLength(1);
  return lines[0];
};

describe('JSON logs (LOG_FORMAT=json)', () => {
  it('are one JSON object a line, with an ISO timestamp, a level and a message, from start-up on', () => {
    const lines = logLines();
    expect(lines.some((line) => line.message === 'Strapi started successfully')).toBe(true);
    for (const line of lines) {
      expect(line).toMatchObject({ level: expect.any(String), message: expect.any(String) });
      expect(new Date(line.timestamp).toISOString()).toBe(line.timestamp);
    }
    // Nothing of Strapi's start-up box, printed outside the logger, is in the output.
    expect(server.output()).not.toMatch(/Project information|Welcome back/);
  });

  it('carry nothing of a request outside requests: start-up lines have no requestId', () => {
    const started = logLines().find((line) => line.message === 'Strapi started successfully');
    expect(started).toBeDefined();
    expect(started).not.toHaveProperty('requestId');
  });
});

describe('the request id', () => {
  it('is taken from x-request-id, answered back, and on the access line of that request', async () => {
    const res = await server.http().get('/api/workshops?requestIdTest=given').set('x-request-id', 'lb-7f3a.given_id:01');
    expect(res.status).toBe(200);
    expect(res.headers['x-request-id']).toBe('lb-7f3a.given_id:01');
    const access = await accessLineOf('GET', '/api/workshops?requestIdTest=given');
    expect(access).toMatchObject({ level: 'http', requestId: 'lb-7f3a.given_id:01' });
  });

  it('is made (a UUID) when the request has none, answered and logged', async () => {
    const res = await server.http().get('/api/people?requestIdTest=made');
    expect(res.status).toBe(200);
    expect(res.headers['x-request-id']).toMatch(UUID);
    expect((await accessLineOf('GET', '/api/people?requestIdTest=made')).requestId).toBe(res.headers['x-request-id']);
  });

  it('stays with its own request when requests run at the same time', async () => {
    const ids = Array.from({ length: 8 }, (_, index) => `concurrent-${index}`);
    const answers = await Promise.all(
      ids.map((id, index) =>
        index % 2 === 0
          ? server.http().get(`/api/workshops?concurrent=${index}`).set('x-request-id', id)
          : server.http().post(`/graphql?concurrent=${index}`).set('x-request-id', id).send({ query: `query Concurrent${index} { workshops { title } }` })
      )
    );
    answers.forEach((res, index) => {
      expect(res.status).toBe(200);
      expect(res.headers['x-request-id']).toBe(ids[index]);
    });
    for (const [index, id] of ids.entries()) {
      const access = await accessLineOf(index % 2 === 0 ? 'GET' : 'POST', index % 2 === 0 ? `/api/workshops?concurrent=${index}` : `/graphql?concurrent=${index}`);
      expect(access.requestId).toBe(id);
    }
  });

  it('is on the line of an internal error logged deep inside (src/errors), with the error id as a field', async () => {
    await renameTable(database, 'sponsors', 'sponsors_gone');
    let res;
    try {
      res = await server.http().post('/graphql').set('x-request-id', 'internal-error-request').send({ query: 'query MissingTable { sponsors { name } }' });
    } finally {
      await renameTable(database, 'sponsors_gone', 'sponsors');
    }
    acknowledgeInternalError(res);
    expect(res.headers['x-request-id']).toBe('internal-error-request');
    const { errorId } = res.body.errors[0].extensions;
    expect(errorId).toMatch(UUID);

    await accessLineOf('POST', '/graphql');
    const aboutTheError = logLines().filter((line) => line.message.includes(errorId));
    expect(aboutTheError).toHaveLength(1);
    expect(aboutTheError[0]).toMatchObject({ level: 'error', requestId: 'internal-error-request', errorId });
    expect(aboutTheError[0].message).toMatch(new RegExp(`^Internal error ${errorId} on POST /graphql \\(GraphQL operation MissingTable\\): `));

    const ofTheRequest = logLines().filter((line) => line.requestId === 'internal-error-request');
    expect(ofTheRequest.map((line) => line.level).sort()).toEqual(['error', 'http']);
  });
});

describe('a malicious x-request-id', () => {
  const replaced = async (value: string, marker: string) => {
    const res = await server.http().get(`/api/organizations?malicious=${marker}`).set('x-request-id', value);
    expect(res.status).toBe(200);
    expect(res.headers['x-request-id']).toMatch(UUID);
    const access = await accessLineOf('GET', `/api/organizations?malicious=${marker}`);
    expect(access.requestId).toBe(res.headers['x-request-id']);
    expect(server.output()).not.toContain(value);
  };

  it('of 10 KB is replaced by a new id', () => replaced('a'.repeat(10 * 1024), 'long'));

  it('that would close the JSON object and forge fields is replaced', () =>
    replaced('x","level":"error","message":"forged line', 'quotes'));

  it('with spaces and characters outside the safe set is replaced', () => replaced('id with spaces ünïcode <script>', 'characters'));

  it('with a line break never gets into a log line: the HTTP parser refuses the request (400), and the id check would refuse the value', async () => {
    const port = Number(new URL(server.baseUrl).port);
    const forged = 'evil\r\n {"level":"error","message":"forged by a line break"}';
    const status = await new Promise<string>((resolve, reject) => {
      const socket = net.connect(port, '127.0.0.1', () =>
        socket.write(`GET /api/workshops?malicious=newline HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Request-Id: ${forged}\r\nConnection: close\r\n\r\n`)
      );
      let answer = '';
      socket.on('data', (chunk) => (answer += chunk.toString()));
      socket.on('close', () => resolve(answer.split('\r\n')[0]));
      socket.on('error', reject);
    });
    expect(status).toBe('HTTP/1.1 400 Bad Request');
    expect(server.output()).not.toContain('forged by a line break');
    // Should a parser ever let one through (a proxy in front, HTTP/2), the value is still refused.
    for (const value of ['evil\n{"level":"error"}', 'evil\r', 'a\u001b[31mred', 'a\u0000b', 'a\u2028b']) expect(saneRequestId(value)).toBeUndefined();
    expect(saneRequestId('4bf92f3577b34da6a3ce929d0e0e4736')).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
  });
});
