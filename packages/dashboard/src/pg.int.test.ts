import { randomUUID } from 'node:crypto';
import { PostgresCheckpointStore } from '@baton/checkpoint-pg';
import type { CheckpointStore } from '@baton/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDashboard, type Dashboard } from './server.js';
import { adminQuery, listenerPids, pgTestUrl, writeRunElsewhere } from './test-support/pg.js';
import { tempAssets } from './test-support/seed.js';

const url = pgTestUrl();

/** The SSE stream of a dashboard, remembering when each run id was first named in a `runs` event. */
async function openEvents(port: number) {
  const response = await fetch(`http://127.0.0.1:${port}/api/events`);
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  const firstSeen = new Map<string, number>();
  let text = '';
  let hello = false;
  const pump = (async () => {
    for (;;) {
      const chunk = await reader.read().catch(() => ({ done: true as const, value: undefined }));
      if (chunk.done) return;
      text += chunk.value;
      const frames = text.split('\n\n');
      text = frames.pop()!;
      for (const frame of frames) {
        if (frame.startsWith('event: hello')) hello = true;
        const data = /^event: runs\ndata: (.*)$/m.exec(frame)?.[1];
        if (!data) continue;
        for (const runId of (JSON.parse(data) as { runIds: string[] }).runIds)
          if (!firstSeen.has(runId)) firstSeen.set(runId, Date.now());
      }
    }
  })();
  await expect.poll(() => hello).toBe(true);
  return {
    firstSeen,
    async close() {
      await reader.cancel();
      await pump;
    },
  };
}

/** The same store without its `watchRuns` capability: what every store without push looks like. */
function withoutWatch(store: CheckpointStore): CheckpointStore {
  return {
    append: (record) => store.append(record),
    read: (runId) => store.read(runId),
    listRuns: (options) => store.listRuns(options),
    deleteRun: (runId) => store.deleteRun(runId),
  };
}

const json = async (port: number, path: string) => (await fetch(`http://127.0.0.1:${port}${path}`)).json();

if (url) {
  describe('the dashboard on the PostgreSQL store', () => {
    const schema = `t_dash_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
    const stores: PostgresCheckpointStore[] = [];
    const dashboards: Dashboard[] = [];
    const latencies: Record<'notify' | 'poll', number[]> = { notify: [], poll: [] };
    let store: PostgresCheckpointStore;
    let assetsDir: string;

    beforeAll(async () => {
      store = new PostgresCheckpointStore({ connectionString: url, schema });
      stores.push(store);
      await store.migrate();
      assetsDir = await tempAssets();
    });
    afterAll(async () => {
      for (const dashboard of dashboards) await dashboard.close();
      for (const open of stores) await open.close();
      await adminQuery(url, `DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      // Reported, not asserted: shared machines make timings noisy.
      const summary = (values: number[]) =>
        values.length === 0
          ? 'no samples'
          : `median ${[...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]} ms, max ${Math.max(...values)} ms (${values.join(', ')})`;
      console.log(
        `[dashboard pg] time from a run's first commit in another process to its SSE event: LISTEN/NOTIFY ${summary(latencies.notify)}; 1 s polling ${summary(latencies.poll)}`,
      );
    });

    const start = async (over: CheckpointStore, pollIntervalMs: number) => {
      const dashboard = await startDashboard({ store: over, port: 0, assetsDir, pollIntervalMs });
      dashboards.push(dashboard);
      return dashboard;
    };

    it('shows a run another process writes, pushed by LISTEN/NOTIFY (the re-list is 60 s away)', async () => {
      const dashboard = await start(store, 60_000);
      expect(dashboard.index.storeWatching).toBe(true);
      expect((await json(dashboard.port, '/api/info')).live).toEqual({ mode: 'store.watch', safetyPollMs: 60_000 });
      const events = await openEvents(dashboard.port);
      for (let sample = 0; sample < 5; sample++) {
        const runId = `pg-live-${sample}-${randomUUID().slice(0, 8)}`;
        const committedAt = await writeRunElsewhere(url, schema, runId);
        await expect.poll(() => events.firstSeen.has(runId), { timeout: 10_000 }).toBe(true);
        latencies.notify.push(events.firstSeen.get(runId)! - committedAt);
        await expect.poll(() => dashboard.index.get(runId)?.records).toBe(2);
      }
      const last = (await json(dashboard.port, '/api/runs?q=pg-live-4')) as { total: number; runs: unknown[] };
      expect(last.total).toBe(1);
      expect(last.runs[0]).toMatchObject({ status: 'succeeded', workflow: { name: 'elsewhere' } });
      await events.close();
    });

    it('keeps live updates after its LISTEN connection is terminated (pg_terminate_backend)', async () => {
      const dashboard = await start(store, 60_000);
      const events = await openEvents(dashboard.port);
      const before = await listenerPids(url, schema);
      expect(before.length).toBeGreaterThan(0);
      for (const pid of before) await adminQuery(url, 'SELECT pg_terminate_backend($1)', [pid]);
      // Every dashboard on the schema listens again, each on a new server process.
      await expect
        .poll(async () => (await listenerPids(url, schema)).filter((pid) => !before.includes(pid)).length, {
          timeout: 20_000,
        })
        .toBe(before.length);
      const runId = `pg-after-drop-${randomUUID().slice(0, 8)}`;
      await writeRunElsewhere(url, schema, runId);
      await expect.poll(() => events.firstSeen.has(runId), { timeout: 10_000 }).toBe(true);
      await expect.poll(() => dashboard.index.get(runId)?.status).toBe('succeeded');
      await events.close();
    });

    it('falls back to polling a store without watchRuns (1 s), and says so', async () => {
      const dashboard = await start(withoutWatch(store), 1_000);
      expect(dashboard.index.storeWatching).toBe(false);
      expect((await json(dashboard.port, '/api/info')).live).toEqual({ mode: 'polling', intervalMs: 1_000 });
      const events = await openEvents(dashboard.port);
      for (let sample = 0; sample < 5; sample++) {
        const runId = `pg-poll-${sample}-${randomUUID().slice(0, 8)}`;
        const committedAt = await writeRunElsewhere(url, schema, runId);
        await expect.poll(() => events.firstSeen.has(runId), { timeout: 10_000 }).toBe(true);
        latencies.poll.push(events.firstSeen.get(runId)! - committedAt);
      }
      const run = (await json(dashboard.port, `/api/runs?q=pg-poll-0`)) as { runs: Array<{ runId: string }> };
      const records = (await json(dashboard.port, `/api/runs/${run.runs[0]!.runId}/records`)) as {
        records: unknown[];
      };
      expect(records.records).toHaveLength(2);
      await events.close();
    });
  });
}
