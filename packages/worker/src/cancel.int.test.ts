import { uniqueRunId } from '@baton/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitingWorkflow } from './__fixtures__/storm-workflow.mjs';
import { createClient, type Client } from './index.js';
import { adminQuery, dropSchema, pgTestUrl, uniqueSchema } from './testing/pg-test-env.js';
import { createLedger, eventually, spawnWorker, type WorkerProcess } from './testing/worker-processes.js';

// Cancel from the client (this process) reaches a run held by a worker child process; the run ends `cancelled`.

const url = pgTestUrl();

if (url) {
  describe('cancel through the client, against the real PostgreSQL server', () => {
    const storeSchema = uniqueSchema('wcancel');
    const bossSchema = uniqueSchema('wboss');
    const env = { BATON_PG_URL: url, STORE_SCHEMA: storeSchema, BOSS_SCHEMA: bossSchema };
    const workers: WorkerProcess[] = [];
    let client: Client;

    beforeAll(async () => {
      await createLedger(url, storeSchema);
      client = await createClient({ connectionString: url, storeSchema, queueOptions: { schema: bossSchema } });
      workers.push(spawnWorker(env), spawnWorker(env));
      await Promise.all(workers.map((worker) => worker.ready));
    });
    afterAll(async () => {
      for (const worker of workers) worker.child.kill('SIGKILL');
      await Promise.all(workers.map((worker) => worker.exited));
      await client?.close();
      await dropSchema(url, storeSchema);
      await dropSchema(url, bossSchema);
    });

    it('ends a run held by another process as cancelled, from the client', async () => {
      const runId = uniqueRunId('cancel');
      const handle = await client.start(waitingWorkflow(undefined), {}, { runId });
      const [row] = await eventually(async () => {
        const rows = await adminQuery<{ pid: number }>(
          url,
          `SELECT pid FROM "${storeSchema}".ledger WHERE run_id = $1 AND event = 'start'`,
          [runId],
        );
        return rows.length > 0 ? rows : undefined;
      }, 'the run to start on a worker');
      expect(workers.map((worker) => worker.child.pid)).toContain(row!.pid);
      expect(row!.pid).not.toBe(process.pid);
      await handle.cancel();
      const result = await handle.result();
      expect(result.status).toBe('cancelled');
      expect(result.error).toMatchObject({ code: 'BATON_CANCELLED' });
    });

    it('cancels a run before any worker takes it: it ends cancelled without running its step', async () => {
      const runId = uniqueRunId('early');
      // Stop both workers taking jobs by pausing them, queue, cancel, then let them go.
      for (const worker of workers) worker.child.kill('SIGSTOP');
      const handle = await client.start(waitingWorkflow(undefined), {}, { runId });
      await handle.cancel();
      for (const worker of workers) worker.child.kill('SIGCONT');
      const result = await handle.result();
      expect(result.status).toBe('cancelled');
      const started = await adminQuery(url, `SELECT 1 FROM "${storeSchema}".ledger WHERE run_id = $1`, [runId]);
      expect(started).toEqual([]);
    });

    it('refuses a second start of a run id whose job is still queued or active', async () => {
      const runId = uniqueRunId('twice');
      const handle = await client.start(waitingWorkflow(undefined), {}, { runId });
      await expect(client.start(waitingWorkflow(undefined), {}, { runId })).rejects.toMatchObject({
        code: 'BATON_WORKER_RUN_QUEUED',
        message: `run '${runId}' already has a queued or active job`,
      });
      await handle.cancel();
      expect((await handle.result()).status).toBe('cancelled');
    });
  });
}
