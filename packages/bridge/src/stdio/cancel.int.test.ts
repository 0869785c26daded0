import { CancelledError, classifyError } from '@baton/core';
import { afterEach, describe, expect, it } from 'vitest';
import { closeAll, eventually, testPool } from '../__fixtures__/harness.js';

afterEach(closeAll);

const base = { target: '', runId: 'run-c', stepId: 'step-c' };

/** Starts a run and resolves once its first progress event arrived (the run is in flight). */
async function started(pool: ReturnType<typeof testPool>, params: Record<string, unknown>, signal?: AbortSignal) {
  let seen = false;
  const promise = pool.run({ ...base, runner: 'sleep', input: null, ...params } as never, {
    signal,
    onProgress: () => {
      seen = true;
    },
  });
  promise.catch(() => undefined);
  await eventually(() => seen);
  return { running: promise }; // wrapped: an async function returning the promise itself would wait for it
}

describe('cancellation', () => {
  it('an aborted async run replies cancelled, and the same worker serves the next call', async () => {
    const pool = testPool();
    const controller = new AbortController();
    const { running } = await started(pool, { input: { seconds: 3600 } }, controller.signal);
    const pid = pool.workers[0]!.pid;
    controller.abort();
    const error = await running.catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(CancelledError);
    expect(classifyError(error).kind).toBe('cancelled');
    const next = await pool.run({ ...base, runner: 'callable', target: 'bridge_fixtures:pid', input: null });
    expect(next.output).toBe(pid);
    expect(pool.stats()).toMatchObject({ started: 1, lost: 0 });
  });

  it('cancel is idempotent and the cancelled request still gets its (error) reply', async () => {
    const pool = testPool();
    const running = pool.run({
      ...base,
      callId: 'call-1',
      runner: 'callable',
      target: 'bridge_fixtures:cooperative',
      input: null,
    });
    running.catch(() => undefined);
    await eventually(() => pool.workers[0]?.activeRuns === 1);
    const worker = pool.workers[0]!;
    const answers = await Promise.all([worker.cancel('call-1'), worker.cancel('call-1')]);
    expect(answers).toEqual([true, true]);
    await expect(running).rejects.toBeInstanceOf(CancelledError);
    await expect(worker.cancel('call-1')).resolves.toBe(false); // finished: nothing to cancel, no error
    await expect(worker.cancel('never-existed')).resolves.toBe(false);
    expect(worker.state).toBe('ready');
  });

  it('a blocking run that polls ctx.cancelled stops cooperatively; the worker is kept', async () => {
    const pool = testPool();
    const controller = new AbortController();
    const { running } = await started(pool, { input: { seconds: 3600, mode: 'thread' } }, controller.signal);
    controller.abort();
    await expect(running).rejects.toBeInstanceOf(CancelledError);
    expect(pool.stats()).toMatchObject({ lost: 0 });
    expect(pool.workers[0]!.state).toBe('ready');
  });

  it('a run that ignores cancel is killed after killGraceMs (even when it ignores SIGTERM) and the worker replaced', async () => {
    const pool = testPool({ killGraceMs: 200 });
    const controller = new AbortController();
    const { running } = await started(
      pool,
      { input: { seconds: 3600, mode: 'thread', ignoreCancel: true, ignoreSigterm: true } },
      controller.signal,
    );
    const worker = pool.workers[0]!;
    controller.abort();
    const error = await running.catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(CancelledError);
    expect((error as Error).message).toMatch(/did not stop it within 200 ms and was killed/);
    await worker.exited;
    expect(worker.state).toBe('closed');
    const next = await pool.run({ ...base, runner: 'callable', target: 'bridge_fixtures:pid', input: null });
    expect(next.output).not.toBe(worker.pid);
    expect(pool.stats()).toMatchObject({ started: 2, lost: 1 });
  });

  it('a signal aborted before the call rejects at once without starting a worker', async () => {
    const pool = testPool();
    await expect(
      pool.run({ ...base, runner: 'echo', input: 1 }, { signal: AbortSignal.abort() }),
    ).rejects.toBeInstanceOf(CancelledError);
    expect(pool.stats().started).toBe(0);
  });

  it('a call queued behind a busy worker can be cancelled while it waits', async () => {
    const pool = testPool();
    const controller = new AbortController();
    const { running: busy } = await started(pool, { input: { seconds: 3600 } });
    const queued = pool.run({ ...base, runner: 'echo', input: 1 }, { signal: controller.signal });
    expect(pool.stats().queued).toBe(1);
    controller.abort();
    await expect(queued).rejects.toBeInstanceOf(CancelledError);
    expect(pool.stats().queued).toBe(0);
    await pool.close();
    await expect(busy).rejects.toThrow();
  });
});
