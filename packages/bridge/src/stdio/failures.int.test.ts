import { classifyError } from '@baton/core';
import { afterEach, describe, expect, it } from 'vitest';
import { closeAll, eventually, PYTHON, testPool } from '../__fixtures__/harness.js';
import { BridgeConfigError } from '../errors/bridge-config-error.js';
import { BridgeCrashError } from '../errors/bridge-crash-error.js';
import { BridgeFrameworkMissingError } from '../errors/bridge-framework-missing-error.js';
import { BridgeProtocolError } from '../errors/bridge-protocol-error.js';
import { BridgeRunError } from '../errors/bridge-run-error.js';
import { BridgeSpawnError } from '../errors/bridge-spawn-error.js';

afterEach(closeAll);

const base = { target: '', runId: 'run-f', stepId: 'step-f' };

async function failure(promise: Promise<unknown>): Promise<Error> {
  return promise.then(
    () => {
      throw new Error('expected a failure');
    },
    (error: Error) => error,
  );
}

describe('worker failures become classified errors', () => {
  it('a worker that exits mid-run → retryable BridgeCrashError with the stderr tail; the pool replaces it', async () => {
    const pool = testPool();
    const first = await pool.run({ ...base, runner: 'callable', target: 'bridge_fixtures:pid', input: null });
    const error = await failure(
      pool.run({ ...base, runner: 'fail', input: { mode: 'exit', exitCode: 9, stderr: 'about to die: boom' } }),
    );
    expect(error).toBeInstanceOf(BridgeCrashError);
    expect(error).toMatchObject({ reason: 'exit', exitCode: 9, code: 'BATON_BRIDGE_CRASH' });
    expect((error as BridgeCrashError).stderrTail).toContain('about to die: boom');
    expect(classifyError(error).kind).toBe('retryable');
    const again = await pool.run({ ...base, runner: 'callable', target: 'bridge_fixtures:pid', input: null });
    expect(again.output).not.toBe(first.output);
    expect(pool.stats()).toMatchObject({ started: 2, lost: 1 });
  });

  it('a worker killed from outside mid-run → BridgeCrashError (signal)', async () => {
    const pool = testPool();
    let pid: number | undefined;
    const running = pool.run(
      { ...base, runner: 'sleep', input: { seconds: 3600 } },
      {
        onProgress: (event) => {
          pid = (event as { pid: number }).pid;
        },
      },
    );
    await eventually(() => pid !== undefined);
    process.kill(pid!, 'SIGKILL');
    const error = await failure(running);
    expect(error).toBeInstanceOf(BridgeCrashError);
    expect(error).toMatchObject({ reason: 'signal', signal: 'SIGKILL' });
  });

  it('a hung worker (event loop blocked, SIGTERM ignored) misses its ping, is killed and replaced', async () => {
    const pool = testPool({ pingIntervalMs: 50, pingTimeoutMs: 300, killGraceMs: 200 });
    const error = await failure(
      pool.run({ ...base, runner: 'sleep', input: { seconds: 3600, mode: 'block-loop', ignoreSigterm: true } }),
    );
    expect(error).toBeInstanceOf(BridgeCrashError);
    expect(error).toMatchObject({ reason: 'unresponsive' });
    expect(error.message).toMatch(/did not answer a ping within 300 ms/);
    expect(classifyError(error).kind).toBe('retryable');
    await expect(pool.run({ ...base, runner: 'echo', input: 'alive' })).resolves.toEqual({ output: 'alive' });
    expect(pool.stats()).toMatchObject({ started: 2, lost: 1 });
  });

  it('a malformed frame on stdout → fatal BridgeProtocolError and the worker is killed', async () => {
    const pool = testPool();
    const error = await failure(pool.run({ ...base, runner: 'fail', input: { mode: 'garbage' } }));
    expect(error).toBeInstanceOf(BridgeProtocolError);
    expect(error.message).toMatch(/malformed frame/);
    expect((error as BridgeProtocolError).frame).toBe('this is not a JSON-RPC frame');
    expect(classifyError(error).kind).toBe('fatal');
    await eventually(() => pool.workers.length === 0);
  });

  it('a frame that is not JSON-RPC 2.0 → BridgeProtocolError', async () => {
    const pool = testPool();
    const error = await failure(pool.run({ ...base, runner: 'fail', input: { mode: 'wrong-version' } }));
    expect(error).toBeInstanceOf(BridgeProtocolError);
  });

  it('an oversized frame from the worker → BridgeProtocolError without buffering it whole', async () => {
    const pool = testPool({ maxFrameBytes: 64 * 1024 });
    const error = await failure(pool.run({ ...base, runner: 'fail', input: { mode: 'oversize', bytes: 1_000_000 } }));
    expect(error).toBeInstanceOf(BridgeProtocolError);
    expect(error.message).toMatch(/exceeds maxFrameBytes \(65536\)/);
  });

  it('an oversized request is refused before sending (fatal) and the worker stays usable', async () => {
    const pool = testPool({ maxFrameBytes: 64 * 1024 });
    const error = await failure(pool.run({ ...base, runner: 'echo', input: 'x'.repeat(100_000) }));
    expect(error).toBeInstanceOf(BridgeConfigError);
    expect(error.message).toMatch(/over maxFrameBytes \(65536\)/);
    await expect(pool.run({ ...base, runner: 'echo', input: 'small' })).resolves.toEqual({ output: 'small' });
    expect(pool.stats().lost).toBe(0);
  });

  it('an output too large for a frame → fatal error reply, worker kept', async () => {
    const pool = testPool({ maxFrameBytes: 64 * 1024 });
    const error = await failure(
      pool.run({ ...base, runner: 'callable', target: 'bridge_fixtures:big_output', input: 100_000 }),
    );
    expect(error).toBeInstanceOf(BridgeConfigError);
    expect(classifyError(error).kind).toBe('fatal');
    expect(pool.stats().lost).toBe(0);
  });

  it('exceptions in user code → BridgeRunError with the Python type and traceback, classified by kind or status', async () => {
    const pool = testPool();
    const plain = await failure(
      pool.run({ ...base, runner: 'fail', input: { mode: 'value-error', message: 'bad input 42' } }),
    );
    expect(plain).toBeInstanceOf(BridgeRunError);
    expect(plain).toMatchObject({ message: 'bad input 42', pythonType: 'builtins.ValueError' });
    expect((plain as BridgeRunError).pythonTraceback).toMatch(/ValueError: bad input 42/);
    const fatal = await failure(pool.run({ ...base, runner: 'fail', input: { mode: 'raise', kind: 'fatal' } }));
    expect(classifyError(fatal).kind).toBe('fatal');
    const limited = await failure(
      pool.run({ ...base, runner: 'callable', target: 'bridge_fixtures:rate_limited', input: null }),
    );
    expect(classifyError(limited)).toEqual({ kind: 'rate_limited', retryAfterMs: 1500 });
    expect(pool.stats().lost).toBe(0);
  });

  it('a missing framework → fatal BridgeFrameworkMissingError with an install hint', async () => {
    const pool = testPool();
    const error = await failure(
      pool.run({ ...base, runner: 'callable', target: 'missing_framework_target:run', input: null }),
    );
    expect(error).toBeInstanceOf(BridgeFrameworkMissingError);
    expect(error).toMatchObject({
      framework: 'baton_nonexistent_framework',
      installHint: 'pip install baton_nonexistent_framework',
    });
    expect(classifyError(error).kind).toBe('fatal');
    const viaRunner = await failure(pool.run({ ...base, runner: 'missing_framework_runner:Runner', input: null }));
    expect(viaRunner).toBeInstanceOf(BridgeConfigError); // runner module imports fine but has no such class
  });

  it('unknown runners and bad targets → fatal BridgeConfigError', async () => {
    const pool = testPool();
    await expect(pool.run({ ...base, runner: 'nope', input: null })).rejects.toMatchObject({
      code: 'BATON_BRIDGE_CONFIG',
      message: expect.stringMatching(/Unknown runner 'nope'/),
    });
    await expect(pool.run({ ...base, runner: 'callable', target: 'no_colon', input: null })).rejects.toBeInstanceOf(
      BridgeConfigError,
    );
    await expect(
      pool.run({ ...base, runner: 'callable', target: 'bridge_fixtures:absent', input: null }),
    ).rejects.toThrow(/has no attribute 'absent'/);
  });

  it('a Python executable that does not exist → fatal BridgeSpawnError', async () => {
    const pool = testPool({ python: '/nonexistent/python3' });
    const error = await failure(pool.run({ ...base, runner: 'echo', input: null }));
    expect(error).toBeInstanceOf(BridgeSpawnError);
    expect(error.message).toMatch(/ENOENT/);
    expect(classifyError(error).kind).toBe('fatal');
  });

  it('a worker that dies before initialize → fatal BridgeSpawnError with its stderr', async () => {
    const pool = testPool({
      python: PYTHON,
      pythonArgs: ['-c', 'import sys; print("cannot start", file=sys.stderr); sys.exit(4)'],
    });
    const error = await failure(pool.run({ ...base, runner: 'echo', input: null }));
    expect(error).toBeInstanceOf(BridgeSpawnError);
    expect(error).toMatchObject({ exitCode: 4 });
    expect(error.message).toMatch(/cannot start/);
  });
});
