import { createSupervisor, defineWorkflow, FatalError } from '@baton/core';
import { uniqueRunId } from '@baton/core/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { adminQuery, dropSchema, pgTestUrl, realStore, uniqueSchema } from '../testing/pg-test-env.js';
import type { PostgresCheckpointStore } from './pg-checkpoint-store.js';

// The store under a real supervisor: leases taken for every run and resume, lost mid-run, contended.

const url = pgTestUrl();

if (url) {
  describe('PostgresCheckpointStore under a supervisor, on the real PostgreSQL server', () => {
    const schema = uniqueSchema('supervisor');
    const stores: PostgresCheckpointStore[] = [];
    const open = async (options: Parameters<typeof realStore>[2] = {}) => {
      const store = await realStore(url, schema, options);
      stores.push(store);
      return store;
    };
    afterAll(async () => {
      await Promise.all(stores.splice(0).map((store) => store.close()));
      await dropSchema(url, schema);
    });

    it('ends a run whose lease is taken over mid-step with LeaseLostError, writing nothing after the takeover', async () => {
      // A frozen clock: the supervisor's store never doubts its lease by itself; the server must refuse.
      const store = await open({ leaseTtlMs: 60_000, monotonicNow: () => 0 });
      const runId = uniqueRunId('taken');
      let release!: () => void;
      const inStep = new Promise<void>((resolve) => {
        release = resolve;
      });
      let entered!: () => void;
      const entering = new Promise<void>((resolve) => {
        entered = resolve;
      });
      const workflow = defineWorkflow({
        name: 'taken',
        version: '1',
        steps: {
          a: { run: () => 'A' },
          b: { needs: ['a'], run: async () => (entered(), await inStep, 'B') },
          c: { needs: ['b'], run: () => 'C' },
        },
      });
      const running = createSupervisor({ store }).run(workflow, {}, { runId });
      await entering;
      await adminQuery(
        url,
        `UPDATE "${schema}".leases SET token = gen_random_uuid(), owner = 'thief' WHERE run_id = $1`,
        [runId],
      );
      release();
      const result = await running;
      expect(result.status).not.toBe('succeeded');
      expect(result.error).toMatchObject({ name: 'LeaseLostError', code: 'BATON_LEASE_LOST' });
      const records = await store.read(runId);
      expect(records.map((record) => (record.type === 'step' ? `step:${record.stepId}` : record.type))).toEqual([
        'run.started',
        'step:a',
      ]);
    });

    it('lets one of two supervisors (two stores) resume a run at a time; the other gets a conflict', async () => {
      const runId = uniqueRunId('contended');
      let fail = true;
      let gate!: () => void;
      const held = new Promise<void>((resolve) => {
        gate = resolve;
      });
      let resumed!: () => void;
      const inResumedStep = new Promise<void>((resolve) => {
        resumed = resolve;
      });
      const calls: string[] = [];
      const workflow = defineWorkflow({
        name: 'contended',
        version: '1',
        steps: {
          a: { run: () => (calls.push('a'), 'A') },
          b: {
            needs: ['a'],
            run: async () => {
              calls.push('b');
              if (fail) throw new FatalError('first try fails');
              resumed();
              await held;
              return 'B';
            },
          },
        },
      });
      const first = createSupervisor({ store: await open() });
      const second = createSupervisor({ store: await open() });
      expect((await first.run(workflow, {}, { runId })).status).toBe('failed');
      fail = false;
      const resuming = first.resume(workflow, runId);
      await inResumedStep; // the first supervisor holds the run's lease while its step b runs
      await expect(second.resume(workflow, runId)).rejects.toMatchObject({ code: 'BATON_CHECKPOINT_CONFLICT' });
      gate();
      expect(await resuming).toMatchObject({ status: 'succeeded', outputs: { a: 'A', b: 'B' } });
      expect(calls).toEqual(['a', 'b', 'b']);
    });
  });
}
