import { MemoryCheckpointStore, type CheckpointRecord } from '@baton/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { RunsIndex } from './runs-index.js';

const workflow = { name: 'research', version: '1.0.0', hash: 'h' };
const started = (runId: string, at: number): CheckpointRecord => ({
  v: 1,
  runId,
  seq: 0,
  at,
  workflow,
  type: 'run.started',
  input: null,
});

afterEach(() => {
  vi.useRealTimers();
});

describe('RunsIndex without a watch folder (S3, pg, custom stores)', () => {
  it('finds new runs and status changes by polling at the configured interval', async () => {
    vi.useFakeTimers();
    const store = new MemoryCheckpointStore();
    await store.append(started('a', 1));
    const changes: string[][] = [];
    let alive = true;
    const index = new RunsIndex(store, {
      pollIntervalMs: 1_000,
      judge: async (_runId, status) => (alive ? { status } : { status: 'interrupted', note: 'owner gone' }),
      onChange: (runIds) => changes.push(runIds),
    });
    await index.start();
    expect(changes).toEqual([['a']]);
    await store.append(started('b', 2));
    await vi.advanceTimersByTimeAsync(999);
    expect(changes).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(changes).toEqual([['a'], ['b']]);
    expect(index.query().runs.map((run) => run.runId)).toEqual(['b', 'a']);
    // An owner that dies changes no record; the next poll re-judges the running runs.
    alive = false;
    await vi.advanceTimersByTimeAsync(1_000);
    expect(changes.at(-1)).toEqual(['a', 'b']);
    expect(index.get('a')).toMatchObject({ status: 'interrupted', note: 'owner gone' });
    expect(index.query({ statuses: ['interrupted'] }).total).toBe(2);
    await store.deleteRun('a');
    await vi.advanceTimersByTimeAsync(1_000);
    expect(changes.at(-1)).toEqual(['a']);
    expect(index.get('a')).toBeUndefined();
    index.close();
  });

  it('caps a page at 500 runs and searches case-insensitively', async () => {
    const store = new MemoryCheckpointStore();
    for (let index = 0; index < 600; index++) await store.append(started(`Run-${index}`, index));
    const index = new RunsIndex(store, { pollIntervalMs: 60_000 });
    await index.refreshAll();
    expect(index.query({ limit: 10_000 }).runs).toHaveLength(500);
    expect(index.query({ search: 'run-59' }).total).toBe(11);
    expect(index.query({ search: 'RESEARCH' }).total).toBe(600);
    index.close();
  });
});
