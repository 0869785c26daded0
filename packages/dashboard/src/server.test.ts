import { request as httpRequest } from 'node:http';
import { join } from 'node:path';
import { FsCheckpointStore } from '@baton/checkpoint-fs';
import { createSupervisor, workflow } from '@baton/core';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { startDashboard, type Dashboard, type DashboardOptions } from './server.js';
import { seedRun, tempAssets, tempStore } from './test-support/seed.js';

/** A raw HTTP request, so tests control Host and Origin exactly. */
function raw(
  port: number,
  path: string,
  options: { method?: string; headers?: Record<string, string> } = {},
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: '127.0.0.1',
        port,
        path,
        method: options.method ?? 'GET',
        headers: { host: `127.0.0.1:${port}`, ...options.headers },
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

const started: Dashboard[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((dashboard) => dashboard.close()));
});

async function dashboardOn(options: Partial<DashboardOptions> = {}) {
  const { dir, store } = await tempStore();
  const dashboard = await startDashboard({
    store,
    port: 0,
    assetsDir: await tempAssets(),
    watchDir: join(dir, 'runs'),
    ...options,
  });
  started.push(dashboard);
  return { dashboard, store, dir };
}

const json = async (port: number, path: string) => {
  const answer = await raw(port, path);
  return { status: answer.status, body: JSON.parse(answer.body) as Record<string, never> };
};

describe('binding and access', () => {
  it('refuses a non-loopback host without a token, naming the host', async () => {
    const { store } = await tempStore();
    await expect(
      startDashboard({ store, host: '0.0.0.0', port: 0, assetsDir: await tempAssets() }),
    ).rejects.toMatchObject({
      code: 'BATON_DASHBOARD_TOKEN_REQUIRED',
      message: expect.stringContaining('"0.0.0.0"'),
    });
  });

  it('binds 127.0.0.1 by default', async () => {
    const { dashboard } = await dashboardOn();
    expect(dashboard.url).toBe(`http://127.0.0.1:${dashboard.port}/`);
  });

  it('with a token, refuses requests without it and trades ?token= for an HttpOnly cookie', async () => {
    const { dashboard } = await dashboardOn({ host: '0.0.0.0', token: 'sesame-sesame' });
    expect((await raw(dashboard.port, '/api/runs')).status).toBe(401);
    expect((await raw(dashboard.port, '/api/runs?token=sesame-sesame')).status).toBe(401);
    const visit = await raw(dashboard.port, '/?token=sesame-sesame');
    expect(visit.status).toBe(303);
    expect(visit.headers.location).toBe('/');
    const cookie = String(visit.headers['set-cookie']);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    const withCookie = await raw(dashboard.port, '/api/runs', { headers: { cookie: cookie.split(';')[0]! } });
    expect(withCookie.status).toBe(200);
    expect((await raw(dashboard.port, '/api/runs', { headers: { authorization: 'Bearer wrong-wrong' } })).status).toBe(
      401,
    );
  });

  it('answers only to its own Host header on loopback (DNS rebinding)', async () => {
    const { dashboard } = await dashboardOn();
    const answer = await raw(dashboard.port, '/api/runs', { headers: { host: `evil.example:${dashboard.port}` } });
    expect(answer.status).toBe(421);
    expect((await raw(dashboard.port, '/api/runs', { headers: { host: `localhost:${dashboard.port}` } })).status).toBe(
      200,
    );
  });

  it('sends a strict CSP and prints the session token into the page', async () => {
    const { dashboard } = await dashboardOn();
    const page = await raw(dashboard.port, '/runs/anything');
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(page.headers['content-security-policy']).not.toContain('unsafe-inline');
    expect(page.body).toContain(`content="${dashboard.sessionToken}"`);
    expect((await raw(dashboard.port, '/assets/app.js')).status).toBe(200);
    expect((await raw(dashboard.port, '/assets/..%2Findex.html')).status).toBe(404);
  });
});

