import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createSupervisor, defineWorkflow, type CheckpointRecord } from '@baton/core';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDashboard, type Dashboard } from './server.js';
import { seedRun, tempStore } from './test-support/seed.js';
import type { DashboardHost, RunGraph } from './types.js';

// Real-browser tests: playwright-core driving Debian's Chromium (scripts/chromium.sh installs it) against the
// built web app in dist/web. Screenshots go to test-results/screenshots/ (gitignored).
const packageDir = fileURLToPath(new URL('..', import.meta.url));
const screenshots = join(packageDir, 'test-results', 'screenshots');
// The built web app (turbo builds the package before test:int).
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

const XSS = {
  script: '<script>window.__xss = "script"</script>',
  img: '<img src=x onerror="window.__xss = \'img\'">',
  url: 'javascript:window.__xss = "url"',
};

// A workflow the dashboard can resume: `work` fails on its first execution, then waits for the gate (or cancel).
let failFirst = true;
let openGate: () => void = () => {};
const resumable = defineWorkflow({
  name: 'gated',
  version: '1.0.0',
  retry: { maxAttempts: 1 },
  steps: {
    prepare: { run: () => 'prepared' },
    work: {
      needs: ['prepare'],
      run: async (_input: unknown, ctx) => {
        if (failFirst) {
          failFirst = false;
          throw new Error('first execution fails');
        }
        await new Promise<void>((resolve, reject) => {
          openGate = resolve;
          ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason), { once: true });
        });
        return 'worked';
      },
    },
  },
});

const GRAPHS: Record<string, RunGraph> = {
  research: {
    source: 'test definition',
    steps: [
      { id: 'plan', needs: [] },
      { id: 'search', needs: ['plan'] },
      { id: 'fetch', needs: ['plan'] },
      { id: 'report', needs: ['search', 'fetch'] },
    ],
  },
  gated: {
    source: 'test definition',
    steps: [
      { id: 'prepare', needs: [] },
      { id: 'work', needs: ['prepare'] },
    ],
  },
};

let browser: Browser;
let dashboard: Dashboard;
let storeDir: string;
let page: Page;

const shot = (name: string) => page.screenshot({ path: join(screenshots, `${name}.png`), fullPage: true });

beforeAll(async () => {
  if (!existsSync('/usr/bin/chromium')) throw new Error('No /usr/bin/chromium: run `bash scripts/chromium.sh` first');
  if (!existsSync(join(assetsDir, 'index.html')))
    throw new Error(`No built web app in ${assetsDir}: build the package`);
  await mkdir(screenshots, { recursive: true });
  const { dir, store } = await tempStore();
  storeDir = dir;
  const big = { report: 'y'.repeat(4000) };
  await seedRun(store, {
    runId: 'research-ok',
    status: 'succeeded',
    startedAt: Date.now() - 60_000,
    steps: [
      { stepId: 'plan', status: 'succeeded', output: 'plan for owls' },
      { stepId: 'search', status: 'succeeded', output: ['a', 'b'], attempt: 3, durationMs: 300 },
      { stepId: 'fetch', status: 'succeeded', output: 'fetched' },
      { stepId: 'report', status: 'succeeded', output: big },
    ],
  });
  await seedRun(store, {
    runId: 'research-failed',
    status: 'failed',
    startedAt: Date.now() - 50_000,
    steps: [
      { stepId: 'plan', status: 'succeeded', output: 'plan' },
      {
        stepId: 'search',
        status: 'failed',
        attempt: 2,
        error: {
          name: 'CircuitOpenError',
          message: 'breaker open for search-api',
          code: 'BATON_CIRCUIT_OPEN',
          kind: 'retryable',
        },
      },
    ],
  });
  await seedRun(store, {
    runId: 'triage-1',
    workflow: 'triage',
    status: 'timed_out',
    startedAt: Date.now() - 40_000,
  });
  await seedRun(store, {
    runId: 'xss-run',
    status: 'failed',
    startedAt: Date.now() - 30_000,
    input: { ...XSS },
    steps: [
      { stepId: 'plan', status: 'succeeded', output: XSS },
      { stepId: 'search', status: 'failed', error: { name: XSS.img, message: `${XSS.script} ${XSS.url}` } },
    ],
  });
  const supervisor = createSupervisor({ store });
  expect((await supervisor.run(resumable, {}, { runId: 'gated-1' })).status).toBe('failed');
  await supervisor.close();

  const host: DashboardHost = {
    graph: async (records: readonly CheckpointRecord[]) =>
      GRAPHS[records[0]!.workflow.name] ?? { note: 'unknown workflow' },
    verify: async (runId) => ({ ok: true, records: (await store.read(runId)).length }),
    canResume: async (records) =>
      records[0]!.workflow.name === 'gated' ? { ok: true } : { ok: false, reason: 'not registered in the test' },
    resume: async (runId, signal) => {
      const resumer = createSupervisor({ store });
      try {
        return { status: (await resumer.resume(resumable, runId, { signal })).status };
      } finally {
        await resumer.close();
      }
    },
  };
  dashboard = await startDashboard({
    store,
    port: 0,
    watchDir: join(dir, 'runs'),
    storeLabel: 'fs store (test)',
    assetsDir,
    ...host,
  });
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  page.on('dialog', (dialog) => {
    throw new Error(`a dialog opened: ${dialog.message()}`);
  });
});

