import { CheckpointCorruptedError } from '@baton/core';
import { uniqueRunId } from '@baton/core/testing';
import type { Pool, QueryConfig } from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { adminQuery, dropSchema, pgTestUrl, realStore, uniqueSchema } from '../testing/pg-test-env.js';
import { finishedRecord, startedRecord, stepRecord } from '../testing/records.js';
import { RecordNotSerializableError } from './pg-errors.js';
import { PostgresCheckpointStore } from './pg-checkpoint-store.js';

// Damage done behind the store's back, values JSON cannot hold, and what exactly lands in the table.

const url = pgTestUrl();

if (url) {
  describe('records on the real PostgreSQL server', () => {
    const schema = uniqueSchema('integrity');
    const stores: PostgresCheckpointStore[] = [];
    const open = async () => {
      const store = await realStore(url, schema);
      stores.push(store);
      return store;
    };
    const table = `"${schema}".records`;
    afterAll(async () => {
      await Promise.all(stores.splice(0).map((store) => store.close()));
      await dropSchema(url, schema);
    });

    /** A run of four records, all verified. */
    async function healthyRun(store: PostgresCheckpointStore, label: string): Promise<string> {
      const runId = uniqueRunId(label);
      await store.append(startedRecord(runId));
      for (const seq of [1, 2]) await store.append(stepRecord(runId, seq, { seq, text: 'hello world' }));
      await store.append(finishedRecord(runId, 3));
      expect((await store.verify(runId)).ok).toBe(true);
      return runId;
    }

    const damages: [string, string, RegExp][] = [
      ['a truncated row', `UPDATE ${table} SET body = left(body, length(body) - 7)`, /not valid JSON/],
      [
        'an altered value',
        `UPDATE ${table} SET body = replace(body, 'hello world', 'hello there')`,
        /SHA-256 mismatch/,
      ],
      ['a hash column out of step', `UPDATE ${table} SET hash = repeat('0', 64)`, /hash column does not match/],
      ['a deleted row', `DELETE FROM ${table}`, /expected seq 2/],
    ];
    for (const [damage, sql, reason] of damages) {
      it(`detects ${damage} on read and in verify, naming the row`, async () => {
        const store = await open();
        const runId = await healthyRun(store, 'damaged');
        await adminQuery(url, `${sql} WHERE run_id = $1 AND seq = 2`, [runId]);
        const read = store.read(runId);
        await expect(read).rejects.toBeInstanceOf(CheckpointCorruptedError);
        await expect(read).rejects.toThrow(reason);
        const expectedSeq = damage === 'a deleted row' ? 3 : 2;
        await expect(read).rejects.toThrow(`run_id='${runId}', seq=${expectedSeq}`);
        const report = await store.verify(runId);
        expect(report.ok).toBe(false);
        expect(report.runs[0]).toMatchObject({ runId, ok: false, records: 0 });
        expect(report.runs[0]!.error).toMatchObject({ code: 'BATON_CHECKPOINT_CORRUPTED' });
        const all = await store.verify();
        expect(all.runs.find((run) => run.runId === runId)).toMatchObject({ ok: false });
      });
    }

    it('stores the sealed JSON text exactly as the fs and S3 stores write it', async () => {
      const store = await open();
      const runId = uniqueRunId('exact');
      const record = startedRecord(runId);
      await store.append(record);
      const [row] = await adminQuery<{ body: string; hash: string }>(
        url,
        `SELECT body, hash FROM ${table} WHERE run_id = $1`,
        [runId],
      );
      const { sealRecord, GENESIS_HASH } = await import('@baton/core');
      const sealed = sealRecord(record, GENESIS_HASH);
      expect(row).toEqual({ body: sealed.text, hash: sealed.hash });
    });

    it('round-trips characters a text column needs care with (NUL, lone surrogates, emoji)', async () => {
      const store = await open();
      const runId = uniqueRunId('chars');
      const odd = { nul: 'a\u0000b', lone: '\ud800x\udc00', emoji: '🎉', quote: '\'"\\' };
      await store.append(startedRecord(runId));
      await store.append(stepRecord(runId, 1, odd));
      expect((await store.read(runId))[1]).toMatchObject({ output: odd });
    });

    const unstorable: [string, () => unknown][] = [
      ['a bigint', () => ({ big: 10n })],
      [
        'a cycle',
        () => {
          const cycle: Record<string, unknown> = {};
          cycle.self = cycle;
          return cycle;
        },
      ],
    ];
    for (const [what, value] of unstorable) {
      it(`refuses ${what} before anything is written, and the seq stays free`, async () => {
        const store = await open();
        const runId = uniqueRunId('unstorable');
        await store.append(startedRecord(runId));
        const refused = store.append(stepRecord(runId, 1, value()));
        await expect(refused).rejects.toBeInstanceOf(RecordNotSerializableError);
        await expect(refused).rejects.toMatchObject({ code: 'BATON_CHECKPOINT_NOT_SERIALIZABLE', seq: 1, runId });
        const rows = await adminQuery(url, `SELECT seq FROM ${table} WHERE run_id = $1`, [runId]);
        expect(rows).toEqual([{ seq: '0' }]);
        await store.append(stepRecord(runId, 1, 'fine'));
        expect((await store.read(runId)).map((record) => record.seq)).toEqual([0, 1]);
      });
    }

    it('treats an append whose reply was lost but which landed as done, not as a conflict', async () => {
      const { default: pg } = await import('pg');
      const pool = new pg.Pool({ connectionString: url, max: 2 });
      let dropNextAppendReply = false;
      // The append runs on the server, then the connection "drops" before its reply: the store must retry.
      const flaky = new Proxy(pool, {
        get(target, key, receiver) {
          if (key !== 'query') return Reflect.get(target, key, receiver);
          // The store sends its hot-path statements as named query configs, the rest as text.
          return async (query: string | QueryConfig, values?: unknown[]) => {
            const result = await (typeof query === 'string' ? target.query(query, values) : target.query(query));
            const sql = typeof query === 'string' ? query : query.text;
            if (dropNextAppendReply && sql.includes('INSERT INTO')) {
              dropNextAppendReply = false;
              throw Object.assign(new Error('Connection terminated unexpectedly'), {});
            }
            return result;
          };
        },
      }) as Pool;
      const store = new PostgresCheckpointStore({ pool: flaky, schema, retry: { initialDelayMs: 1 } });
      try {
        const runId = uniqueRunId('landed');
        await store.append(startedRecord(runId));
        dropNextAppendReply = true;
        await store.append(stepRecord(runId, 1));
        expect(dropNextAppendReply).toBe(false);
        await store.append(stepRecord(runId, 2));
        expect((await store.read(runId)).map((record) => record.seq)).toEqual([0, 1, 2]);
      } finally {
        await store.close();
        await pool.end();
      }
    });
  });
}
