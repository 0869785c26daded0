import { uniqueRunId } from '@baton/core/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { stormWorkflow } from './__fixtures__/storm-workflow.mjs';
import pg from 'pg';
import { createClient, createWorker, type Client } from './index.js';
import { adminQuery, dropSchema, pgTestUrl, uniqueSchema } from './testing/pg-test-env.js';
import { createLedger, eventually, spawnWorker, type WorkerProcess } from './testing/worker-processes.js';

// SIGTERM drains: the worker stops taking jobs, finishes the run in hand, and exits 0.

const url = pgTestUrl();

if (url) {
  describe('graceful shutdown on SIGTERM, against the real PostgreSQL server', () => {
    const storeSchema = uniqueSchema('wstop');
    const bossSchema = uniqueSchema('wstopboss');
    const workers: WorkerProcess[] = [];
    let client: Client | undefined;
    afterAll(async () => {
      for (const worker of workers) worker.child.kill('SIGKILL');
      await Promise.all(workers.map((worker) => worker.exited));
      await client?.close();
      await dropSchema(url, storeSchema);
      await dropSchema(url, bossSchema);
    });

    it('finishes the run in hand on the same worker, then exits 0', async () => {
      await createLedger(url, storeSchema);
      client = await createClient({ connectionString: url, storeSchema, queueOptions: { schema: bossSchema } });
      const worker = spawnWorker({ BATON_PG_URL: url, STORE_SCHEMA: storeSchema, BOSS_SCHEMA: bossSchema });
      workers.push(worker);
      await worker.ready;
      const runId = uniqueRunId('drain');
      const handle = await client.start(stormWorkflow(undefined), { seed: runId }, { runId });
      await eventually(async () => {
        const rows = await adminQuery(url, `SELECT 1 FROM "${storeSchema}".ledger WHERE run_id = $1`, [runId]);
        return rows.length > 0 ? true : undefined;
      }, 'the first step to finish');
      const exit = new Promise<number | null>((resolve) => worker.child.once('exit', (code) => resolve(code)));
      worker.child.kill('SIGTERM');
      expect(await exit).toBe(0);
      const result = await handle.result();
      expect(result.status).toBe('succeeded');
      expect(Object.keys(result.outputs)).toEqual(['s1', 's2', 's3', 's4', 's5']);
      const pids = await adminQuery<{ pid: number }>(
        url,
        `SELECT DISTINCT pid FROM "${storeSchema}".ledger WHERE run_id = $1 AND event = 'done'`,
        [runId],
      );
      expect(pids).toEqual([{ pid: worker.child.pid }]);
    });
  });
}

if (url) {
  describe('stop({ drain: false }) hands runs back, against the real PostgreSQL server', () => {
    const storeSchema = uniqueSchema('whand');
    const bossSchema = uniqueSchema('whandboss');
    const workers: WorkerProcess[] = [];
    let client: Client | undefined;
    afterAll(async () => {
      for (const worker of workers) worker.child.kill('SIGKILL');
      await Promise.all(workers.map((worker) => worker.exited));
      await client?.close();
      await dropSchema(url, storeSchema);
      await dropSchema(url, bossSchema);
    });

    it('the run stops at its next checkpoint and another worker finishes it without re-running a step', async () => {
      await createLedger(url, storeSchema);
      client = await createClient({ connectionString: url, storeSchema, queueOptions: { schema: bossSchema } });
      const ledgerPool = new pg.Pool({ connectionString: url, max: 2 });
      const ledger = {
        schema: storeSchema,
        query: (sql: string, values: unknown[]) => ledgerPool.query(sql, values),
        record: (runId: string, stepId: string, event: string) =>
          ledgerPool.query(
            `INSERT INTO "${storeSchema}".ledger (run_id, step_id, event, pid) VALUES ($1, $2, $3, $4)`,
            [runId, stepId, event, process.pid],
          ),
      };
      const local = createWorker({
        connectionString: url,
        storeSchema,
        workflows: [stormWorkflow(ledger)],
        concurrency: 1,
        leaseTtlMs: 3_000,
        queueOptions: { schema: bossSchema, superviseIntervalSeconds: 1, pollingIntervalSeconds: 1 },
      });
      await local.start();
      const runId = uniqueRunId('handback');
      const handle = await client.start(stormWorkflow(undefined), { seed: runId }, { runId });
      await eventually(async () => {
        const rows = await adminQuery(url, `SELECT 1 FROM "${storeSchema}".ledger WHERE run_id = $1`, [runId]);
        return rows.length > 0 ? true : undefined;
      }, 'the first step to finish in this process');
      await local.stop({ drain: false });
      await ledgerPool.end();
      const before = await adminQuery<{ type: string }>(
        url,
        `SELECT type FROM "${storeSchema}".records WHERE run_id = $1`,
        [runId],
      );
      expect(before.map((row) => row.type)).not.toContain('run.finished');
      const worker = spawnWorker({ BATON_PG_URL: url, STORE_SCHEMA: storeSchema, BOSS_SCHEMA: bossSchema });
      workers.push(worker);
      const result = await handle.result();
      expect(result.status).toBe('succeeded');
      const done = await adminQuery<{ step_id: string; pid: number }>(
        url,
        `SELECT step_id, pid FROM "${storeSchema}".ledger WHERE run_id = $1 AND event = 'done' ORDER BY id`,
        [runId],
      );
      const pids = new Set(done.map((row) => row.pid));
      expect(pids).toEqual(new Set([process.pid, worker.child.pid]));
      const violations = await adminQuery(
        url,
        `SELECT 1 FROM "${storeSchema}".ledger WHERE run_id = $1 AND event = 'violation'`,
        [runId],
      );
      expect(violations).toEqual([]);
    });
  });
}
