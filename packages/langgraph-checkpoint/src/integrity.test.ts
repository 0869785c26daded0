import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FsCheckpointStore } from '@baton/checkpoint-fs';
import { CHECKPOINT_FORMAT_VERSION, CheckpointCorruptedError, MemoryCheckpointStore } from '@baton/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BatonSaver } from './baton-saver.js';
import { LangGraphRecordError } from './errors.js';
import { payloadRecord, SAVER_WORKFLOW, threadStartRecord } from './records.js';
import { allVersions, checkpointWith, loopMetadata } from './testing/checkpoints.js';

const thread = { configurable: { thread_id: 'audit', checkpoint_ns: '' } };

describe('a tampered thread on the filesystem store', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'baton-lg-integrity-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function writeThread(): Promise<string> {
    const saver = new BatonSaver(new FsCheckpointStore({ dir }));
    const first = checkpointWith({ plan: 'refund-100' });
    const stored = await saver.put(thread, first, loopMetadata(0), allVersions(first));
    await saver.putWrites(stored, [['plan', 'refund-200']], 'task-1');
    const second = checkpointWith({ plan: 'refund-200' });
    await saver.put(stored, second, loopMetadata(1), allVersions(second));
    await saver.store.close?.();
    return join(dir, 'runs', 'lg.audit.jsonl');
  }

  it('reads back untouched', async () => {
    await writeThread();
    const tuple = await new BatonSaver(new FsCheckpointStore({ dir })).getTuple(thread);
    expect(tuple?.checkpoint.channel_values).toEqual({ plan: 'refund-200' });
  });

  it('rejects an edited value with CheckpointCorruptedError instead of returning it', async () => {
    const log = await writeThread();
    const text = await readFile(log, 'utf8');
    expect(text).toContain('refund-200');
    await writeFile(log, text.replaceAll('refund-200', 'refund-900'));
    const saver = new BatonSaver(new FsCheckpointStore({ dir }));
    const error = await saver.getTuple(thread).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(CheckpointCorruptedError);
    expect(error).toMatchObject({ code: 'BATON_CHECKPOINT_CORRUPTED' });
    expect((error as Error).message).toBe(`Corrupted checkpoint at ${log}:3: SHA-256 mismatch (record was altered)`);
    await expect(saver.list({}).next()).rejects.toBeInstanceOf(CheckpointCorruptedError);
  });

  it('rejects a log with a record removed from the middle', async () => {
    const log = await writeThread();
    const lines = (await readFile(log, 'utf8')).split('\n');
    await writeFile(log, [lines[0], ...lines.slice(2)].join('\n'));
    const error = await new BatonSaver(new FsCheckpointStore({ dir }))
      .getTuple(thread)
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'BATON_CHECKPOINT_CORRUPTED' });
    expect((error as Error).message).toContain('chain broken');
  });
});

describe('records the saver did not write', () => {
  it('are a LangGraphRecordError, not skipped', async () => {
    const store = new MemoryCheckpointStore();
    await store.append(threadStartRecord('lg.audit', 'audit', 1));
    await store.append({
      ...payloadRecord('lg.audit', 1, 1, {
        kind: 'writes',
        ns: '',
        checkpointId: 'c',
        taskId: 't',
        taskPath: '',
        writes: [],
      }),
      output: { kind: 'writes' },
    });
    const error = await new BatonSaver(store).getTuple(thread).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(LangGraphRecordError);
    expect(error).toMatchObject({
      code: 'BATON_LANGGRAPH_RECORD_INVALID',
      message: "Invalid LangGraph record lg.audit#1: the writes does not match the saver's format",
    });
    expect((error as Error).cause).toBeDefined();
  });

  it('reject a run that names another thread', async () => {
    const store = new MemoryCheckpointStore();
    await store.append(threadStartRecord('lg.audit', 'someone-else', 1));
    await expect(new BatonSaver(store).getTuple(thread)).rejects.toThrow(
      'Invalid LangGraph record lg.audit#0: the run holds thread "someone-else", not "audit"',
    );
    // Appending to it is refused as well: the saver never adds to a run it cannot vouch for.
    const checkpoint = checkpointWith({});
    await expect(new BatonSaver(store).put(thread, checkpoint, loopMetadata(0), {})).rejects.toBeInstanceOf(
      LangGraphRecordError,
    );
    expect(await store.read('lg.audit')).toHaveLength(1);
  });

  it('reject a run that is a workflow run, not a thread', async () => {
    const store = new MemoryCheckpointStore();
    await store.append({
      v: CHECKPOINT_FORMAT_VERSION,
      type: 'run.started',
      runId: 'lg.audit',
      seq: 0,
      at: 1,
      workflow: { ...SAVER_WORKFLOW, name: 'research' },
      input: {},
    });
    await expect(new BatonSaver(store).getTuple(thread)).rejects.toThrow(
      'Invalid LangGraph record lg.audit#0: the run is not a LangGraph thread (first record: run.started)',
    );
  });
});
