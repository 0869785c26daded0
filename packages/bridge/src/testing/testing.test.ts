import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { FRAMEWORK_FIXTURES, missingFramework, scratchDir } from './index.js';

describe('@baton/bridge/testing', () => {
  afterEach(() => vi.unstubAllEnvs());

  it('points at the shared Python fixtures', () => {
    expect(existsSync(join(FRAMEWORK_FIXTURES, 'baton_fixture_crews.py'))).toBe(true);
  });

  it('explains a missing framework locally, and fails instead of skipping in CI', () => {
    vi.stubEnv('CI', 'false');
    expect(missingFramework('baton_no_such_module')).toMatch(
      /cannot import baton_no_such_module .*run: bash scripts\/setup-python\.sh/,
    );
    vi.stubEnv('CI', 'true');
    expect(() => missingFramework('baton_no_such_module')).toThrow(
      /must run in CI: .*cannot import baton_no_such_module/,
    );
  });

  it('creates a fresh scratch directory each time', () => {
    const [first, second] = [scratchDir(), scratchDir()];
    expect(existsSync(first)).toBe(true);
    expect(second).not.toBe(first);
    for (const dir of [first, second]) rmSync(dir, { recursive: true });
  });
});
