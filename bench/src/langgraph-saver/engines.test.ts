import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { batonSaverFsRuns } from './engines.js';

const dirs: string[] = [];
async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'baton-bench-langgraph-saver-test-'));
  dirs.push(dir);
  return dir;
}

afterEach(async () => {
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

// No timings are asserted: the graphs' results are checked inside the runner (a wrong value
// throws), and these check the record and commit counts the tables print.
describe('langgraph-saver engines (fs)', () => {
  it('BatonSaver on the fsync store writes a thread start, then a checkpoint and its writes per superstep, all synced', async () => {
    // Per step a checkpoint record and a writes record, plus the thread's start and the input superstep's.
    for (const length of [5, 8]) {
      const chain = await batonSaverFsRuns(await tempDir(), { kind: 'chain', length }, 1);
      expect(chain.records).toBe(2 * length + 4);
      // Every record is synced before LangGraph goes on (one thread: nothing to group).
      expect(chain.commits).toBeGreaterThanOrEqual(chain.records);
    }
    const fan = await batonSaverFsRuns(await tempDir(), { kind: 'fanout', width: 3 }, 10);
    expect(fan.records).toBe(10 * 12);
    expect(fan.commits).toBeGreaterThan(0);
  });
});