describe('/api/runs', () => {
  it('pages newest first, filters by status, searches run id and workflow name, counts per status', async () => {
    const { store, dashboard } = await dashboardOn({ watchDir: undefined, pollIntervalMs: 60_000 });
    for (let index = 0; index < 120; index++) {
      await seedRun(store, {
        runId: `run-${String(index).padStart(3, '0')}`,
        workflow: index % 3 === 0 ? 'triage' : 'research',
        status: index % 4 === 0 ? 'failed' : 'succeeded',
        startedAt: 1_700_000_000_000 + index * 1000,
      });
    }
    await dashboard.index.refreshAll();
    const first = await json(dashboard.port, '/api/runs?limit=50');
    expect(first.body).toMatchObject({ total: 120, offset: 0, limit: 50, counts: { failed: 30, succeeded: 90 } });
    const firstRuns = first.body.runs as unknown as { runId: string }[];
    expect(firstRuns).toHaveLength(50);
    expect(firstRuns[0]!.runId).toBe('run-119');
    const third = await json(dashboard.port, '/api/runs?limit=50&offset=100');
    expect((third.body.runs as unknown as unknown[]).length).toBe(20);
    const failed = await json(dashboard.port, '/api/runs?status=failed&limit=500');
    expect(failed.body.total).toBe(30);
    const triage = await json(dashboard.port, '/api/runs?q=TRIAGE');
    expect(triage.body.total).toBe(40);
    const byId = await json(dashboard.port, '/api/runs?q=run-00');
    expect(byId.body.total).toBe(10);
    expect((await json(dashboard.port, '/api/runs?status=bogus')).status).toBe(400);
    expect((await json(dashboard.port, '/api/runs?offset=-1')).status).toBe(400);
  });

  it('shows an unfinished run whose owner is gone as interrupted', async () => {
    const { store, dashboard } = await dashboardOn({
      watchDir: undefined,
      judge: async (runId, status) =>
        runId === 'crashed' ? { status: 'interrupted', note: 'owner gone: pid 1' } : { status },
    });
    await seedRun(store, { runId: 'crashed' });
    await seedRun(store, { runId: 'done', status: 'succeeded' });
    await dashboard.index.refreshAll();
    const page = await json(dashboard.port, '/api/runs?status=interrupted');
    expect(page.body.runs).toEqual([
      expect.objectContaining({ runId: 'crashed', status: 'interrupted', note: 'owner gone: pid 1' }),
    ]);
  });
});

describe('suspended runs', () => {
  it('lists a run waiting for a person as suspended, filters it, and opens its page', async () => {
    const { store, dashboard } = await dashboardOn({ watchDir: undefined, pollIntervalMs: 60_000 });
    const review = workflow({ name: 'review', version: '1' })
      .step('draft', () => ({ title: 'Hello' }))
      .step('approve', {
        needs: ['draft'],
        waitFor: { schema: z.object({ approved: z.boolean() }), prompt: 'Publish?' },
      })
      .build();
    const result = await createSupervisor({ store }).run(review, undefined, { runId: 'waiting' });
    expect(result.status).toBe('suspended');
    await seedRun(store, { runId: 'done', status: 'succeeded' });
    await dashboard.index.refreshAll();
    const page = await json(dashboard.port, '/api/runs?status=suspended');
    expect(page.body.runs).toEqual([expect.objectContaining({ runId: 'waiting', status: 'suspended' })]);
    const run = await json(dashboard.port, '/api/runs/waiting');
    expect(run.status).toBe(200);
    // The finished step is drawn; the wait itself is not (waits are not rendered yet, see README).
    expect(JSON.stringify(run.body)).toContain('"draft"');
  });
});

describe('/api/runs/:id and records', () => {
  it('builds the run page: DAG from the definition, executions, classified errors, chain state, truncated values', async () => {
    const big = 'x'.repeat(5000);
    const { store, dashboard } = await dashboardOn({
      watchDir: undefined,
      graph: async () => ({
        steps: [
          { id: 'plan', needs: [] },
          { id: 'search', needs: ['plan'], fallbacks: ['backup'] },
          { id: 'report', needs: ['search'] },
        ],
        source: 'registered in baton.config.mjs',
      }),
      verify: async () => ({ ok: true, records: 4 }),
      classify: () => ({ kind: 'retryable', derived: true }),
    });
    await seedRun(store, {
      runId: 'r1',
      status: 'failed',
      steps: [
        { stepId: 'plan', status: 'succeeded', output: big },
        {
          stepId: 'search',
          status: 'failed',
          attempt: 3,
          error: { name: 'Error', message: 'breaker open', code: 'BATON_CIRCUIT_OPEN' },
        },
      ],
    });
    await dashboard.index.refreshAll();
    const { status, body } = await json(dashboard.port, '/api/runs/r1');
    expect(status).toBe(200);
    const view = body as unknown as import('./run-view.js').RunView & { chain: unknown };
    expect(view.status).toBe('failed');
    expect(view.chain).toEqual({ ok: true, records: 4 });
    expect(view.steps.map((step) => [step.id, step.status])).toEqual([
      ['plan', 'succeeded'],
      ['search', 'failed'],
      ['report', 'pending'],
    ]);
    const search = view.steps[1]!;
    expect(search.needs).toEqual(['plan']);
    expect(search.fallbacks).toEqual(['backup']);
    expect(search.executions[0]).toMatchObject({
      attempts: 3,
      error: {
        code: 'BATON_CIRCUIT_OPEN',
        classification: 'retryable',
        classificationDerived: true,
        breakerRefused: true,
      },
    });
    const output = view.steps[0]!.executions[0]!.output!;
    expect(output).toMatchObject({ truncated: true, size: 5002 });
    expect(output.text.length).toBe(2000);
    expect(view.timeline.map((item) => item.kind)).toEqual(['run.started', 'step', 'step', 'run.finished']);
    expect(view.actions).toEqual({ resume: { ok: false, reason: 'resume is not available here' }, cancel: false });
    const full = await json(dashboard.port, '/api/runs/r1/records?seq=1');
    expect(full.body.output).toBe(big);
    const all = await json(dashboard.port, '/api/runs/r1/records');
    expect((all.body.records as unknown as unknown[]).length).toBe(4);
    expect((await json(dashboard.port, '/api/runs/nope')).status).toBe(404);
  });
});

