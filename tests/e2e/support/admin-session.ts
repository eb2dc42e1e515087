import type { Page } from 'playwright-core';
import { dismissFirstVisitPopups, logIn } from './admin-ui';
import { startAdminServer, type AdminServer } from './admin-server';
import { clearScreenshots, openBrowser, type AdminBrowser } from './browser';

export interface Staff {
  email: string;
  password: string;
}

export interface AdminSession {
  server: AdminServer;
  browser: AdminBrowser;
  page: Page;
  /** Opens /admin and logs in as the first administrator, past the first-visit popups. */
  signIn(): Promise<void>;
}

/**
 * What every browser scenario starts from: a server on a fresh, seeded database whose first
 * administrator is `staff` (`env` adds to its environment), and Chromium on its admin UI, with
 * screenshots in `artifacts` (emptied first).
 */
export const openAdminSession = async (artifacts: string, staff: Staff, env: Record<string, string> = {}): Promise<AdminSession> => {
  clearScreenshots(artifacts);
  const server = await startAdminServer({ ADMIN_EMAIL: staff.email, ADMIN_PASSWORD: staff.password, ...env });
  let browser: AdminBrowser;
  try {
    browser = await openBrowser(server.baseUrl, artifacts);
  } catch (error) {
    await server.stop();
    throw error;
  }
  const { page } = browser;
  return {
    server,
    browser,
    page,
    async signIn() {
      await page.goto(`${server.baseUrl}/admin`);
      await logIn(page, staff.email, staff.password);
      await dismissFirstVisitPopups(page);
    },
  };
};

/** Closes the browser, deletes the media library's files (from disk or from a bucket), stops the server. */
export const closeAdminSession = async (session: AdminSession | undefined) => {
  if (!session) return;
  await session.browser.close();
  await session.server.removeUploads();
  await session.server.stop();
};
