import { appendFile, readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  CheckpointConflictError,
  CheckpointCorruptedError,
  CheckpointStoreError,
  GENESIS_HASH,
  openRecord,
} from '@baton/core';
import { describe, expect, it } from 'vitest';
import { FsCheckpointStore } from './fs-checkpoint-store.js';
import { appendAll, finished, started, step, useStores } from './__fixtures__/records.js';

const stores = useStores();

describe('FsCheckpointStore options', () => {
  it('rejects bad options naming each one', () => {
    expect(() => new FsCheckpointStore({ dir: '', durability: 'sometimes' as 'none' })).toThrow(CheckpointStoreError);
    expect(() => new FsCheckpointStore({ dir: '', durability: 'sometimes' as 'none' })).toThrow(
      /dir: .*; durability: /,
    );
  });

  it('defaults to fsync durability and an absolute dir', () => {
    const store = new FsCheckpointStore({ dir: 'relative/dir' });
    expect(store.durability).toBe('fsync');
    expect(store.dir).toBe(join(process.cwd(), 'relative/dir'));
  });
});

describe('FsCheckpointStore log files', () => {
  it('writes one JSONL line per record, each sealed and chained to the previous one', async () => {
    const dir = await stores.dir();
    const { store } = stores.open({ dir, durability: 'fsync' });
    await appendAll(store, [started('run-1'), step('run-1', 1), finished('run-1', 2)]);
    const text = await readFile(join(dir, 'runs', 'run-1.jsonl'), 'utf8');
    const lines = text.split('\n');
    expect(lines.pop()).toBe('');
    let prev = GENESIS_HASH;
    lines.forEach((line, seq) => (prev = openRecord(line, prev, `line ${seq + 1}`, seq).hash));
    // 3 appends + the new file's directory entry + the anchor's directory entry, before and after run.finished
    expect(store.stats()).toMatchObject({ requests: 6 });
  });

  it('rejects an append whose seq is not the record count, leaving the log as it was', async () => {
    const { store } = stores.open({ dir: await stores.dir() });
    await store.append(started('r'));
    await expect(store.append(step('r', 2))).rejects.toThrow(
      new CheckpointConflictError('r', 'append of seq 2 but the run has 1 record(s), so the next seq is 1'),
    );
    await store.append(step('r', 1));
    expect((await store.read('r')).map((record) => record.seq)).toEqual([0, 1]);
  });

  it('groups the fdatasyncs of concurrent runs (never more syncs than requests)', async () => {
    const { store } = stores.open({ dir: await stores.dir(), durability: 'fsync' });
    const runIds = Array.from({ length: 30 }, (_, index) => `g-${index}`);
    await Promise.all(runIds.map((runId) => appendAll(store, [started(runId), step(runId, 1), step(runId, 2)])));
    const stats = store.stats();
    expect(stats.requests).toBe(30 * 3 + 30);
    expect(stats.syncs).toBeLessThanOrEqual(stats.requests);
    for (const runId of runIds) expect(await store.read(runId)).toHaveLength(3);
  });

  it('keeps at most maxOpenFiles log files open and reopens evicted ones correctly', async () => {
    const { store } = stores.open({ dir: await stores.dir(), maxOpenFiles: 2 });
    const runIds = ['a', 'b', 'c', 'd', 'e'];
    for (const runId of runIds) await store.append(started(runId));
    expect(store.stats().openFiles).toBeLessThanOrEqual(2);
    for (const runId of runIds) await store.append(step(runId, 1));
    await expect(store.append(step('a', 1))).rejects.toThrow(CheckpointConflictError);
    for (const runId of runIds) expect((await store.read(runId)).map((record) => record.seq)).toEqual([0, 1]);
  });

  it('rejects every call after close', async () => {
    const { store } = stores.open({ dir: await stores.dir() });
    await store.append(started('r'));
    await store.close();
    await expect(store.append(step('r', 1))).rejects.toThrow(/is closed/);
    await expect(store.read('r')).rejects.toThrow(/is closed/);
  });

  it('rejects a record that is not JSON-serializable, and the run goes on', async () => {
    const { store } = stores.open({ dir: await stores.dir() });
    await store.append(started('r'));
    await expect(store.append({ ...step('r', 1), output: 10n } as never)).rejects.toThrow(
      /Cannot append record 1 of run 'r': it is not JSON-serializable/,
    );
    await store.append(step('r', 1));
    expect(await store.read('r')).toHaveLength(2);
  });

  it('rejects a record of another format version', async () => {
    const { store } = stores.open({ dir: await stores.dir() });
    await expect(store.append({ ...started('r'), v: 2 } as never)).rejects.toThrow(/format version 2/);
  });
});

describe('FsCheckpointStore torn tails and corruption', () => {
  it('ignores a torn tail on read with a warning, and cuts it off before the next append', async () => {
    const dir = await stores.dir();
    const { store, warnings } = stores.open({ dir });
    const listened: string[] = [];
    store.onWarning((warning) => listened.push(warning.code));
    await appendAll(store, [started('r'), step('r', 1)]);
    const path = join(dir, 'runs', 'r.jsonl');
    await appendFile(path, '{"v":1,"type":"step","runId":"r","se');

    const { store: other, warnings: otherWarnings } = stores.open({ dir });
    expect((await other.read('r')).map((record) => record.seq)).toEqual([0, 1]);
    expect(otherWarnings).toMatchObject([
      { code: 'torn_tail', runId: 'r', message: expect.stringContaining('torn write of 36 byte(s) after record 2') },
    ]);
    await other.append(step('r', 2));
    expect(otherWarnings[1]).toMatchObject({ code: 'torn_tail_truncated', runId: 'r' });
    expect((await other.read('r')).map((record) => record.seq)).toEqual([0, 1, 2]);
    expect(await other.verify('r')).toMatchObject({
      ok: false,
      runs: [{ runId: 'r', status: 'unfinished', records: 3, tornBytes: 0 }],
    });
    expect(warnings).toEqual([]);
    expect(listened).toEqual([]);
  });

  it('fails reads and appends on a broken record, naming file, line and reason', async () => {
    const dir = await stores.dir();
    const { store } = stores.open({ dir });
    await appendAll(store, [started('r'), step('r', 1), step('r', 2)]);
    const path = join(dir, 'runs', 'r.jsonl');
    const text = await readFile(path, 'utf8');
    await writeFile(path, text.replace('"s1"', '"s7"'));
    const { store: other } = stores.open({ dir });
    const expected = `Corrupted checkpoint at ${path}:2: SHA-256 mismatch (record was altered)`;
    await expect(other.read('r')).rejects.toThrow(
      new CheckpointCorruptedError(`${path}:2`, 'SHA-256 mismatch (record was altered)'),
    );
    await expect(other.read('r')).rejects.toThrow(expected);
    await expect(other.append(step('r', 3))).rejects.toThrow(expected);
    expect(await readFile(path, 'utf8')).toBe(text.replace('"s1"', '"s7"'));
  });

  it('leaves stray files and invalid names out of listRuns', async () => {
    const dir = await stores.dir();
    const { store } = stores.open({ dir });
    await store.append(started('real'));
    await writeFile(join(dir, 'runs', '..evil.jsonl'), '');
    await writeFile(join(dir, 'runs', 'notes.txt'), '');
    expect((await store.listRuns()).map((run) => run.runId)).toEqual(['real']);
    expect((await readdir(join(dir, 'runs'))).sort()).toEqual(['..evil.jsonl', 'notes.txt', 'real.jsonl']);
  });
});