describe('actions', () => {
  async function resumable() {
    let resumed: string[] = [];
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    const setup = await dashboardOn({
      watchDir: undefined,
      canResume: async () => ({ ok: true }),
      resume: async (runId, signal) => {
        resumed = [...resumed, runId];
        await Promise.race([
          gate,
          new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason))),
        ]);
        return { status: signal.aborted ? 'cancelled' : 'succeeded' };
      },
    });
    await seedRun(setup.store, { runId: 'f1', status: 'failed' });
    await setup.dashboard.index.refreshAll();
    return { ...setup, resumed: () => resumed, release };
  }

  it('refuses POSTs without the same Origin or without the session token', async () => {
    const { dashboard, resumed } = await resumable();
    const port = dashboard.port;
    const origin = `http://127.0.0.1:${port}`;
    const post = (headers: Record<string, string>) => raw(port, '/api/runs/f1/resume', { method: 'POST', headers });
    expect((await post({})).status).toBe(403);
    expect((await post({ 'x-baton-session': dashboard.sessionToken })).status).toBe(403);
    expect((await post({ origin: 'http://evil.example', 'x-baton-session': dashboard.sessionToken })).status).toBe(403);
    expect((await post({ origin, 'x-baton-session': 'guessed' })).status).toBe(403);
    expect(resumed()).toEqual([]);
    expect((await post({ origin, 'x-baton-session': dashboard.sessionToken })).status).toBe(202);
    expect(resumed()).toEqual(['f1']);
  });

  it('offers cancel only for a run it is executing, and cancel aborts it', async () => {
    const { dashboard } = await resumable();
    const port = dashboard.port;
    const headers = { origin: `http://127.0.0.1:${port}`, 'x-baton-session': dashboard.sessionToken };
    expect((await raw(port, '/api/runs/f1/cancel', { method: 'POST', headers })).status).toBe(409);
    expect((await json(port, '/api/runs/f1')).body.actions).toEqual({ resume: { ok: true }, cancel: false });
    expect((await raw(port, '/api/runs/f1/resume', { method: 'POST', headers })).status).toBe(202);
    expect((await json(port, '/api/runs/f1')).body.actions).toMatchObject({ resume: { ok: false }, cancel: true });
    expect((await raw(port, '/api/runs/f1/resume', { method: 'POST', headers })).status).toBe(409);
    expect((await raw(port, '/api/runs/f1/cancel', { method: 'POST', headers })).status).toBe(202);
    await expect.poll(async () => (await json(port, '/api/runs/f1')).body.executingHere).toBe(false);
  });
});

describe('/api/events', () => {
  it('streams the id of a run another store instance writes (fs watch)', async () => {
    const { dashboard, dir } = await dashboardOn({ pollIntervalMs: 60_000 });
    // Another process's store on the same folder; the first run creates the runs folder the dashboard waits for.
    const writer = new FsCheckpointStore({ dir, durability: 'none' });
    const events = await fetch(`http://127.0.0.1:${dashboard.port}/api/events`);
    const reader = events.body!.pipeThrough(new TextDecoderStream()).getReader();
    let text = '';
    const until = async (needle: string) => {
      while (!text.includes(needle)) {
        const chunk = await reader.read();
        if (chunk.done) break;
        text += chunk.value;
      }
    };
    await until('event: hello');
    await seedRun(writer, { runId: 'first', status: 'succeeded' });
    await until('"first"');
    await expect.poll(() => dashboard.index.watching).toBe(true);
    await seedRun(writer, { runId: 'from-elsewhere', status: 'succeeded' });
    await until('from-elsewhere');
    expect(text).toMatch(/event: runs\ndata: \{"runIds":\[[^\]]*"from-elsewhere"/);
    // The first event may come between the run's two appends; the second brings it to its final state.
    await expect.poll(() => dashboard.index.get('from-elsewhere')?.records).toBe(2);
    expect(dashboard.index.get('from-elsewhere')).toMatchObject({ status: 'succeeded' });
    await reader.cancel();
  });
});
