import { uniqueRunId } from '@baton/core/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { dropSchema, pgTestUrl, realStore, uniqueSchema } from '../testing/pg-test-env.js';
import { finishedRecord, startedRecord, stepRecord } from '../testing/records.js';
import type { PostgresCheckpointStore } from './pg-checkpoint-store.js';

const url = pgTestUrl();

if (url) {
  describe('listRuns and prune on the real PostgreSQL server', () => {
    const schema = uniqueSchema('maintenance');
    let store: PostgresCheckpointStore;
    afterAll(async () => {
      await store?.close();
      await dropSchema(url, schema);
    });

    it('lists a resumed run as running again, and a run finished after its resume by its last status', async () => {
      store = await realStore(url, schema);
      const runId = uniqueRunId('resumed');
      await store.append(startedRecord(runId, 10));
      await store.append(finishedRecord(runId, 1, 'failed', 20));
      const resumed = { ...startedRecord(runId, 30), type: 'run.resumed' as const, seq: 2 };
      delete (resumed as { input?: unknown }).input;
      await store.append(resumed);
      expect((await store.listRuns()).find((run) => run.runId === runId)).toMatchObject({
        status: 'running',
        startedAt: 10,
        updatedAt: 30,
        records: 3,
      });
      await store.append(stepRecord(runId, 3, 'x', 40));
      await store.append(finishedRecord(runId, 4, 'succeeded', 50));
      expect((await store.listRuns({ status: 'succeeded' })).find((run) => run.runId === runId)).toMatchObject({
        status: 'succeeded',
        updatedAt: 50,
        records: 5,
      });
    });

    it('prunes finished runs, keeps the newest with keepLast, and skips a run with a live lease', async () => {
      const old = [uniqueRunId('old'), uniqueRunId('old'), uniqueRunId('old')];
      for (const [index, runId] of old.entries()) {
        await store.append(startedRecord(runId, 100 + index));
        await store.append(finishedRecord(runId, 1, 'succeeded', 200 + index));
      }
      const leased = old[0]!;
      const lease = await store.acquire(leased);
      const running = uniqueRunId('running');
      await store.append(startedRecord(running, 150));
      // keepLast counts every finished run of this schema, so keep the newest (the last of `old`) only.
      const result = await store.prune({ olderThan: new Date(1_000), keepLast: 1 });
      expect(result.skipped).toEqual([{ runId: leased, reason: `leased by '${store.owner}'` }]);
      expect(result.deleted).toContain(old[1]);
      expect(result.deleted).not.toContain(old[2]);
      expect(await store.read(old[1]!)).toEqual([]);
      expect(await store.read(old[2]!)).toHaveLength(2);
      expect(await store.read(running)).toHaveLength(1);
      await lease.release();
      expect((await store.prune({ olderThan: new Date(1_000), keepLast: 1 })).deleted).toContain(leased);
    });

    it('refuses an append onto a run another store deleted meanwhile (the cached chain end is checked)', async () => {
      const other = await realStore(url, schema);
      try {
        const runId = uniqueRunId('deleted');
        await store.append(startedRecord(runId));
        await store.append(stepRecord(runId, 1));
        await other.deleteRun(runId);
        await expect(store.append(stepRecord(runId, 2))).rejects.toMatchObject({ code: 'BATON_CHECKPOINT_CONFLICT' });
        expect(await store.read(runId)).toEqual([]);
      } finally {
        await other.close();
      }
    });
  });
}
