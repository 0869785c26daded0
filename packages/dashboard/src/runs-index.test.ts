import {
  MemoryCheckpointStore,
  type CheckpointRecord,
  type RunChangeHandlers,
  type RunChangeSubscription,
} from '@baton/core';
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

/** A memory store that pushes like the pg store: `push` calls the handlers `watchRuns` was given. */
function pushingStore(options: { failToStart?: boolean } = {}) {
  const store = new MemoryCheckpointStore();
  let handlers: RunChangeHandlers | undefined;
  let closed = 0;
  const pushing = Object.assign(store, {
    async watchRuns(given: RunChangeHandlers): Promise<RunChangeSubscription> {
      if (options.failToStart) throw new Error('LISTEN refused');
      handlers = given;
      return {
        close: async () => {
          closed++;
        },
      };
    },
  });
  return { store: pushing, handlers: () => handlers!, closed: () => closed };
}

describe("RunsIndex on a store with watchRuns (the pg store's LISTEN/NOTIFY)", () => {
  it('re-reads each pushed run alone, polls only at the slower safety interval, re-lists on resync', async () => {
    vi.useFakeTimers();
    const { store, handlers, closed } = pushingStore();
    const changes: string[][] = [];
    const index = new RunsIndex(store, {
      pollIntervalMs: 1_000,
      storeWatchPollIntervalMs: 15_000,
      onChange: (runIds) => changes.push(runIds),
    });
    await index.start();
    expect(index.storeWatching).toBe(true);
    await store.append(started('pushed', 1));
    handlers().onChange(['pushed']);
    await vi.advanceTimersByTimeAsync(100);
    expect(changes).toEqual([['pushed']]);
    // Not pushed: only a re-list finds it, and none runs within 1 s while the watch is live.
    await store.append(started('missed', 2));
    await vi.advanceTimersByTimeAsync(5_000);
    expect(index.get('missed')).toBeUndefined();
    handlers().onResync?.();
    await vi.advanceTimersByTimeAsync(0);
    expect(changes).toEqual([['pushed'], ['missed']]);
    await store.append(started('late', 3));
    await vi.advanceTimersByTimeAsync(10_000);
    expect(index.get('late')).toBeDefined();
    index.close();
    expect(closed()).toBe(1);
  });

  it('polls at the normal interval when the watch cannot start, reporting why', async () => {
    vi.useFakeTimers();
    const { store } = pushingStore({ failToStart: true });
    const errors: unknown[] = [];
    const index = new RunsIndex(store, {
      pollIntervalMs: 1_000,
      storeWatchPollIntervalMs: 15_000,
      onError: (error) => errors.push(error),
    });
    await index.start();
    expect(index.storeWatching).toBe(false);
    expect(errors).toMatchObject([{ message: 'LISTEN refused' }]);
    await store.append(started('polled', 1));
    await vi.advanceTimersByTimeAsync(1_000);
    expect(index.get('polled')).toBeDefined();
    index.close();
  });

  it('ignores the watch when told to (useStoreWatch: false)', async () => {
    const { store } = pushingStore();
    const index = new RunsIndex(store, { pollIntervalMs: 1_000, useStoreWatch: false });
    await index.start();
    expect(index.storeWatching).toBe(false);
    index.close();
  });
});

describe('RunsIndex.start() failing', () => {
  it("closes the store's watch when the first listing fails", async () => {
    const { store, closed } = pushingStore();
    store.listRuns = async () => {
      throw new Error('listing failed');
    };
    const index = new RunsIndex(store, { pollIntervalMs: 1_000 });
    await expect(index.start()).rejects.toThrow('listing failed');
    expect(index.storeWatching).toBe(false);
    expect(closed()).toBe(1);
  });
});
