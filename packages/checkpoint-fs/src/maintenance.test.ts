import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CheckpointConflictError, CheckpointCorruptedError, CheckpointStoreError, RunNotFoundError } from '@baton/core';
import { describe, expect, it } from 'vitest';
import { appendAll, finished, resumed, started, step, useStores } from './__fixtures__/records.js';

const stores = useStores();

/** A run started at `at` and finished with `status` one ms later. */
const finishedRun = (runId: string, at: number, status: 'succeeded' | 'failed' = 'succeeded') => [
  started(runId, at),
  finished(runId, 1, status, at + 1),
];

describe('listRuns', () => {
  it('summarizes each run, oldest first, and leaves out a corrupted one with a warning', async () => {
    const dir = await stores.dir();
    const { store, warnings } = stores.open({ dir });
    await appendAll(store, [
      ...finishedRun('b', 2_000, 'failed'),
      ...finishedRun('a', 1_000),
      started('c', 3_000),
      started('bad', 500),
    ]);
    const path = join(dir, 'runs', 'bad.jsonl');
    await writeFile(path, (await readFile(path, 'utf8')).replace('"x"', '"y"'));
    const runs = await store.listRuns();
    expect(runs.map((run) => [run.runId, run.status, run.startedAt, run.updatedAt, run.records])).toEqual([
      ['a', 'succeeded', 1_000, 1_001, 2],
      ['b', 'failed', 2_000, 2_001, 2],
      ['c', 'running', 3_000, 3_000, 1],
    ]);
    expect(warnings).toMatchObject([{ code: 'run_unreadable', runId: 'bad' }]);
    expect((await store.listRuns({ status: 'failed' })).map((run) => run.runId)).toEqual(['b']);
  });
});

describe('verify', () => {
  it('reports every run, naming the corrupted record, without throwing', async () => {
    const dir = await stores.dir();
    const { store } = stores.open({ dir });
    await appendAll(store, [...finishedRun('good', 1), started('bad'), step('bad', 1)]);
    const path = join(dir, 'runs', 'bad.jsonl');
    const lines = (await readFile(path, 'utf8')).split('\n');
    await writeFile(path, [lines[1], lines[0], ''].join('\n'));
    const report = await store.verify();
    expect(report.ok).toBe(false);
    expect(report.runs).toMatchObject([
      { runId: 'bad', ok: false, records: 0, file: path, error: expect.any(CheckpointCorruptedError) },
      { runId: 'good', ok: true, records: 2, tornBytes: 0 },
    ]);
    expect(report.runs[0]!.error!.message).toBe(
      `Corrupted checkpoint at ${path}:1: chain broken: prev does not match the previous record (deleted, reordered or inserted record)`,
    );
    expect(await store.verify('good')).toMatchObject({ ok: true, runs: [{ runId: 'good' }] });
    await expect(store.verify('missing')).rejects.toThrow(RunNotFoundError);
  });
});

describe('prune', () => {
  it('deletes finished runs older than the cutoff, keeping the newest keepLast and every running run', async () => {
    const { store } = stores.open({ dir: await stores.dir() });
    await appendAll(store, [
      ...finishedRun('old-1', 1_000),
      ...finishedRun('old-2', 2_000, 'failed'),
      ...finishedRun('old-3', 3_000),
      started('running', 500),
    ]);
    await appendAll(store, finishedRun('new', Date.now()));
    const result = await store.prune({ olderThan: 60_000, keepLast: 2 });
    expect(result).toEqual({ deleted: ['old-2', 'old-1'], skipped: [] });
    expect((await store.listRuns()).map((run) => run.runId)).toEqual(['running', 'old-3', 'new']);
  });

  it('filters by status and accepts a Date cutoff', async () => {
    const { store } = stores.open({ dir: await stores.dir() });
    await appendAll(store, [...finishedRun('ok', 1_000), ...finishedRun('ko', 1_000, 'failed')]);
    expect(await store.prune({ olderThan: new Date(5_000), status: 'failed' })).toEqual({
      deleted: ['ko'],
      skipped: [],
    });
    expect(await store.prune({ olderThan: new Date(500) })).toEqual({ deleted: [], skipped: [] });
  });

  it('skips a run another writer holds', async () => {
    const dir = await stores.dir();
    const { store } = stores.open({ dir });
    await appendAll(store, finishedRun('held', 1_000));
    const { store: owner } = stores.open({ dir });
    const lease = await owner.acquire('held');
    expect(await store.prune({ keepLast: 0 })).toMatchObject({
      deleted: [],
      skipped: [{ runId: 'held', reason: expect.stringContaining('locked by another writer') }],
    });
    await lease.release();
    expect(await store.prune({ keepLast: 0 })).toEqual({ deleted: ['held'], skipped: [] });
  });

  it('requires olderThan or keepLast and validates them', async () => {
    const { store } = stores.open({ dir: await stores.dir() });
    await expect(store.prune({})).rejects.toThrow(CheckpointStoreError);
    await expect(store.prune({})).rejects.toThrow(/give olderThan or keepLast/);
    await expect(store.prune({ keepLast: -1 })).rejects.toThrow(/keepLast/);
  });
});

describe('compact', () => {
  it("rewrites a finished run's log to its final records, still verifiable and readable by another store", async () => {
    const dir = await stores.dir();
    const { store } = stores.open({ dir });
    await appendAll(store, [
      started('r'),
      step('r', 1, 'plan'),
      step('r', 2, 'write', 'failed'),
      finished('r', 3, 'failed'),
      resumed('r', 4),
      step('r', 5, 'write'),
      finished('r', 6),
    ]);
    expect(await store.compact('r')).toEqual({ runId: 'r', before: 7, after: 4 });
    const { store: other } = stores.open({ dir });
    const records = await other.read('r');
    expect(
      records.map((record) => [
        record.seq,
        record.type,
        'stepId' in record ? record.stepId : '',
        'status' in record ? record.status : '',
      ]),
    ).toEqual([
      [0, 'run.started', '', ''],
      [1, 'step', 'plan', 'succeeded'],
      [2, 'step', 'write', 'succeeded'],
      [3, 'run.finished', '', 'succeeded'],
    ]);
    expect((await other.verify('r')).ok).toBe(true);
    await store.append(step('r', 4, 'late'));
    expect(await other.read('r')).toHaveLength(5);
  });

  it('refuses a running run, an unknown run and a run another writer holds', async () => {
    const dir = await stores.dir();
    const { store } = stores.open({ dir });
    await appendAll(store, [started('running'), ...finishedRun('done', 1)]);
    await expect(store.compact('running')).rejects.toThrow(/Cannot compact run 'running': it is still running/);
    await expect(store.compact('missing')).rejects.toThrow(RunNotFoundError);
    const { store: owner } = stores.open({ dir });
    const lease = await owner.acquire('done');
    await expect(store.compact('done')).rejects.toThrow(CheckpointConflictError);
    await lease.release();
  });
});
