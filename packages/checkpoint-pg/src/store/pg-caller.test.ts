import { CheckpointConflictError, resolveRetryPolicy } from '@baton/core';
import { describe, expect, it } from 'vitest';
import { PgCaller } from './pg-caller.js';
import { PostgresStoreError } from './pg-errors.js';

const sleeps: number[] = [];
const caller = (maxAttempts = 3) =>
  new PgCaller({
    target: 't',
    retry: resolveRetryPolicy({ maxAttempts, initialDelayMs: 10, backoffFactor: 2, jitter: 'none' }),
    sleep: async (ms) => {
      sleeps.push(ms);
    },
  });
const refused = () => Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });

describe('PgCaller', () => {
  it('retries retryable failures with backoff and returns the first success', async () => {
    sleeps.length = 0;
    let calls = 0;
    const result = await caller().call('read', async () => {
      if (++calls < 3) throw refused();
      return 'rows';
    });
    expect(result).toBe('rows');
    expect(calls).toBe(3);
    expect(sleeps).toEqual([10, 20]);
  });

  it('gives up after maxAttempts with a PostgresStoreError that keeps the last cause', async () => {
    const last = refused();
    const failure = caller(2).call('read', async () => {
      throw last;
    });
    await expect(failure).rejects.toBeInstanceOf(PostgresStoreError);
    await expect(failure).rejects.toMatchObject({ code: 'BATON_PG_CONNECTION', cause: last });
    await expect(failure).rejects.toThrow('PostgreSQL read on t failed after 2 attempts: connect ECONNREFUSED');
  });

  it('does not retry fatal failures', async () => {
    let calls = 0;
    const failure = caller().call('read', async () => {
      calls++;
      throw Object.assign(new Error('password authentication failed'), { code: '28P01' });
    });
    await expect(failure).rejects.toMatchObject({ code: 'BATON_PG_AUTH' });
    expect(calls).toBe(1);
  });

  it("passes Baton's own errors through untouched", async () => {
    const conflict = new CheckpointConflictError('r', 'lost');
    await expect(
      caller().call('append', async () => {
        throw conflict;
      }),
    ).rejects.toBe(conflict);
  });
});