afterAll(async () => {
  await browser?.close();
  await dashboard?.close();
});

const rows = () => page.locator('[data-testid="run-row"]');

describe('dashboard in Chromium', () => {
  it('lists the runs, newest first', async () => {
    await page.goto(dashboard.url);
    await expect.poll(() => rows().count()).toBe(5);
    expect(await rows().evaluateAll((all) => all.map((row) => row.getAttribute('data-run-id')))).toEqual([
      'gated-1',
      'xss-run',
      'triage-1',
      'research-failed',
      'research-ok',
    ]);
    expect(await page.getByTestId('page-info').textContent()).toBe('1–5 of 5');
    await shot('runs-list');
  });

  it('filters by status and searches by workflow name', async () => {
    await page.getByTestId('filter-failed').click();
    await expect.poll(() => rows().count()).toBe(3);
    expect(new Set(await rows().evaluateAll((all) => all.map((row) => row.getAttribute('data-status'))))).toEqual(
      new Set(['failed']),
    );
    expect(page.url()).toContain('status=failed');
    await page.getByTestId('filter-timed_out').click();
    await expect.poll(() => rows().count()).toBe(4);
    await shot('runs-list-filtered');
    await page.getByTestId('filter-failed').click();
    await page.getByTestId('filter-timed_out').click();
    await page.getByTestId('search').fill('triage');
    await expect.poll(() => rows().count()).toBe(1);
    expect(await rows().first().getAttribute('data-run-id')).toBe('triage-1');
    await page.getByTestId('search').fill('');
    await expect.poll(() => rows().count()).toBe(5);
  });

  it('shows a run page: the DAG laid out and coloured by step status, the timeline, the chain state', async () => {
    await page.locator('a', { hasText: 'research-failed' }).click();
    await page.getByTestId('dag').waitFor();
    const nodes = page.locator('[data-testid="dag-node"]');
    expect(
      await nodes.evaluateAll((all) =>
        all.map((node) => [node.getAttribute('data-step-id'), node.getAttribute('data-status')]),
      ),
    ).toEqual([
      ['plan', 'succeeded'],
      ['search', 'failed'],
      ['fetch', 'pending'],
      ['report', 'pending'],
    ]);
    const fill = (id: string) =>
      page
        .locator(`[data-step-id="${id}"] rect`)
        .first()
        .evaluate((rect) => getComputedStyle(rect).fill);
    expect(await fill('search')).toBe('rgb(214, 69, 69)');
    expect(await fill('plan')).toBe('rgb(31, 157, 85)');
    // dagre ranks: plan left of search and fetch, which are left of report.
    const x = async (id: string) =>
      (await page.locator(`[data-testid="dag-node"][data-step-id="${id}"]`).boundingBox())!.x;
    expect(await x('plan')).toBeLessThan(await x('search'));
    expect(await x('search')).toBeLessThan(await x('report'));
    expect(await page.getByTestId('chain').textContent()).toBe('chain verified');
    expect(await page.getByTestId('run-status').textContent()).toBe('failed');
    expect(await page.locator('[data-testid="timeline-bar"]').count()).toBe(2);
    expect(await page.getByTestId('errors').textContent()).toContain('breaker refused');
    await shot('run-page');
  });

  it('opens the step drawer with output and error; a truncated value shows in full on request', async () => {
    await page.locator('[data-testid="dag-node"][data-step-id="search"]').click();
    const drawer = page.getByTestId('drawer');
    await drawer.waitFor();
    expect(await drawer.textContent()).toContain('breaker open for search-api');
    expect(await drawer.textContent()).toContain('retryable');
    expect(await drawer.textContent()).toContain('output of plan');
    await shot('step-drawer');
    await page.goto(`${dashboard.url.replace(/\/$/, '')}/runs/research-ok`);
    await page.locator('[data-testid="dag-node"][data-step-id="report"]').click();
    const output = page.getByTestId('drawer').getByTestId('value-output');
    expect((await output.last().textContent())!.length).toBe(2000);
    await page.getByTestId('drawer').getByTestId('show-all').last().click();
    await expect.poll(async () => (await output.last().textContent())!.length).toBeGreaterThan(4000);
  });

  it('shows a run another process starts, live (fs watch, no reload)', async () => {
    await page.goto(dashboard.url);
    await expect.poll(() => rows().count()).toBe(5);
    const child = spawn(
      process.execPath,
      [join(packageDir, 'src/test-support/write-run.mjs'), storeDir, 'from-elsewhere'],
      {
        cwd: packageDir,
        stdio: 'inherit',
      },
    );
    expect(await new Promise((resolve) => child.on('close', resolve))).toBe(0);
    await page.locator('[data-run-id="from-elsewhere"]').waitFor();
    expect(await rows().first().getAttribute('data-run-id')).toBe('from-elsewhere');
    await shot('runs-list-live');
  });

  it('renders script, img onerror and javascript: values as text: nothing executes', async () => {
    await page.goto(`${dashboard.url.replace(/\/$/, '')}/runs/xss-run`);
    await page.getByTestId('dag').waitFor();
    await page.locator('[data-testid="dag-node"][data-step-id="plan"]').click();
    await page.getByTestId('drawer').waitFor();
    await page.locator('[data-testid="dag-node"][data-step-id="search"]').click();
    await page.locator('.errors button').first().click();
    const text = (await page.locator('body').textContent()) ?? '';
    expect(text).toContain(XSS.script);
    expect(text).toContain(XSS.url);
    expect(await page.evaluate(() => (window as { __xss?: unknown }).__xss)).toBeUndefined();
    expect(await page.locator('main img, main script').count()).toBe(0);
    expect(await page.locator('a[href^="javascript:"]').count()).toBe(0);
    await shot('xss');
  });

  it('resumes a run from its page, then cancels it while it executes', async () => {
    await page.goto(`${dashboard.url.replace(/\/$/, '')}/runs/gated-1`);
    await page.getByTestId('resume').click();
    await page.getByTestId('cancel').waitFor();
    await expect.poll(() => page.getByTestId('run-status').textContent()).toBe('running');
    await shot('run-resumed');
    await page.getByTestId('cancel').click();
    await expect.poll(() => page.getByTestId('run-status').textContent()).toBe('cancelled');
    await expect.poll(() => page.getByTestId('cancel').count()).toBe(0);
    openGate();
  });
});

