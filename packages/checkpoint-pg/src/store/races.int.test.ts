import { CheckpointConflictError, LeaseLostError } from '@baton/core';
import { uniqueRunId } from '@baton/core/testing';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { adminQuery, dropSchema, pgTestUrl, realStore, uniqueSchema } from '../testing/pg-test-env.js';
import { startedRecord, stepRecord } from '../testing/records.js';
import type { PostgresCheckpointStore } from './pg-checkpoint-store.js';

// Races that only a real server can show: many store instances (each with its own pool, as separate workers
// would have) against one PostgreSQL.

const url = pgTestUrl();
const WRITERS = 20;

/** Polls (bounded) until some backend's append into `schema` waits on a row lock. */
async function blockedOnLock(connectionString: string, schema: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const [row] = await adminQuery<{ waiting: number }>(
      connectionString,
      `SELECT count(*)::int AS waiting FROM pg_stat_activity
        WHERE wait_event_type = 'Lock' AND query LIKE $1`,
      [`%INSERT INTO "${schema}".records%`],
    );
    if (row && row.waiting > 0) return;
    if (Date.now() > deadline) throw new Error('the append never waited on the lease row lock');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

if (url) {
  describe('races on the real PostgreSQL server', () => {
    const schema = uniqueSchema('races');
    const stores: PostgresCheckpointStore[] = [];
    const open = async (options: Parameters<typeof realStore>[2] = {}) => {
      const store = await realStore(url, schema, { poolSize: 2, ...options });
      stores.push(store);
      return store;
    };
    afterAll(async () => {
      await Promise.all(stores.splice(0).map((store) => store.close()));
      await dropSchema(url, schema);
    });

    it(`of ${WRITERS} writers appending the same seq at once, exactly one wins; the rest get CheckpointConflictError`, async () => {
      const runId = uniqueRunId('twenty');
      const writers = await Promise.all(Array.from({ length: WRITERS }, () => open()));
      await writers[0]!.append(startedRecord(runId));
      // Each writer learns the chain's end (a refused duplicate of seq 0 caches it), so none re-reads it before its
      // insert: all twenty inserts reach the server, and only the primary key can refuse the losers.
      await Promise.all(
        writers.slice(1).map((writer) => expect(writer.append(startedRecord(runId))).rejects.toThrow(/expected seq 1/)),
      );
      const results = await Promise.allSettled(
        writers.map((writer, index) => writer.append(stepRecord(runId, 1, { writer: index }))),
      );
      const won = results.flatMap((result, index) => (result.status === 'fulfilled' ? [index] : []));
      const lost = results.filter((result): result is PromiseRejectedResult => result.status === 'rejected');
      expect(won).toHaveLength(1);
      expect(lost).toHaveLength(WRITERS - 1);
      for (const { reason } of lost) {
        expect(reason).toBeInstanceOf(CheckpointConflictError);
        expect(reason).toMatchObject({ code: 'BATON_CHECKPOINT_CONFLICT', runId });
        expect(String(reason)).toContain('record seq 1 was written by another writer first');
      }
      const records = await writers[1]!.read(runId);
      expect(records.map((record) => record.seq)).toEqual([0, 1]);
      expect(records[1]).toMatchObject({ output: { writer: won[0] } });
      expect((await writers[2]!.verify(runId)).ok).toBe(true);
    });

    it(`of ${WRITERS} stores acquiring one run at once, exactly one gets the lease`, async () => {
      const runId = uniqueRunId('acquire');
      const writers = await Promise.all(Array.from({ length: WRITERS }, () => open()));
      const results = await Promise.allSettled(writers.map((writer) => writer.acquire(runId)));
      const won = results.filter((result) => result.status === 'fulfilled');
      expect(won).toHaveLength(1);
      for (const result of results)
        if (result.status === 'rejected') expect(result.reason).toMatchObject({ code: 'BATON_CHECKPOINT_CONFLICT' });
      await (won[0] as PromiseFulfilledResult<{ release(): Promise<void> }>).value.release();
    });

    it('fences out a writer whose lease expired and was taken over, even when the next seq would chain', async () => {
      const runId = uniqueRunId('fenced');
      // The old owner's own clock never moves: it believes its lease is fine, so only the server can refuse it.
      const old = await open({ owner: 'old-owner', leaseTtlMs: 60_000, monotonicNow: () => 0 });
      const next = await open({ owner: 'new-owner', leaseTtlMs: 60_000 });
      const oldLease = await old.acquire(runId);
      await old.append(startedRecord(runId));
      await expect(next.acquire(runId)).rejects.toMatchObject({ code: 'BATON_CHECKPOINT_CONFLICT' });
      await expect(next.append(stepRecord(runId, 1))).rejects.toThrow(/another owner holds a live lease/);
      // The old owner stalls past its lease (its renewals stop): on the server the lease runs out.
      await adminQuery(
        url,
        `UPDATE "${schema}".leases SET expires_at = now() - interval '1 second' WHERE run_id = $1`,
        [runId],
      );
      const newLease = await next.acquire(runId);
      await next.append(stepRecord(runId, 1, 'new owner'));
      // seq 2 is exactly the chain's next record (the old owner re-reads the tail), so no primary key stops it:
      // the lease check in the append statement must.
      const refused = old.append(stepRecord(runId, 2, 'old owner'));
      await expect(refused).rejects.toBeInstanceOf(LeaseLostError);
      await expect(refused).rejects.toMatchObject({ code: 'BATON_LEASE_LOST', runId });
      expect(oldLease.signal.aborted).toBe(true);
      await expect(old.append(stepRecord(runId, 2, 'old owner again'))).rejects.toBeInstanceOf(LeaseLostError);
      await next.append(stepRecord(runId, 2, 'new owner'));
      const outputs = (await next.read(runId)).slice(1).map((record) => (record as { output: unknown }).output);
      expect(outputs).toEqual(['new owner', 'new owner']);
      await newLease.release();
    });

    it('makes an append racing a takeover wait for it, then re-check the lease and refuse', async () => {
      const runId = uniqueRunId('takeover');
      const old = await open({ owner: 'old-owner', leaseTtlMs: 60_000, monotonicNow: () => 0 });
      await old.acquire(runId);
      await old.append(startedRecord(runId));
      // A takeover in flight: the lease row is updated in a transaction that has not committed yet.
      const taker = new pg.Client({ connectionString: url });
      await taker.connect();
      try {
        await taker.query('BEGIN');
        await taker.query(
          `UPDATE "${schema}".leases SET token = gen_random_uuid(), owner = 'taker' WHERE run_id = $1`,
          [runId],
        );
        const append = old.append(stepRecord(runId, 1, 'old owner'));
        append.catch(() => undefined);
        await blockedOnLock(url, schema);
        await taker.query('COMMIT');
        await expect(append).rejects.toMatchObject({ code: 'BATON_LEASE_LOST' });
      } finally {
        await taker.end();
      }
      expect((await old.read(runId)).map((record) => record.seq)).toEqual([0]);
    });

    it('fences out a writer whose lease ran out on the server even when nobody took it over', async () => {
      const runId = uniqueRunId('expired');
      const writer = await open({ leaseTtlMs: 60_000, monotonicNow: () => 0 });
      const lease = await writer.acquire(runId);
      await writer.append(startedRecord(runId));
      await adminQuery(url, `UPDATE "${schema}".leases SET expires_at = now() WHERE run_id = $1`, [runId]);
      await expect(writer.append(stepRecord(runId, 1))).rejects.toMatchObject({ code: 'BATON_LEASE_LOST' });
      expect(lease.signal.aborted).toBe(true);
      expect((await writer.read(runId)).map((record) => record.seq)).toEqual([0]);
    });

    it('lets the holder append again once its lease is released and taken afresh', async () => {
      const runId = uniqueRunId('release');
      const writer = await open();
      const other = await open();
      const first = await writer.acquire(runId);
      await writer.append(startedRecord(runId));
      await first.release();
      const second = await other.acquire(runId);
      await other.append(stepRecord(runId, 1));
      await second.release();
      expect((await writer.read(runId)).map((record) => record.seq)).toEqual([0, 1]);
    });
  });
}
