import { spawn, type ChildProcess } from 'child_process';
import fs from 'fs';
import os from 'os';
import path from 'path';
import net, { type AddressInfo } from 'net';
import request from 'supertest';
import { startStrapi, type TestApp } from '../helpers/strapi';
import { createApiToken } from '../helpers/tokens';
import { importWorkshopText } from '../helpers/workshop-text';
import { freePort } from '../helpers/ports';
import { FIRST_WORKSHOP } from '../fixtures/first-workshop';

const VARNISHD = '/usr/sbin/varnishd';
const VCL = path.join(__dirname, '..', '..', 'deploy', 'varnish', 'default.vcl');
const PAGE = fs.readFileSync(path.join(__dirname, '..', '..', 'docs', 'graphql', 'contract', 'workshop-page.graphql'), 'utf8');
const SECOND_SLUG = 'sums-of-squares-in-optimization';

/**
 * A real Varnish (Debian's, with the xkey vmod) in front of the test's Strapi, configured with
 * deploy/varnish/default.vcl (only the backend's port changed): a publish is visible through
 * Varnish on the next request, and what does not show the workshop stays cached.
 */
describe('Varnish in front, purged by surrogate key', () => {
  let app: TestApp;
  let varnish: ChildProcess;
  let varnishUrl: string;
  let workDir: string;
  let token: string;
  let output = '';
  beforeAll(async () => {
    // Varnish starts first, on a port it takes at once, and the backend's port is held until
    // Strapi listens on it: a port chosen free and bound seconds later (Strapi's start-up) may be
    // taken meanwhile by another suite's server, whose answers (a 501 to PURGE) would then be
    // taken for Varnish's.
    const backend = await new Promise<net.Server>((resolve) => {
      const placeholder = net.createServer();
      placeholder.listen(0, '127.0.0.1', () => resolve(placeholder));
    });
    const backendPort = (backend.address() as AddressInfo).port;
    const varnishPort = await freePort();
    varnishUrl = `http://127.0.0.1:${varnishPort}`;
    workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'varnish-test-'));
    // varnishd reads the VCL as its own unprivileged user.
    fs.chmodSync(workDir, 0o755);
    const vcl = path.join(workDir, 'default.vcl');
    fs.writeFileSync(vcl, fs.readFileSync(VCL, 'utf8').replace('.port = "1337";', `.port = "${backendPort}";`));
    varnish = spawn(VARNISHD, ['-F', '-n', path.join(workDir, 'instance'), '-a', `127.0.0.1:${varnishPort}`, '-f', vcl, '-s', 'malloc,32m', '-T', 'none'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    varnish.stdout?.on('data', (chunk) => (output += chunk));
    varnish.stderr?.on('data', (chunk) => (output += chunk));

    app = await startStrapi({ HTTP_CACHE_SHARED_MAX_AGE: '300', CDN_VARNISH_URLS: `${varnishUrl}/` });
    token = await createApiToken(app.strapi, 'full-access');
    await importWorkshopText(app.strapi, 'title: Sums of Squares in Optimization\nstartDate: 2031-03-03\nendDate: 2031-03-07\n', { publish: true });
    await new Promise((resolve) => backend.close(resolve));
    await new Promise<void>((resolve) => app.strapi.server.httpServer.listen(backendPort, '127.0.0.1', resolve));
    // Up once Varnish (its X-Varnish header) answers with the backend's /_health.
    for (let waited = 0; ; waited += 100) {
      const answer = await request(varnishUrl).get('/_health').catch(() => undefined);
      if (answer && answer.status < 300 && answer.headers['x-varnish']) break;
      if (waited > 20000 || varnish.exitCode !== null) throw new Error(`varnishd did not start (last answer: ${answer?.status ?? 'none'}):\n${output}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  });
  afterAll(async () => {
    if (varnish && varnish.exitCode === null) {
      const exited = new Promise((resolve) => varnish.once('exit', resolve));
      varnish.kill('SIGTERM');
      await exited;
    }
    delete process.env.CDN_VARNISH_URLS;
    await new Promise((resolve) => app?.strapi.server.httpServer.close(resolve));
    await app?.stop();
    if (workDir) fs.rmSync(workDir, { recursive: true, force: true });
  });

  const pageUrl = (slug: string) => `/graphql?query=${encodeURIComponent(PAGE)}&variables=${encodeURIComponent(JSON.stringify({ slug }))}`;
  const throughVarnish = (url: string) => request(varnishUrl).get(url);
  const cached = async (url: string) => {
    const answer = await throughVarnish(url);
    expect(answer.status).toBe(200);
    return { verdict: answer.headers['x-varnish-cache'], age: Number(answer.headers.age), answer };
  };

  it('caches pages and calendars; a publish misses them on the next request and leaves other workshops cached', async () => {
    const urls = [pageUrl(FIRST_WORKSHOP.slug), pageUrl(SECOND_SLUG), `/api/workshops/${FIRST_WORKSHOP.slug}/calendar.ics`, `/api/workshops/${SECOND_SLUG}/calendar.ics`];
    for (const url of urls) {
      expect((await cached(url)).verdict).toBe('MISS');
      const again = await cached(url);
      expect(again.verdict).toBe('HIT');
      expect(again.answer.headers['x-varnish']).toMatch(/^\d+ \d+$/);
    }

    const { documentId } = (await app.strapi.documents('api::workshop.workshop').findFirst({ filters: { slug: FIRST_WORKSHOP.slug } }))!;
    const saved = await app.http().put(`/api/workshops/${documentId}?status=draft`).set('Authorization', `Bearer ${token}`).send({ data: { title: 'Still A Draft' } });
    expect(saved.status).toBe(200);
    expect((await cached(urls[0])).verdict).toBe('HIT');

    const published = await app.http().put(`/api/workshops/${documentId}?status=published`).set('Authorization', `Bearer ${token}`).send({ data: { title: 'Published Through Varnish' } });
    expect(published.status).toBe(200);
    const page = await cached(urls[0]);
    expect(page.verdict).toBe('MISS');
    expect(page.answer.body.data.workshopBySlug.title).toBe('Published Through Varnish');
    const calendar = await cached(urls[2]);
    expect(calendar.verdict).toBe('MISS');
    expect(calendar.answer.text).toMatch(/SUMMARY:Published Through Varnish/);
    for (const other of [urls[1], urls[3]]) expect((await cached(other)).verdict).toBe('HIT');
  });

  it('passes requests with credentials and refuses to purge without keys', async () => {
    const withToken = await throughVarnish(pageUrl(SECOND_SLUG)).set('Authorization', `Bearer ${token}`);
    expect(withToken.headers['x-varnish-cache']).toBe('MISS');
    expect(withToken.headers['cache-control']).toBe('private, no-store');
    const purge = await request(varnishUrl).purge('/');
    expect(purge.status).toBe(400);
  });
});
