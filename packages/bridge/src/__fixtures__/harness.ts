import { fileURLToPath } from 'node:url';
import type { StepContext, TokenUsage } from '@baton/core';
import { BridgePool, type BridgePoolOptions } from '../stdio/bridge-pool.js';

/** Folder holding the Python fixture modules (`bridge_fixtures`, ...). */
export const FIXTURES = fileURLToPath(new URL('.', import.meta.url));

/** A stdlib-only Python: the protocol tests need no venv. */
export const PYTHON = process.env.BATON_BRIDGE_TEST_PYTHON ?? 'python3';

/** A pool on the fixtures, with test-friendly grace periods; closed by `closeAll`. */
export function testPool(options: BridgePoolOptions = {}): BridgePool {
  const pool = new BridgePool({ python: PYTHON, pythonPath: [FIXTURES], killGraceMs: 1_000, ...options });
  pools.push(pool);
  return pool;
}

const pools: BridgePool[] = [];

/** Closes every pool a test created. */
export async function closeAll(): Promise<void> {
  await Promise.all(pools.splice(0).map((pool) => pool.close()));
}

/** A minimal StepContext recording what an agent emits and reports. */
export function fakeStepContext(overrides: Partial<StepContext> = {}): StepContext & { events: unknown[]; usage: TokenUsage[] } {
  const events: unknown[] = [];
  const usage: TokenUsage[] = [];
  return {
    runId: 'run-1', stepId: 'step-1', attempt: 1, signal: new AbortController().signal, idempotencyKey: 'run-1:step-1',
    outputs: {}, input: undefined, workflow: { name: 'wf', version: '1', hash: 'h' },
    emit: (data) => events.push(data), reportUsage: (value) => usage.push(value),
    events, usage, ...overrides,
  };
}

/** Resolves when `predicate` holds, polling; rejects after `attempts` polls (no timed assertions). */
export async function eventually(predicate: () => boolean, attempts = 500, everyMs = 10): Promise<void> {
  for (let index = 0; index < attempts; index += 1) {
    if (predicate()) return;
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
  throw new Error('condition never became true');
}
