import { afterEach, describe, expect, it } from 'vitest';
import { BridgeConfigError } from '../errors/bridge-config-error.js';
import { BridgePool } from './bridge-pool.js';
import { resolveWorkerOptions } from './worker-options.js';

describe('resolveWorkerOptions', () => {
  const saved = process.env.BATON_PYTHON;
  afterEach(() => {
    if (saved === undefined) delete process.env.BATON_PYTHON;
    else process.env.BATON_PYTHON = saved;
  });

  it('applies defaults, taking the interpreter from BATON_PYTHON', () => {
    process.env.BATON_PYTHON = '/venv/bin/python';
    expect(resolveWorkerOptions({})).toMatchObject({
      python: '/venv/bin/python',
      maxFrameBytes: 16 * 1024 * 1024,
      pingIntervalMs: 5_000,
      pingTimeoutMs: 10_000,
      killGraceMs: 5_000,
      initializeTimeoutMs: 60_000,
      stderrTailBytes: 8_192,
    });
    delete process.env.BATON_PYTHON;
    expect(resolveWorkerOptions({}).python).toBe('python3');
  });

  it('names every bad option', () => {
    expect(() => resolveWorkerOptions({ pingTimeoutMs: 0, maxFrameBytes: 10 })).toThrow(BridgeConfigError);
    expect(() => resolveWorkerOptions({ pingTimeoutMs: 0, maxFrameBytes: 10 })).toThrow(
      /maxFrameBytes.*pingTimeoutMs|pingTimeoutMs.*maxFrameBytes/,
    );
    expect(() => new BridgePool({ size: 0 })).toThrow(/size: expected an integer >= 1, got 0/);
  });
});
