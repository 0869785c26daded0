import { fileURLToPath } from 'node:url';
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

/** Resolves when `predicate` holds, polling; rejects after `attempts` polls (no timed assertions). */
export async function eventually(predicate: () => boolean, attempts = 500, everyMs = 10): Promise<void> {
  for (let index = 0; index < attempts; index += 1) {
    if (predicate()) return;
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
  throw new Error('condition never became true');
}
