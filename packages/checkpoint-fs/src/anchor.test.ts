import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CheckpointCorruptedError, CheckpointStoreError, type CheckpointRecord } from '@baton/core';
import { describe, expect, it } from 'vitest';
import { appendAll, finished, resumed, started, step, useStores } from './__fixtures__/records.js';
import { readAnchor, writeAnchor } from './anchor.js';

const stores = useStores();

/** A finished run of `steps` steps: `steps + 2` records. */
const finishedRun = (runId: string, steps: number): CheckpointRecord[] => [
  started(runId),
  ...Array.from({ length: steps }, (_, index) => step(runId, index + 1)),
  finished(runId, steps + 1),
];

async function keepLines(path: string, count: number): Promise<void> {
  const lines = (await readFile(path, 'utf8')).split('\n').slice(0, -1);
  await writeFile(
    path,
    lines
      .slice(0, count)
      .map((line) => `${line}\n`)
      .join(''),
  );
}

describe('anchor: tail truncation of a finished run', () => {
  it('detects the removal of the last 1..N whole records (run.finished included) in verify, read and append', async () => {
    const dir = await stores.dir();
    const { store } = stores.open({ dir, durability: 'fsync' });
    const records = finishedRun('r', 21);
    await appendAll(store, records);
    expect(await store.verify('r')).toMatchObject({ ok: true, runs: [{ status: 'ok', ok: true, records: 23 }] });
    const path = join(dir, 'runs', 'r.jsonl');
    const original = await readFile(path);
    const anchorFile = join(dir, 'runs', 'r.anchor');
    for (let removed = 1; removed <= records.length; removed++) {
      await writeFile(path, original);
      await keepLines(path, records.length - removed);
      const { store: other } = stores.open({ dir });
      const report = await other.verify();
      expect(report.ok).toBe(false);
      expect(report.runs).toMatchObject([
        { runId: 'r', status: 'corrupted', ok: false, error: expect.any(CheckpointCorruptedError) },
      ]);
      const message = `Corrupted checkpoint at ${path}: truncated: the log has ${records.length - removed} record(s) but its anchor ${anchorFile} says the run finished with 23, the last hashing to ${(await readAnchor(anchorFile, 'r'))!.heads[0]!.lastHash} (whole records were removed from its end)`;
      expect(report.runs[0]!.error!.message).toBe(message);
      await expect(other.read('r')).rejects.toThrow(message);
      await expect(other.append(resumed('r', records.length - removed))).rejects.toThrow(CheckpointCorruptedError);
    }
  });

  it('detects a deleted log whose anchor remains, and an altered anchor', async () => {
    const dir = await stores.dir();
    const { store } = stores.open({ dir });
    await appendAll(store, [...finishedRun('gone', 1), ...finishedRun('edited', 1)]);
    await rm(join(dir, 'runs', 'gone.jsonl'));
    const anchorFile = join(dir, 'runs', 'edited.anchor');
    await writeFile(anchorFile, (await readFile(anchorFile, 'utf8')).replace('"records":3', '"records":2'));
    const report = await store.verify();
    expect(report.runs).toMatchObject([
      {
        runId: 'edited',
        status: 'corrupted',
        error: { message: `Corrupted checkpoint at ${anchorFile}: anchor hash mismatch (the anchor was altered)` },
      },
      {
        runId: 'gone',
        status: 'corrupted',
        error: { message: expect.stringContaining('the log is missing but its anchor') },
      },
    ]);
    await expect(store.read('gone')).rejects.toThrow(CheckpointCorruptedError);
  });

  it('reports a run without run.finished as unfinished, not ok', async () => {
    const dir = await stores.dir();
    const { store } = stores.open({ dir });
    await appendAll(store, [started('r'), step('r', 1), ...finishedRun('done', 0)]);
    const report = await store.verify();
    expect(report).toMatchObject({
      ok: false,
      runs: [
        { runId: 'done', status: 'ok', ok: true },
        { runId: 'r', status: 'unfinished', ok: false, records: 2 },
      ],
    });
    expect(report.runs[1]!.error).toBeUndefined();
  });

  it('a crash while run.finished is appended leaves an anchor that accepts the log with or without it', async () => {
    const dir = await stores.dir();
    const { store } = stores.open({ dir });
    await appendAll(store, finishedRun('r', 2));
    const path = join(dir, 'runs', 'r.jsonl');
    const anchorFile = join(dir, 'runs', 'r.anchor');
    const [head] = (await readAnchor(anchorFile, 'r'))!.heads;
    const before = (await store.read('r')).length - 1;
    await store.close();
    // The anchor written before the run.finished record, still in place when a crash prevents the final one.
    const { store: sealedBefore } = stores.open({ dir });
    const lastStep = await readFile(path, 'utf8').then((text) => text.split('\n')[before - 1]!);
    const prevHash = (JSON.parse(lastStep) as { hash: string }).hash;
    await writeAnchor(anchorFile, 'r', [{ records: before, lastHash: prevHash }, head!], false);
    expect(await sealedBefore.verify('r')).toMatchObject({ ok: true, runs: [{ status: 'ok', records: 4 }] });
    // The run.finished record never reached the file: the run is unfinished, and resuming it appends normally.
    await keepLines(path, 3);
    expect(await sealedBefore.verify('r')).toMatchObject({ ok: false, runs: [{ status: 'unfinished', records: 3 }] });
    await sealedBefore.append(resumed('r', 3));
    await sealedBefore.append(finished('r', 4));
    expect(await sealedBefore.verify('r')).toMatchObject({ ok: true, runs: [{ status: 'ok', records: 5 }] });
  });

  it('a finished log without anchor (from before anchors, or its anchor deleted) is unanchored until anchor() accepts it', async () => {
    const dir = await stores.dir();
    const { store } = stores.open({ dir });
    await appendAll(store, finishedRun('r', 2));
    await rm(join(dir, 'runs', 'r.anchor'));
    const { store: other } = stores.open({ dir });
    expect(await other.verify('r')).toMatchObject({
      ok: false,
      runs: [{ status: 'unanchored', ok: false, records: 4 }],
    });
    expect((await other.verify('r')).runs[0]!.error).toBeUndefined();
    // The records themselves are intact, so reading (and resuming to the recorded result) still works.
    expect((await other.read('r')).map((record) => record.type)).toEqual([
      'run.started',
      'step',
      'step',
      'run.finished',
    ]);
    expect(await other.anchor('r')).toEqual({ runId: 'r', records: 4 });
    expect(await other.verify('r')).toMatchObject({ ok: true, runs: [{ status: 'ok' }] });
  });

  it('anchor() refuses an unfinished run', async () => {
    const { store } = stores.open({ dir: await stores.dir() });
    await appendAll(store, [started('r')]);
    await expect(store.anchor('r')).rejects.toThrow(
      new CheckpointStoreError(
        "Cannot anchor run 'r': it is unfinished (no run.finished record after its last start or resume)",
      ),
    );
  });

  it('moves the anchor when a finished run is resumed and finishes again', async () => {
    const dir = await stores.dir();
    const { store } = stores.open({ dir });
    await appendAll(store, [started('r'), step('r', 1, 'a', 'failed'), finished('r', 2, 'failed')]);
    await appendAll(store, [resumed('r', 3), step('r', 4, 'a')]);
    expect(await store.verify('r')).toMatchObject({ runs: [{ status: 'unfinished' }] });
    await store.append(finished('r', 5));
    expect(await store.verify('r')).toMatchObject({ ok: true, runs: [{ status: 'ok', records: 6 }] });
    await store.close();
    await keepLines(join(dir, 'runs', 'r.jsonl'), 3);
    const { store: other } = stores.open({ dir });
    expect(await other.verify('r')).toMatchObject({
      runs: [
        { status: 'corrupted', error: { message: expect.stringContaining('truncated: the log has 3 record(s)') } },
      ],
    });
  });

  it('compact re-anchors, and a log is accepted at either end while the anchor lists both', async () => {
    const dir = await stores.dir();
    const { store } = stores.open({ dir });
    await appendAll(store, [started('r'), step('r', 1, 'a', 'failed'), step('r', 2, 'a'), finished('r', 3)]);
    const path = join(dir, 'runs', 'r.jsonl');
    const before = await readFile(path);
    const oldHead = (await readAnchor(join(dir, 'runs', 'r.anchor'), 'r'))!.heads[0]!;
    expect(await store.compact('r')).toEqual({ runId: 'r', before: 4, after: 3 });
    expect(await store.verify('r')).toMatchObject({ ok: true, runs: [{ status: 'ok', records: 3 }] });
    const newHead = (await readAnchor(join(dir, 'runs', 'r.anchor'), 'r'))!.heads[0]!;
    expect(newHead.records).toBe(3);
    await keepLines(path, 2);
    expect(await store.verify('r')).toMatchObject({ runs: [{ status: 'corrupted' }] });

    // A crash inside compact leaves the two-head anchor with the old or the new log: both verify.
    await writeAnchor(join(dir, 'runs', 'r.anchor'), 'r', [oldHead, newHead], false);
    await writeFile(path, before);
    expect(await store.verify('r')).toMatchObject({ ok: true, runs: [{ status: 'ok', records: 4 }] });
    await keepLines(path, 3);
    expect(await store.verify('r')).toMatchObject({ runs: [{ status: 'corrupted' }] });
  });

  it('deleteRun and prune remove the anchor with the log, so the run id can be used again', async () => {
    const dir = await stores.dir();
    const { store } = stores.open({ dir });
    await appendAll(store, [...finishedRun('a', 1), ...finishedRun('b', 1)]);
    await store.deleteRun('a');
    expect(await store.prune({ keepLast: 0 })).toEqual({ deleted: ['b'], skipped: [] });
    expect(await store.verify()).toEqual({ ok: true, runs: [] });
    await appendAll(store, finishedRun('a', 0));
    expect(await store.verify('a')).toMatchObject({ ok: true, runs: [{ status: 'ok', records: 2 }] });
  });
});
