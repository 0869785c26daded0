import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { batonRuns, logLines } from './baton.js';
import { floorRuns } from './floor.js';
import { langgraphRuns } from './langgraph.js';

const dirs: string[] = [];
async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'baton-bench-fs-sqlite-test-'));
  dirs.push(dir);
  return dir;
}

afterEach(async () => {
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

// No timings are asserted: these check that each engine runs the same graphs to the
// same results (checked inside the runners) and that the counts the tables print are right.
describe('fs-vs-sqlite engines', () => {
  it('Baton writes one record per step plus run.started and run.finished, all durable', async () => {
    const dir = await tempDir();
    const chain = await batonRuns(dir, { kind: 'chain', length: 5 }, 1);
    expect(chain.records).toBe(7);
    expect(chain.commits).toBeGreaterThan(0);
    const fan = await batonRuns(await tempDir(), { kind: 'fanout', width: 3 }, 20);
    expect(fan.records).toBe(20 * 7);
    expect((await logLines(dir, 'r0')).length).toBe(7);
  });

  it('LangGraph runs on SqliteSaver in WAL mode with synchronous=FULL and commits every superstep', async () => {
    for (const durability of ['sync', 'async'] as const) {
      const chain = await langgraphRuns(await tempDir(), { kind: 'chain', length: 5 }, 1, durability);
      expect(chain.settings).toEqual({ journalMode: 'wal', synchronous: 2 });
      expect(chain.commits).toBeGreaterThanOrEqual(5);
      expect(chain.records).toBeGreaterThanOrEqual(5);
      const fan = await langgraphRuns(await tempDir(), { kind: 'fanout', width: 3 }, 20, durability);
      expect(fan.commits).toBeGreaterThanOrEqual(20 * 3);
    }
  });

  it('the floor writes and syncs every line of every run', async () => {
    const lines = [Buffer.from('a\n'), Buffer.from('b\n')];
    const sample = await floorRuns(await tempDir(), 3, lines);
    expect(sample).toMatchObject({ records: 6, commits: 7 });
  });
});
