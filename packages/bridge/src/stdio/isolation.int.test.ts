import { afterEach, describe, expect, it } from 'vitest';
import { closeAll, testPool } from '../__fixtures__/harness.js';
import { BridgeClosedError } from '../errors/bridge-closed-error.js';

afterEach(closeAll);

const base = { runId: 'run-i', stepId: 'step-i' };

describe('worker isolation', () => {
  it('passes only the env allow-list, inheritEnv and env: a secret in the parent env is not visible', async () => {
    process.env.BATON_TEST_PARENT_SECRET = 'do-not-leak';
    process.env.BATON_TEST_INHERITED = 'passed-by-name';
    try {
      const pool = testPool({ env: { BATON_TEST_EXPLICIT: 'set-by-user' }, inheritEnv: ['BATON_TEST_INHERITED'] });
      const result = await pool.run({
        ...base,
        runner: 'callable',
        target: 'bridge_fixtures:read_env',
        input: {
          names: [
            'BATON_TEST_PARENT_SECRET',
            'BATON_TEST_INHERITED',
            'BATON_TEST_EXPLICIT',
            'PATH',
            'PYTHONUNBUFFERED',
          ],
        },
      });
      expect(result.output).toEqual({
        BATON_TEST_PARENT_SECRET: null,
        BATON_TEST_INHERITED: 'passed-by-name',
        BATON_TEST_EXPLICIT: 'set-by-user',
        PATH: expect.stringContaining('/'),
        PYTHONUNBUFFERED: '1',
      });
    } finally {
      delete process.env.BATON_TEST_PARENT_SECRET;
      delete process.env.BATON_TEST_INHERITED;
    }
  });

  it('stray prints from user code and its child processes go to stderr, never into the protocol', async () => {
    let stderr = '';
    const pool = testPool({
      onStderr: (chunk) => {
        stderr += chunk;
      },
    });
    const result = await pool.run({ ...base, runner: 'callable', target: 'bridge_fixtures:noisy', input: null });
    expect(result.output).toBe('still fine');
    const echoed = await pool.run({
      ...base,
      runner: 'echo',
      target: '',
      input: { _print: 'echo-print', _subprocess: true },
    });
    expect(echoed.output).toEqual({ _print: 'echo-print', _subprocess: true });
    for (const text of [
      'stray print()',
      'stray sys.stdout.write',
      'stray os.write(1)',
      'stray child process',
      'echo-print',
      'stray-output-from-a-subprocess',
    ]) {
      expect(stderr).toContain(text);
    }
    expect(pool.stats().lost).toBe(0);
  });

  it('leaves no promise hanging: close() settles running and queued calls, later calls fail fast', async () => {
    const pool = testPool({ killGraceMs: 300 });
    const calls = [
      pool.run({ ...base, runner: 'sleep', target: '', input: { seconds: 3600 } }),
      pool.run({ ...base, runner: 'sleep', target: '', input: { seconds: 3600, mode: 'thread', ignoreCancel: true } }),
      pool.run({ ...base, runner: 'echo', target: '', input: 'queued' }),
    ];
    const outcomes = Promise.allSettled(calls);
    await pool.workers[0]!.ready;
    await pool.close();
    const settled = await outcomes;
    expect(settled.map((entry) => entry.status)).toEqual(['rejected', 'rejected', 'rejected']);
    expect((settled[2] as PromiseRejectedResult).reason).toBeInstanceOf(BridgeClosedError);
    await expect(pool.run({ ...base, runner: 'echo', target: '', input: 1 })).rejects.toBeInstanceOf(BridgeClosedError);
    expect(pool.workers).toHaveLength(0);
  });
});
