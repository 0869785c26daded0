import { spawnSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  realpathSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { builtinModules, createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

// These tests read the built package (`turbo run test` builds first), because the point is what ships.
const packageDir = fileURLToPath(new URL('../../', import.meta.url));
const dist = join(packageDir, 'dist');

/** Every bare specifier imported by `entry` and the relative modules it pulls in. */
function bareImports(entry: string): Set<string> {
  const bare = new Set<string>();
  const seen = new Set<string>();
  const queue = [entry];
  while (queue.length > 0) {
    const file = queue.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    const text = readFileSync(file, 'utf8');
    for (const match of text.matchAll(
      /(?:^|\n)\s*(?:import|export)\b[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g,
    )) {
      const specifier = match[1] ?? match[2]!;
      if (specifier.startsWith('.')) queue.push(resolve(dirname(file), specifier));
      else bare.add(specifier);
    }
  }
  return bare;
}

const NODE_TEST = `
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RetryableError } from '@baton/core';
import { createTestStepContext, runAgentOnce, scriptedAgent, uniqueRunId } from '@baton/core/testing';

test('vitest cannot be resolved here', async () => {
  await assert.rejects(import('vitest'), { code: 'ERR_MODULE_NOT_FOUND' });
  await assert.rejects(import('@baton/core/testing/conformance'), { code: 'ERR_MODULE_NOT_FOUND' });
});

test('runAgentOnce and scriptedAgent run an agent through a retry', async () => {
  const agent = scriptedAgent('writer', [{ error: new RetryableError('busy') }, { value: 'done' }]);
  const { result, events } = await runAgentOnce(agent, 'hi', { step: { retry: { initialDelayMs: 1, jitter: 'none' } } });
  assert.equal(result.status, 'succeeded');
  assert.deepEqual(result.outputs, { agent: 'done' });
  assert.deepEqual(agent.calls.map((call) => call.attempt), [1, 2]);
  assert.ok(events.some((event) => event.type === 'step.retrying'));
});

test('createTestStepContext records progress; uniqueRunId is unique', () => {
  const ctx = createTestStepContext();
  ctx.emit({ type: 'token' });
  assert.deepEqual(ctx.progress, [{ type: 'token' }]);
  assert.notEqual(uniqueRunId('a'), uniqueRunId('a'));
});
`;

describe('@baton/core/testing is runtime-free', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'baton-testing-'));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it('imports no test framework from the built helpers (the conformance entry is the only one that does)', () => {
    expect(existsSync(join(dist, 'testing/index.js')), 'build @baton/core first').toBe(true);
    const dependencies = Object.keys(
      (JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as { dependencies: object }).dependencies,
    );
    const external = [...bareImports(join(dist, 'testing/index.js'))];
    const builtin = (name: string) => name.startsWith('node:') || builtinModules.includes(name);
    expect(external.filter((name) => !builtin(name) && !dependencies.includes(name))).toEqual([]);
    expect(bareImports(join(dist, 'testing/conformance.js'))).toContain('vitest');
  });

  it('runs the helpers under `node --test` in a project where vitest is not installed', () => {
    const installed = join(scratch, 'node_modules/@baton/core');
    mkdirSync(installed, { recursive: true });
    cpSync(join(packageDir, 'package.json'), join(installed, 'package.json'));
    cpSync(dist, join(installed, 'dist'), { recursive: true });
    const zod = realpathSync(dirname(createRequire(join(packageDir, 'package.json')).resolve('zod/package.json')));
    symlinkSync(zod, join(scratch, 'node_modules/zod'), 'dir');
    writeFileSync(join(scratch, 'package.json'), '{ "type": "module", "private": true }\n');
    writeFileSync(join(scratch, 'helpers.test.mjs'), NODE_TEST);

    const child = spawnSync(process.execPath, ['--test', '--test-reporter=tap', 'helpers.test.mjs'], {
      cwd: scratch,
      encoding: 'utf8',
    });
    expect(child.stdout + child.stderr).toMatch(/# pass 3\n/);
    expect(child.status, child.stdout + child.stderr).toBe(0);
  });
});
