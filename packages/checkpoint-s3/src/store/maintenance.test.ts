import { CheckpointStoreError } from '@baton/core';
import { describe, expect, it } from 'vitest';
import { MemoryObjectClient } from '../testing/memory-object-client.js';
import { finishedRecord, startedRecord, stepRecord } from '../testing/records.js';
import { S3CheckpointStore } from './s3-checkpoint-store.js';

const DAY = 86_400_000;

async function seeded(now: number) {
  const client = new MemoryObjectClient();
  const store = new S3CheckpointStore({
    bucket: 'test-bucket',
    objectClient: client,
    now: () => now,
    retry: { initialDelayMs: 0 },
  });
  const run = async (runId: string, at: number, status?: 'succeeded' | 'failed') => {
    await store.append(startedRecord(runId, at));
    if (status) await store.append(finishedRecord(runId, 1, status, at));
  };
  await run('old-ok', 1 * DAY, 'succeeded');
  await run('old-failed', 2 * DAY, 'failed');
  await run('old-running', 3 * DAY);
  await run('new-ok', 9 * DAY, 'succeeded');
  return { client, store };
}

describe('prune and verify', () => {
  it('prunes finished runs older than the cutoff, never running ones by default', async () => {
    const { store } = await seeded(10 * DAY);
    await expect(store.prune({ olderThan: 5 * DAY })).resolves.toEqual({
      deleted: ['old-failed', 'old-ok'],
      skipped: [],
    });
    expect((await store.listRuns()).map((run) => run.runId)).toEqual(['old-running', 'new-ok']);
  });

  it('keeps the newest runs with keepLast and filters by status', async () => {
    const { store } = await seeded(10 * DAY);
    await expect(store.prune({ keepLast: 1, status: 'succeeded' })).resolves.toEqual({
      deleted: ['old-ok'],
      skipped: [],
    });
  });

  it('skips a run whose lease is live', async () => {
    const { store } = await seeded(10 * DAY);
    await store.acquire('old-ok');
    await expect(store.prune({ olderThan: new Date(5 * DAY) })).resolves.toMatchObject({
      deleted: ['old-failed'],
      skipped: [{ runId: 'old-ok', reason: expect.stringContaining('leased by') }],
    });
    await store.close();
  });

  it('refuses prune options that would delete everything implicitly', async () => {
    const { store } = await seeded(10 * DAY);
    await expect(store.prune({})).rejects.toBeInstanceOf(CheckpointStoreError);
    // Strict: a misspelt option fails instead of being ignored.
    await expect(store.prune({ keepLast: 0, olderThen: DAY } as never)).rejects.toThrow(/olderThen/);
  });

  it('verifies every chain and reports damaged runs instead of throwing', async () => {
    const { client, store } = await seeded(10 * DAY);
    await store.append(stepRecord('old-running', 1, 'fine'));
    client.tamper('runs/old-running/records/000000000001.json', (body) => body.replace('fine', 'fake'));
    const report = await store.verify();
    expect(report.ok).toBe(false);
    expect(report.runs.filter((run) => !run.ok).map((run) => [run.runId, run.error?.code])).toEqual([
      ['old-running', 'BATON_CHECKPOINT_CORRUPTED'],
    ]);
    expect(report.runs.filter((run) => run.ok)).toHaveLength(3);
    await expect(store.verify('new-ok')).resolves.toMatchObject({
      ok: true,
      runs: [{ runId: 'new-ok', records: 2, location: 's3://test-bucket/runs/new-ok/' }],
    });
  });
});
