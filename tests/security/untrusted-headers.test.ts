import { spawn } from 'child_process';
import fs from 'fs';
import path from 'path';
import { createTestDatabase } from '../helpers/database';
import { startStrapi, testEnvironment, type TestApp } from '../helpers/strapi';
import { startStrapiProcess } from '../faults/support/strapi-process';
import { FIRST_WORKSHOP } from '../fixtures/first-workshop';

const PAGE = fs.readFileSync(path.join(__dirname, '..', '..', 'docs', 'graphql', 'contract', 'workshop-page.graphql'), 'utf8');
const VARIABLES = { slug: FIRST_WORKSHOP.slug };
const CALENDAR_PATH = `/api/workshops/${FIRST_WORKSHOP.slug}/calendar.ics`;
const ALLOWED = 'https://site.example.org';
/** Every header a client can send to name another host. */
const FORGED = { Host: 'evil.example', 'X-Forwarded-Host': 'evil.example', 'X-Forwarded-Proto': 'https', Forwarded: 'host=evil.example;proto=https' };

/**
 * Nothing a client sends changes a cached answer unless it is in its cache key or Vary: absolute
 * URLs come from configuration (PUBLIC_URL, else localhost and the configured port), never from
 * Host or X-Forwarded-Host, even behind a trusted proxy; Accept is in the key; Origin changes only
 * CORS headers, set on every answer.
 */
describe('headers a client controls', () => {
  let app: TestApp;
  let origin: string;
  beforeAll(async () => {
    // IS_PROXIED: Koa would believe X-Forwarded-Host, the worst case.
    app = await startStrapi({ IS_PROXIED: 'true', CORS_ORIGINS: ALLOWED });
    origin = `http://localhost:${app.strapi.config.get('server.port')}`;
  });
  afterAll(() => app?.stop());

  const page = (headers: Record<string, string> = {}) => app.http().post('/graphql').set(headers).send({ query: PAGE, variables: VARIABLES });

  it('never builds calendarUrl or JSON-LD from a forged Host, on a miss or on a hit', async () => {
    const forged = await page(FORGED);
    expect(forged.headers['x-cache']).toBe('MISS');
    expect(forged.body.data.workshopBySlug.calendarUrl).toBe(`${origin}${CALENDAR_PATH}`);
    expect(forged.text).not.toMatch(/evil\.example/);
    const next = await page();
    expect(next.headers['x-cache']).toBe('HIT');
    expect(next.body.data.workshopBySlug.calendarUrl).toBe(`${origin}${CALENDAR_PATH}`);
    const forgedAgain = await page({ ...FORGED, Host: 'other.example' });
    expect(forgedAgain.text).toBe(next.text);
  });

  it('builds no calendar from a forged Host', async () => {
    const res = await app.http().get(CALENDAR_PATH).set(FORGED);
    expect(res.status).toBe(200);
    expect(res.text).toMatch(/BEGIN:VCALENDAR/);
    expect(res.text).not.toMatch(/evil\.example/);
  });

  it('keys cached answers by Accept, and says so in Vary', async () => {
    const query = '{ institute { name } }';
    const ask = (accept: string) => app.http().post('/graphql').set('Accept', accept).send({ query });
    const graphqlResponse = await ask('application/graphql-response+json');
    expect(graphqlResponse.headers['content-type']).toMatch(/^application\/graphql-response\+json/);
    expect((await ask('application/graphql-response+json')).headers['x-cache']).toBe('HIT');
    const json = await ask('application/json');
    expect(json.headers['x-cache']).toBe('MISS');
    expect(json.headers['content-type']).toMatch(/^application\/json/);
    const vary = (json.headers.vary as string).split(/,\s*/);
    expect(vary).toEqual(expect.arrayContaining(['Origin', 'Authorization', 'Accept']));
  });

  it('gives a cached answer the CORS headers of the Origin that asks', async () => {
    const query = '{ workshops { title } }';
    const ask = (from: string) => app.http().post('/graphql').set('Origin', from).send({ query });
    const allowed = await ask(ALLOWED);
    expect(allowed.headers['access-control-allow-origin']).toBe(ALLOWED);
    const other = await ask('https://evil.example');
    expect(other.headers['x-cache']).toBe('HIT');
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
    expect((await ask(ALLOWED)).headers['access-control-allow-origin']).toBe(ALLOWED);
  });
});

describe('production', () => {
  /** Starts the compiled project as `strapi start` does, in production, and waits for it to exit. */
  const startUntilExit = async (env: Record<string, string>) => {
    const database = await createTestDatabase();
    try {
      const child = spawn(process.execPath, [path.join(__dirname, '..', 'faults', 'support', 'start-server.js')], {
        cwd: path.join(__dirname, '..', '..'),
        env: { ...process.env, ...testEnvironment(), ...database.env, NODE_ENV: 'production', HOST: '127.0.0.1', PORT: '0', ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
      const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
      // Production logs JSON lines: what they say, unescaped, one line each.
      const said = output
        .split('\n')
        .map((line) => {
          try {
            return String(JSON.parse(line).message);
          } catch {
            return line;
          }
        })
        .join('\n');
      return { code, output: said };
    } finally {
      await database.drop();
    }
  };

  it('refuses to start without PUBLIC_URL, saying why', async () => {
    const { code, output } = await startUntilExit({ PUBLIC_URL: '' });
    expect(code).not.toBe(0);
    expect(output).toMatch(/PUBLIC_URL is not set\. Production needs the public address of this server/);
    expect(output).not.toMatch(/Listening on port/);
  });

  it('refuses a PUBLIC_URL that is not an absolute URL', async () => {
    const { code, output } = await startUntilExit({ PUBLIC_URL: 'cms.example.org' });
    expect(code).not.toBe(0);
    expect(output).toMatch(/PUBLIC_URL is not an absolute http\(s\) URL \(the server's url is "\/cms\.example\.org"\)/);
  });

  it('starts with PUBLIC_URL, and builds absolute links from it whatever the Host', async () => {
    const database = await createTestDatabase();
    const server = await startStrapiProcess({ ...database.env, NODE_ENV: 'production', PUBLIC_URL: 'https://cms.example.org/' });
    try {
      const res = await server.http().post('/graphql').set(FORGED).send({ query: PAGE, variables: VARIABLES });
      expect(res.body.data.workshopBySlug.calendarUrl).toBe(`https://cms.example.org${CALENDAR_PATH}`);
    } finally {
      await server.stop();
      await database.drop();
    }
  });
});
