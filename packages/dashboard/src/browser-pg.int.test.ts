import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PostgresCheckpointStore } from '@baton/checkpoint-pg';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDashboard, type Dashboard } from './server.js';
import { adminQuery, pgTestUrl, writeRunElsewhere } from './test-support/pg.js';

// The live update on PostgreSQL in a real browser (setup as in browser.int.test.ts): Debian's Chromium, the built
// web app in dist/web, a dashboard whose re-list is 60 s away so only LISTEN/NOTIFY can bring the run in time.
const packageDir = fileURLToPath(new URL('..', import.meta.url));
const screenshots = join(packageDir, 'test-results', 'screenshots');
const assetsDir = join(packageDir, 'dist', 'web');
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

const url = pgTestUrl();

if (url) {
  describe('dashboard in Chromium on the PostgreSQL store', () => {
    const schema = `t_dash_browser_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
    let store: PostgresCheckpointStore;
    let dashboard: Dashboard;
    let browser: Browser;

    beforeAll(async () => {
      if (!existsSync('/usr/bin/chromium'))
        throw new Error('No /usr/bin/chromium: run `bash scripts/chromium.sh` first');
      if (!existsSync(join(assetsDir, 'index.html')))
        throw new Error(`No built web app in ${assetsDir}: build the package`);
      await mkdir(screenshots, { recursive: true });
      store = new PostgresCheckpointStore({ connectionString: url, schema });
      await store.migrate();
      dashboard = await startDashboard({ store, port: 0, pollIntervalMs: 60_000, storeLabel: 'pg store', assetsDir });
      browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
    });
    afterAll(async () => {
      await browser?.close();
      await dashboard?.close();
      await store?.close();
      await adminQuery(url, `DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    });

    it('shows a run another process writes without a reload (LISTEN/NOTIFY)', async () => {
      const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
      await page.goto(dashboard.url);
      await expect.poll(() => page.locator('.live').textContent()).toBe('live (store notifications)');
      await expect.poll(() => page.locator('body').getAttribute('data-live')).toBe('connected');
      expect(await page.locator('[data-testid="run-row"]').count()).toBe(0);
      await writeRunElsewhere(url, schema, 'pg-from-elsewhere');
      await page.locator('[data-run-id="pg-from-elsewhere"]').waitFor();
      await expect
        .poll(() => page.locator('[data-run-id="pg-from-elsewhere"]').getAttribute('data-status'))
        .toBe('succeeded');
      await page.screenshot({ path: join(screenshots, 'runs-list-live-pg.png'), fullPage: true });
      await page.close();
    });
  });
}
