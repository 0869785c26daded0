import { CheckpointStoreError } from '@baton/core';
import type { Pool } from 'pg';
import { describe, expect, it } from 'vitest';
import { startedRecord, stepRecord } from '../testing/records.js';
import { PostgresCheckpointStore } from './pg-checkpoint-store.js';

/** A pool that fails the test if the store sends anything: these checks must happen before any query. */
const untouchable = {
  query: () => {
    throw new Error('the store queried the server');
  },
  connect: () => {
    throw new Error('the store connected to the server');
  },
} as unknown as Pool;

describe('PostgresCheckpointStore (no server)', () => {
  const store = new PostgresCheckpointStore({ pool: untouchable, schema: 'unit' });

  it('rejects invalid run ids before any query', async () => {
    await expect(store.read('../x')).rejects.toMatchObject({ code: 'BATON_INVALID_RUN_ID' });
    await expect(store.append(startedRecord('a/b'))).rejects.toMatchObject({ code: 'BATON_INVALID_RUN_ID' });
    await expect(store.acquire('')).rejects.toMatchObject({ code: 'BATON_INVALID_RUN_ID' });
  });

  it('rejects a seq that is not a non-negative safe integer before any query', async () => {
    for (const seq of [-1, 1.5, Number.NaN, 2 ** 60]) {
      await expect(store.append(stepRecord('r', seq))).rejects.toMatchObject({ code: 'BATON_CHECKPOINT_CONFLICT' });
    }
  });

  it('rejects invalid prune options before any query', async () => {
    await expect(store.prune({})).rejects.toBeInstanceOf(CheckpointStoreError);
    await expect(store.prune({ keepLast: 1, olderThan: 1, typo: 1 } as never)).rejects.toThrow(/Unrecognized key/);
  });

  it('names its owner and schema', () => {
    const named = new PostgresCheckpointStore({ pool: untouchable, owner: 'worker-7' });
    expect(named.owner).toBe('worker-7');
    expect(named.schema).toBe('baton');
  });

  it('closes idempotently, ending the pool it created once', async () => {
    const owned = new PostgresCheckpointStore({ connectionString: 'postgres://nobody@127.0.0.1:9/none' });
    await owned.close();
    await expect(owned.close()).resolves.toBeUndefined();
  });
});
