import { CheckpointConflictError, LeaseLostError } from '@baton/core';
import { uniqueRunId } from '@baton/core/testing';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { adminQuery, dropSchema, pgTestUrl, realStore, uniqueSchema } from '../testing/pg-test-env.js';
import { finishedRecord, startedRecord, stepRecord } from '../testing/records.js';
import { PostgresCheckpointStore } from './pg-checkpoint-store.js';

// What a run costs on the wire (statements per run, named statements), and the two things that make it cheap
// without weakening a guarantee: the acquire reads the chain's end in its own round trip (only a hint: the append
// still checks seq and hash), and the leases table is unlogged (rows lost in a crash fence their holders out).

const url = pgTestUrl();

interface Sent {
  text: string;
  name: string | undefined;
}

/** A pool that records every statement the store sends through `query`. */
function countingPool(connectionString: string): { pool: pg.Pool; sent: Sent[] } {
  const pool = new pg.Pool({ connectionString, max: 2 });
  const sent: Sent[] = [];
  const query = pool.query.bind(pool) as (...args: unknown[]) => Promise<unknown>;
  (pool as unknown as { query: (...args: unknown[]) => Promise<unknown> }).query = (...args: unknown[]) => {
    const [first] = args;
    sent.push(
      typeof first === 'string'
        ? { text: first, name: undefined }
        : { text: (first as pg.QueryConfig).text, name: (first as pg.QueryConfig).name },
    );
    return query(...args);
  };
  return { pool, sent };
}

if (url) {
  describe('round trips per run on the real PostgreSQL server', () => {
    const schema = uniqueSchema('trips');
    const pools: pg.Pool[] = [];
    const stores: PostgresCheckpointStore[] = [];
    const open = async () => {
      const { pool, sent } = countingPool(url);
      pools.push(pool);
      const store = new PostgresCheckpointStore({ pool, schema });
      stores.push(store);
      await store.migrate();
      sent.length = 0;
      return { store, sent };
    };
    afterAll(async () => {
      await Promise.all(stores.splice(0).map((store) => store.close()));
      await Promise.all(pools.splice(0).map((pool) => pool.end()));
      await dropSchema(url, schema);
    });

    it('a brand-new run costs its acquire and one statement per record: no read of the chain, no release', async () => {
      const { store, sent } = await open();
      const runId = uniqueRunId('new');
      const lease = await store.acquire(runId);
      await store.append(startedRecord(runId));
      await store.append(stepRecord(runId, 1));
      const leaseRows = () =>
        adminQuery(url, `SELECT owner FROM "${schema}".leases WHERE run_id = $1`, [runId]).then((rows) => rows.length);
      expect(await leaseRows()).toBe(1);
      await store.append(finishedRecord(runId, 2));
      // The run.finished append deleted the lease row in the same statement; the release sends nothing.
      expect(await leaseRows()).toBe(0);
      await lease.release();
      expect(sent).toHaveLength(4);
      expect(sent[0]!.text).toContain('INSERT INTO');
      expect(sent[0]!.text).toContain('.leases');
      expect(sent.slice(1).every((each) => each.text.includes('.records (run_id, seq'))).toBe(true);
      expect((await store.read(runId)).map((record) => record.seq)).toEqual([0, 1, 2]);
      const next = await realStore(url, schema);
      stores.push(next);
      await (await next.acquire(runId)).release();
    });

    it('a run.finished append that is refused leaves the lease row where it was', async () => {
      const { store } = await open();
      const runId = uniqueRunId('refused');
      const lease = await store.acquire(runId);
      await store.append(startedRecord(runId));
      await adminQuery(
        url,
        `INSERT INTO "${schema}".records (run_id, seq, hash, type, status, at, workflow, body)
          VALUES ($1, 1, 'elsewhere', 'step', NULL, 1, '{}', '{}')`,
        [runId],
      );
      await expect(store.append(finishedRecord(runId, 1))).rejects.toBeInstanceOf(CheckpointConflictError);
      expect((await store.ownerOf(runId))?.alive).toBe(true);
      expect(lease.lost).toBe(true);
    });

    it('resuming a run, the first append chains onto the tail that the acquire read', async () => {
      const writer = await realStore(url, schema);
      stores.push(writer);
      const runId = uniqueRunId('resume');
      for (const record of [startedRecord(runId), stepRecord(runId, 1), stepRecord(runId, 2)])
        await writer.append(record);
      const { store, sent } = await open();
      const lease = await store.acquire(runId);
      await store.append(stepRecord(runId, 3));
      expect(sent).toHaveLength(2);
      await lease.release();
      expect((await store.verify(runId)).ok).toBe(true);
      expect((await store.read(runId)).map((record) => record.seq)).toEqual([0, 1, 2, 3]);
    });

    it('sends the hot-path statements named (prepared once per connection), one name per text', async () => {
      const { store, sent } = await open();
      const runId = uniqueRunId('named');
      const lease = await store.acquire(runId);
      await store.append(startedRecord(runId));
      await store.append(stepRecord(runId, 1));
      await lease.release();
      const names = sent.map((each) => each.name);
      expect(names.every((name) => name?.startsWith('baton_cp_'))).toBe(true);
      expect(new Set(names).size).toBe(3);
      expect(names[1]).toBe(names[2]);
    });

    it('takes the tail from the acquire as a hint only: a record that landed after it makes the append conflict', async () => {
      const { store } = await open();
      const runId = uniqueRunId('stale');
      await store.append(startedRecord(runId));
      const lease = await store.acquire(runId);
      // As if an append without a lease had committed just after the acquire's snapshot (the cache says count 1).
      await adminQuery(
        url,
        `INSERT INTO "${schema}".records (run_id, seq, hash, type, status, at, workflow, body)
          VALUES ($1, 1, 'elsewhere', 'step', NULL, 1, '{}', '{}')`,
        [runId],
      );
      await expect(store.append(stepRecord(runId, 1))).rejects.toBeInstanceOf(CheckpointConflictError);
      const rows = await adminQuery<{ hash: string }>(
        url,
        `SELECT hash FROM "${schema}".records WHERE run_id = $1 AND seq = 1`,
        [runId],
      );
      expect(rows).toEqual([{ hash: 'elsewhere' }]);
      expect(lease.lost).toBe(true);
    });

    it('keeps leases in an unlogged table; lease rows lost (as in a server crash) fence their holder out', async () => {
      const [table] = await adminQuery<{ persistence: string }>(
        url,
        `SELECT relpersistence AS persistence FROM pg_class WHERE oid = $1::regclass`,
        [`"${schema}".leases`],
      );
      expect(table).toEqual({ persistence: 'u' });
      const { store } = await open();
      const runId = uniqueRunId('crash');
      const lease = await store.acquire(runId);
      await store.append(startedRecord(runId));
      // Crash recovery empties an unlogged table; deleting the rows is what the holder then meets.
      await adminQuery(url, `DELETE FROM "${schema}".leases`);
      await expect(store.append(stepRecord(runId, 1))).rejects.toBeInstanceOf(LeaseLostError);
      expect(lease.lost).toBe(true);
      const next = await realStore(url, schema);
      stores.push(next);
      const taken = await next.acquire(runId);
      await next.append(stepRecord(runId, 1, { by: 'next' }));
      await taken.release();
      expect((await next.read(runId)).map((record) => record.seq)).toEqual([0, 1]);
    });
  });
}
