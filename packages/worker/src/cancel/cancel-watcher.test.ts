import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CancelWatcher } from './cancel-watcher.js';

describe('CancelWatcher', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('aborts a held run on a notification with a CancelledError', () => {
    const watcher = new CancelWatcher(
      async () => [],
      1_000,
      () => {},
    );
    const signal = watcher.hold('r1');
    watcher.notified('r1');
    expect(signal.aborted).toBe(true);
    expect(signal.reason).toMatchObject({
      name: 'CancelledError',
      code: 'BATON_CANCELLED',
      message: "Run 'r1' was cancelled through @baton/worker's client",
    });
  });

  it('ignores a notification for a run it does not hold, or no longer holds', () => {
    const watcher = new CancelWatcher(
      async () => [],
      1_000,
      () => {},
    );
    const signal = watcher.hold('r1');
    watcher.release('r1');
    watcher.notified('r1');
    watcher.notified('other');
    expect(signal.aborted).toBe(false);
  });

  it('finds a missed cancel on the backstop check, asking only about the runs held', async () => {
    const asked: string[][] = [];
    const watcher = new CancelWatcher(
      async (runIds) => (asked.push(runIds), runIds.filter((runId) => runId === 'r2')),
      1_000,
      () => {},
    );
    const first = watcher.hold('r1');
    const second = watcher.hold('r2');
    watcher.start();
    await vi.advanceTimersByTimeAsync(999);
    expect(asked).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(asked).toEqual([['r1', 'r2']]);
    expect(second.aborted).toBe(true);
    expect(first.aborted).toBe(false);
    watcher.stop();
    await vi.advanceTimersByTimeAsync(5_000);
    expect(asked).toHaveLength(1);
  });

  it('skips the check when nothing is held, and reports a failed check without stopping', async () => {
    const errors: unknown[] = [];
    let calls = 0;
    const watcher = new CancelWatcher(
      async () => {
        calls++;
        if (calls === 1) throw new Error('connection lost');
        return ['r1'];
      },
      1_000,
      (error) => errors.push(error),
    );
    watcher.start();
    await vi.advanceTimersByTimeAsync(3_000);
    expect(calls).toBe(0);
    const signal = watcher.hold('r1');
    await vi.advanceTimersByTimeAsync(1_000);
    expect(errors).toEqual([new Error('connection lost')]);
    expect(signal.aborted).toBe(false);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(signal.aborted).toBe(true);
    watcher.stop();
  });

  it('does not overlap checks while one is slow', async () => {
    let inFlight = 0;
    let most = 0;
    const watcher = new CancelWatcher(
      async () => {
        most = Math.max(most, ++inFlight);
        await new Promise((resolve) => setTimeout(resolve, 3_500));
        inFlight--;
        return [];
      },
      1_000,
      () => {},
    );
    watcher.hold('r1');
    watcher.start();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(most).toBe(1);
    watcher.stop();
  });
});