describe('10,000 runs in an fs store', () => {
  it('loads the first page of the runs list (time reported, not asserted)', async () => {
    const { dir, store } = await tempStore();
    const total = 10_000;
    for (let index = 0; index < total; index += 200) {
      await Promise.all(
        Array.from({ length: Math.min(200, total - index) }, (_, offset) =>
          seedRun(store, {
            runId: `bulk-${String(index + offset).padStart(5, '0')}`,
            workflow: (index + offset) % 2 ? 'research' : 'triage',
            status: (index + offset) % 7 ? 'succeeded' : 'failed',
            startedAt: 1_700_000_000_000 + (index + offset) * 1000,
          }),
        ),
      );
    }
    const startedAt = performance.now();
    const big = await startDashboard({ store, port: 0, watchDir: join(dir, 'runs'), assetsDir });
    const indexMs = performance.now() - startedAt;
    try {
      const bulkPage = await browser.newPage();
      const loadStart = performance.now();
      await bulkPage.goto(big.url);
      await bulkPage.locator('[data-testid="run-row"]').first().waitFor();
      const listMs = performance.now() - loadStart;
      expect(await bulkPage.locator('[data-testid="run-row"]').count()).toBe(50);
      expect(await bulkPage.getByTestId('page-info').textContent()).toBe('1–50 of 10000');
      await bulkPage.getByTestId('next-page').click();
      await expect.poll(() => bulkPage.getByTestId('page-info').textContent()).toBe('51–100 of 10000');
      await bulkPage.screenshot({ path: join(screenshots, 'runs-list-10k.png') });
      const report = { runs: total, indexLoadMs: Math.round(indexMs), firstPageInBrowserMs: Math.round(listMs) };
      await writeFile(join(packageDir, 'test-results', 'runs-list-10k.json'), `${JSON.stringify(report, null, 2)}\n`);
      process.stdout.write(`dashboard, 10,000 runs in an fs store: ${JSON.stringify(report)}\n`);
      await bulkPage.close();
    } finally {
      await big.close();
    }
  });
});
