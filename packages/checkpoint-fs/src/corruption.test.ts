import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CheckpointCorruptedError } from '@baton/core';
import { describe, expect, it } from 'vitest';
import { parseLog } from './log-file.js';
import { appendAll, finished, started, step, useStores } from './__fixtures__/records.js';

const stores = useStores();

/** A finished run of 4 records on disk (about 1 KB). */
async function smallLog() {
  const dir = await stores.dir();
  const { store } = stores.open({ dir });
  await appendAll(store, [started('r'), step('r', 1), step('r', 2), finished('r', 3)]);
  const path = join(dir, 'runs', 'r.jsonl');
  const original = await readFile(path);
  expect(original.length).toBeGreaterThan(800);
  return { store, path, original };
}

/** Reads the run through a store and returns how the read ended. */
async function outcome(read: () => Promise<unknown>): Promise<'corrupted' | 'ok' | string> {
  try {
    await read();
    return 'ok';
  } catch (error) {
    return error instanceof CheckpointCorruptedError ? 'corrupted' : String(error);
  }
}

describe('corruption detection over a small log', () => {
  it('detects every byte of the log inverted, read back through the store', async () => {
    const { store, path, original } = await smallLog();
    const undetected: string[] = [];
    for (let offset = 0; offset < original.length; offset++) {
      const mutated = Buffer.from(original);
      mutated[offset]! ^= 0xff;
      await writeFile(path, mutated);
      const result = await outcome(() => store.read('r'));
      if (result !== 'corrupted') undetected.push(`byte ${offset}: ${result}`);
    }
    expect(undetected).toEqual([]);
    await writeFile(path, original);
    expect(await store.read('r')).toHaveLength(4);
  });

  it('detects every single-bit flip of every byte (parsed in memory: 8 flips per byte)', async () => {
    const { path, original } = await smallLog();
    const undetected: string[] = [];
    for (let offset = 0; offset < original.length; offset++) {
      for (let bit = 0; bit < 8; bit++) {
        const mutated = Buffer.from(original);
        mutated[offset]! ^= 1 << bit;
        const result = await outcome(async () => parseLog(mutated, 'r', path));
        if (result !== 'corrupted') undetected.push(`byte ${offset} bit ${bit}: ${result}`);
      }
    }
    expect(undetected).toEqual([]);
  });

  it('detects a deleted, a duplicated and a swapped record, and a record moved from another run', async () => {
    const dir = await stores.dir();
    const { store } = stores.open({ dir });
    await appendAll(store, [started('r'), step('r', 1), step('r', 2), finished('r', 3)]);
    await appendAll(store, [started('s'), step('s', 1)]);
    const path = join(dir, 'runs', 'r.jsonl');
    const lines = (await readFile(path, 'utf8')).split('\n').slice(0, -1);
    const other = (await readFile(join(dir, 'runs', 's.jsonl'), 'utf8')).split('\n');
    const variants = {
      deleted: [lines[0], lines[2], lines[3]],
      duplicated: [lines[0], lines[1], lines[1], lines[2], lines[3]],
      swapped: [lines[0], lines[2], lines[1], lines[3]],
      foreign: [lines[0], other[1], lines[2], lines[3]],
      'whole log of another run': other.slice(0, 2),
    };
    for (const [name, variant] of Object.entries(variants)) {
      await writeFile(path, `${variant.join('\n')}\n`);
      expect([name, await outcome(() => store.read('r'))]).toEqual([name, 'corrupted']);
      expect((await store.verify('r')).ok).toBe(false);
    }
  });
});
