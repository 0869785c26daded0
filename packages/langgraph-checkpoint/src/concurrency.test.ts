import { type CheckpointRecord, MemoryCheckpointStore } from '@baton/core';
import { describe, expect, it } from 'vitest';
import { BatonSaver } from './baton-saver.js';
import { allVersions, checkpointWith, loopMetadata } from './testing/checkpoints.js';

/** A memory store whose appends take a turn of the event loop, counting how many overlap per run. */
class SlowStore extends MemoryCheckpointStore {
  maxInFlight = 0;
  private inFlight = new Map<string, number>();

  override async append(record: CheckpointRecord): Promise<void> {
    const count = (this.inFlight.get(record.runId) ?? 0) + 1;
    this.inFlight.set(record.runId, count);
    this.maxInFlight = Math.max(this.maxInFlight, count);
    try {
      await new Promise((resolve) => setImmediate(resolve));
      await super.append(record);
    } finally {
      this.inFlight.set(record.runId, count - 1);
    }
  }
}

const thread = { configurable: { thread_id: 't1', checkpoint_ns: '' } };

describe('concurrent calls on one thread', () => {
  it('are appended one at a time, in call order, none lost', async () => {
    const store = new SlowStore();
    const saver = new BatonSaver(store);
    const first = checkpointWith({ a: 0 });
    const stored = await saver.put(thread, first, loopMetadata(0), allVersions(first));
    const second = checkpointWith({ a: 1 });
    // As LangGraph does: the writes of several tasks and the next checkpoint, issued without awaiting.
    await Promise.all([
      saver.putWrites(stored, [['a', 'w1']], 'task-1'),
      saver.putWrites(stored, [['a', 'w2']], 'task-2'),
      saver.putWrites(stored, [['a', 'w3']], 'task-3'),
      saver.put(stored, second, loopMetadata(1), allVersions(second)),
    ]);
    expect(store.maxInFlight).toBe(1);
    const records = await store.read('lg.t1');
    expect(records.map((record) => record.seq)).toEqual([0, 1, 2, 3, 4, 5]);
    const tuple = await saver.getTuple({ configurable: { ...stored.configurable } });
    expect(tuple?.pendingWrites).toEqual([
      ['task-1', 'a', 'w1'],
      ['task-2', 'a', 'w2'],
      ['task-3', 'a', 'w3'],
    ]);
    expect((await saver.getTuple(thread))?.checkpoint.id).toBe(second.id);
  });

  it('from two savers (two processes) both land: the loser of a seq race re-reads the log and appends after it', async () => {
    const store = new MemoryCheckpointStore();
    const [a, b] = [new BatonSaver(store), new BatonSaver(store)];
    const first = checkpointWith({ a: 0 });
    const stored = await a.put(thread, first, loopMetadata(0), allVersions(first));
    const second = checkpointWith({ a: 1 });
    await b.put(stored, second, loopMetadata(1), allVersions(second));
    // `a` still believes the log ends at seq 2; its append conflicts, and is retried at seq 3.
    await a.putWrites(stored, [['a', 'late']], 'task-1');
    expect((await store.read('lg.t1')).map((record) => record.seq)).toEqual([0, 1, 2, 3]);
    const fresh = new BatonSaver(store);
    expect((await fresh.getTuple(stored))?.pendingWrites).toEqual([['task-1', 'a', 'late']]);
    expect((await fresh.getTuple(thread))?.checkpoint.id).toBe(second.id);
  });
});
