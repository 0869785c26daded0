import { describe, expect, it } from 'vitest';
import { GroupCommit } from './group-commit.js';

/** A fake sync whose calls stay pending until the test settles them. */
function controllableSync() {
  const calls: { fd: number; full: boolean; settle(error?: Error): void }[] = [];
  const syncFile = (fd: number, full: boolean) =>
    new Promise<void>((resolve, reject) => {
      calls.push({ fd, full, settle: (error) => (error ? reject(error) : resolve()) });
    });
  return { calls, syncFile };
}

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

function track(promise: Promise<void>) {
  const state = { settled: false, error: undefined as unknown };
  promise.then(
    () => (state.settled = true),
    (error: unknown) => {
      state.settled = true;
      state.error = error;
    },
  );
  return state;
}

describe('GroupCommit', () => {
  it('serves requests made in one tick with one sync per file', async () => {
    const { calls, syncFile } = controllableSync();
    const commit = new GroupCommit(syncFile);
    const requests = [commit.sync(3), commit.sync(3), commit.sync(4), commit.sync(3)].map(track);
    await tick();
    expect(calls.map((call) => call.fd)).toEqual([3, 4]);
    expect(requests.some((request) => request.settled)).toBe(false);
    calls[0]!.settle();
    await tick();
    expect(requests.map((request) => request.settled)).toEqual([true, true, false, true]);
    calls[1]!.settle();
    await tick();
    expect(requests.every((request) => request.settled && request.error === undefined)).toBe(true);
    expect(commit.stats()).toEqual({ requests: 4, syncs: 2 });
  });

  it('never resolves a request with a sync that started before it: it waits for the next one', async () => {
    const { calls, syncFile } = controllableSync();
    const commit = new GroupCommit(syncFile);
    const first = track(commit.sync(7));
    await tick();
    expect(calls).toHaveLength(1);
    // Written after the first sync began: that sync may not cover these bytes.
    const late = [commit.sync(7), commit.sync(7)].map(track);
    const other = track(commit.sync(8));
    await tick();
    // File 8 does not wait for file 7's sync.
    expect(calls.map((call) => call.fd)).toEqual([7, 8]);
    calls[1]!.settle();
    await tick();
    expect(other.settled).toBe(true);
    calls[0]!.settle();
    await tick();
    expect(first.settled).toBe(true);
    expect(late.some((request) => request.settled)).toBe(false);
    expect(calls.map((call) => call.fd)).toEqual([7, 8, 7]);
    calls[2]!.settle();
    await tick();
    expect(late.every((request) => request.settled && request.error === undefined)).toBe(true);
    expect(commit.stats()).toEqual({ requests: 4, syncs: 3 });
  });

  it('rejects only the requests of the file whose sync failed', async () => {
    const { calls, syncFile } = controllableSync();
    const commit = new GroupCommit(syncFile);
    const failing = [commit.sync(1), commit.sync(1)].map(track);
    const fine = track(commit.sync(2));
    await tick();
    calls[0]!.settle(new Error('EIO'));
    calls[1]!.settle();
    await tick();
    expect(failing.map((request) => (request.error as Error).message)).toEqual(['EIO', 'EIO']);
    expect(fine).toEqual({ settled: true, error: undefined });
  });

  it('uses fsync (full) when any request for the file asks for it', async () => {
    const { calls, syncFile } = controllableSync();
    const commit = new GroupCommit(syncFile);
    void commit.sync(5);
    void commit.sync(5, true);
    await tick();
    expect(calls).toMatchObject([{ fd: 5, full: true }]);
    calls[0]!.settle();
  });
});
