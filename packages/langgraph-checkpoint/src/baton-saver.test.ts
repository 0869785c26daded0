import { CHECKPOINT_FORMAT_VERSION, MemoryCheckpointStore } from '@baton/core';
import type { SerializerProtocol } from '@langchain/langgraph-checkpoint';
import { describe, expect, it } from 'vitest';
import { BatonSaver } from './baton-saver.js';
import { LangGraphConfigError } from './errors.js';
import { SAVER_WORKFLOW } from './records.js';
import { allVersions, checkpointWith, loopMetadata } from './testing/checkpoints.js';
import { threadRunId } from './thread-run.js';

const config = (thread_id: string, checkpoint_ns = '') => ({ configurable: { thread_id, checkpoint_ns } });

describe('threadRunId', () => {
  it('keeps a thread id that is a valid run id readable', () => {
    expect(threadRunId('support-42')).toBe('lg.support-42');
  });

  it('hashes a thread id that is not a valid run id, so every string maps to its own run', () => {
    expect(threadRunId('user/42')).toMatch(/^lg-[0-9a-f]{64}$/);
    expect(threadRunId('.hidden')).toMatch(/^lg-[0-9a-f]{64}$/);
    expect(threadRunId('x'.repeat(126))).toMatch(/^lg-[0-9a-f]{64}$/);
    expect(threadRunId('user/42')).not.toBe(threadRunId('user/43'));
  });
});

describe('BatonSaver', () => {
  it('maps a thread to one Baton run: a run.started record naming it, then one record per put/putWrites', async () => {
    const store = new MemoryCheckpointStore();
    const saver = new BatonSaver(store);
    const checkpoint = checkpointWith({ messages: ['hi'] });
    const stored = await saver.put(config('t1'), checkpoint, loopMetadata(0), allVersions(checkpoint));
    await saver.putWrites(stored, [['messages', 'there']], 'task-1');
    const records = await store.read('lg.t1');
    expect(records.map((record) => [record.seq, record.type, 'stepId' in record ? record.stepId : null])).toEqual([
      [0, 'run.started', null],
      [1, 'step', 'langgraph.checkpoint'],
      [2, 'step', 'langgraph.writes'],
    ]);
    expect(records[0]).toMatchObject({ workflow: SAVER_WORKFLOW, input: { threadId: 't1' } });
    const tuple = await saver.getTuple(stored);
    expect(tuple?.checkpoint.channel_values).toEqual({ messages: ['hi'] });
    expect(tuple?.pendingWrites).toEqual([['task-1', 'messages', 'there']]);
  });

  it('rejects configs without a thread_id, or with one of the wrong type, with LangGraphConfigError', async () => {
    const saver = new BatonSaver(new MemoryCheckpointStore());
    const checkpoint = checkpointWith({});
    const put = (configurable: Record<string, unknown>) => saver.put({ configurable }, checkpoint, loopMetadata(0), {});
    await expect(put({})).rejects.toThrow(
      new LangGraphConfigError(
        'thread_id',
        'put needs configurable.thread_id (got []); pass { configurable: { thread_id } } when invoking a graph with a checkpointer',
      ),
    );
    await expect(put({ thread_id: 42 })).rejects.toMatchObject({
      code: 'BATON_LANGGRAPH_CONFIG_INVALID',
      message: 'configurable.thread_id must be a string, got number 42',
    });
    await expect(put({ thread_id: '' })).rejects.toBeInstanceOf(LangGraphConfigError);
    await expect(saver.putWrites(config('t1'), [['a', 1]], 'task')).rejects.toMatchObject({
      code: 'BATON_LANGGRAPH_CONFIG_INVALID',
      field: 'checkpoint_id',
    });
  });

  it('refuses something that is not a CheckpointStore', () => {
    expect(() => new BatonSaver({ read() {} } as never)).toThrow(
      'BatonSaver needs a Baton CheckpointStore (with append, read, listRuns, deleteRun), got an object with keys read',
    );
  });

  it('lists only LangGraph threads when the store also holds workflow runs', async () => {
    const store = new MemoryCheckpointStore();
    await store.append({
      v: CHECKPOINT_FORMAT_VERSION,
      type: 'run.started',
      runId: 'workflow-run',
      seq: 0,
      at: 1,
      workflow: { name: 'research', version: '1', hash: 'h' },
      input: {},
    });
    const saver = new BatonSaver(store);
    const checkpoint = checkpointWith({ a: 1 });
    await saver.put(config('t1'), checkpoint, loopMetadata(0), allVersions(checkpoint));
    const listed = [];
    for await (const tuple of saver.list({})) listed.push(tuple.config.configurable);
    expect(listed).toEqual([{ thread_id: 't1', checkpoint_ns: '', checkpoint_id: checkpoint.id }]);
  });

  it('filters list by metadata, comparing nested values by deep equality', async () => {
    const saver = new BatonSaver(new MemoryCheckpointStore());
    const ids: string[] = [];
    for (const [step, source] of [
      [0, 'loop'],
      [1, 'update'],
    ] as const) {
      const checkpoint = checkpointWith({ a: step });
      ids.push(checkpoint.id);
      await saver.put(config('t1'), checkpoint, { source, step, parents: { '': `p${step}` } }, allVersions(checkpoint));
    }
    const listed = async (filter: Record<string, unknown>) => {
      const found = [];
      for await (const tuple of saver.list(config('t1'), { filter })) found.push(tuple.checkpoint.id);
      return found;
    };
    expect(await listed({ parents: { '': 'p1' } })).toEqual([ids[1]]);
    expect(await listed({ source: 'loop', step: 0 })).toEqual([ids[0]]);
    expect(await listed({ parents: {} })).toEqual([]);
  });

  it('deletes a thread by deleting its run, leaving other threads alone', async () => {
    const store = new MemoryCheckpointStore();
    const saver = new BatonSaver(store);
    for (const thread of ['t1', 't2']) {
      const checkpoint = checkpointWith({ a: thread });
      await saver.put(config(thread), checkpoint, loopMetadata(0), allVersions(checkpoint));
    }
    await saver.deleteThread('t1');
    expect(await store.read('lg.t1')).toEqual([]);
    expect(await saver.getTuple(config('t1'))).toBeUndefined();
    expect((await saver.getTuple(config('t2')))?.checkpoint.channel_values).toEqual({ a: 't2' });
    // The thread starts over cleanly after a delete.
    const again = checkpointWith({ a: 'again' });
    await saver.put(config('t1'), again, loopMetadata(0), allVersions(again));
    expect((await store.read('lg.t1')).map((record) => record.seq)).toEqual([0, 1]);
  });

  it('keeps serializer output that is not UTF-8 as base64 and gives the same bytes back', async () => {
    const bytes = new Uint8Array([0xff, 0xfe, 0x00, 0x80]);
    const seen: Uint8Array[] = [];
    const serde: SerializerProtocol = {
      dumpsTyped: async () => ['bin', bytes],
      loadsTyped: async (_type, data) => {
        seen.push(data as Uint8Array);
        return {};
      },
    };
    const store = new MemoryCheckpointStore();
    const saver = new BatonSaver(store, { serde });
    const checkpoint = checkpointWith({});
    await saver.put(config('t1'), checkpoint, loopMetadata(0), {});
    const [, record] = await store.read('lg.t1');
    expect(record).toMatchObject({ output: { checkpoint: { type: 'bin', base64: '//4AgA==' } } });
    await saver.getTuple(config('t1'));
    expect(seen.map((data) => [...data])).toContainEqual([0xff, 0xfe, 0x00, 0x80]);
  });
});
