import fs from 'fs';
import os from 'os';
import path from 'path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

/** Debian's `chromium` package (never a downloaded browser); CHROMIUM_PATH points elsewhere. */
export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

/** Screenshots of every step, kept as test artifacts (test-artifacts/ is not committed). */
export const ARTIFACTS = path.join(process.cwd(), 'test-artifacts', 'e2e');
/** A test file's own screenshot folder, test-artifacts/e2e/<feature>/. */
export const artifactsFor = (feature: string) => path.join(ARTIFACTS, feature);

/** Removes the screenshots of an earlier run in `folder`, leaving other test files' folders in it alone. */
export const clearScreenshots = (folder: string) => {
  if (!fs.existsSync(folder)) return;
  for (const entry of fs.readdirSync(folder, { withFileTypes: true })) {
    if (entry.isFile() && entry.name.endsWith('.png')) fs.rmSync(path.join(folder, entry.name));
  }
};

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

export interface AdminBrowser {
  context: BrowserContext;
  page: Page;
  /** Uncaught errors the admin UI threw in the page. */
  pageErrors: string[];
  /** Saves NN-<name>.png in the screenshot folder (test-artifacts/e2e/ by default) and returns its path. */
  screenshot(name: string): Promise<string>;
  close(): Promise<void>;
}

/**
 * One browser context on a fresh, temporary profile, as a staff member in Los Angeles with an
 * American English browser sees the admin UI (dates typed MM/DD/YYYY). Requests to any other
 * host than the server under test are refused (Strapi's update check, blog links): the tests
 * need no network.
 */
export const openBrowser = async (baseUrl: string, artifacts = ARTIFACTS): Promise<AdminBrowser> => {
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(`No Chromium at ${CHROMIUM}: install Debian's package (apt-get install -y chromium), or set CHROMIUM_PATH.`);
  }
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ipam-e2e-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1440, height: 1000 },
    locale: 'en-US',
    timezoneId: 'America/Los_Angeles',
  });
  context.setDefaultTimeout(60000);
  context.setDefaultNavigationTimeout(120000);
  await context.route((url) => url.origin !== baseUrl, (route) => route.abort());
  // The project has no favicon.png, so strapi::favicon answers 500 and logs a stack trace for
  // every page load; keep that noise out of the test output (see the browser tests' report).
  await context.route(`${baseUrl}/favicon.ico`, (route) => route.fulfill({ status: 204 }));

  const page = context.pages()[0] ?? (await context.newPage());
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(error.stack ?? error.message));

  fs.mkdirSync(artifacts, { recursive: true });
  let taken = 0;
  return {
    context,
    page,
    pageErrors,
    async screenshot(name) {
      taken += 1;
      const file = path.join(artifacts, `${String(taken).padStart(2, '0')}-${name}.png`);
      await page.screenshot({ path: file, fullPage: true });
      return file;
    },
    async close() {
      await context.close();
      fs.rmSync(userDataDir, { recursive: true, force: true });
    },
  };
};

/** Retries `check` (e.g. a function with expect() calls) until it passes, at most `timeout` ms. */
export const eventually = async <T>(check: () => Promise<T>, timeout = 30000): Promise<T> => {
  const started = Date.now();
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() - started > timeout) throw error;
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
};

/** A step of a scenario (steps run in order in one page): a failing step leaves a screenshot of where it stopped. */
export const scenarioStep = (browser: () => AdminBrowser) => (name: string, body: () => Promise<void>) =>
  it(name, async () => {
    try {
      await body();
    } catch (error) {
      await browser().screenshot(`failed-${name.replace(/\W+/g, '-').slice(0, 60)}`).catch(() => undefined);
      throw error;
    }
  });
