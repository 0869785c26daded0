import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createSupervisor, defineWorkflow, type StepDefinition } from '@baton/core';
import { FsCheckpointStore } from '@baton/checkpoint-fs';
import { expectedResult, lastStepId, stepsOf, type Shape } from '../core/shapes.js';
import type { DurableSample } from './types.js';

/** The shape as a Baton workflow, with the same step bodies every engine runs. */
export function workflowOf(shape: Shape) {
  const steps: Record<string, StepDefinition> = {};
  for (const step of stepsOf(shape))
    steps[step.id] = step.needs.length > 0 ? { run: step.run, needs: step.needs } : { run: step.run };
  return defineWorkflow({ name: `durable-${shape.kind}`, version: '1.0.0', steps });
}

/**
 * `runs` runs of `shape` started at once (run `i` gets input `i`) through a supervisor with
 * `FsCheckpointStore({ durability: 'fsync' })` in `dir`: a step's dependents start only once
 * its record is durable. Outputs are checked after the timed region.
 */
export async function batonRuns(dir: string, shape: Shape, runs: number): Promise<DurableSample> {
  const store = new FsCheckpointStore({ dir, durability: 'fsync', maxOpenFiles: Math.max(1024, runs) });
  const supervisor = createSupervisor({ store });
  const workflow = workflowOf(shape);
  let ms: number;
  let results: Awaited<ReturnType<typeof supervisor.run>>[];
  try {
    const started = performance.now();
    results = await Promise.all(
      Array.from({ length: runs }, (_, index) => supervisor.run(workflow, index, { runId: `r${index}` })),
    );
    ms = performance.now() - started;
  } finally {
    await store.close();
  }
  checkRuns(shape, results);
  return { ms, records: (await logLines(dir)).length, commits: store.stats().syncs };
}

/** Throws unless every run succeeded with the result every engine must compute (run `i` had input `i`). */
export function checkRuns(
  shape: Shape,
  results: readonly { runId: string; status: string; outputs: unknown; error?: unknown }[],
): void {
  const last = lastStepId(shape);
  results.forEach((result, index) => {
    const output = (result.outputs as Record<string, unknown>)[last];
    if (result.status !== 'succeeded' || output !== expectedResult(shape, index)) {
      throw new Error(`baton run ${result.runId} ended ${result.status} with ${String(output)}`, {
        cause: result.error,
      });
    }
  });
}

/** Every line of every run log in a store directory, each with its newline. */
export async function logLines(dir: string, runId?: string): Promise<Buffer[]> {
  const runsDir = join(dir, 'runs');
  const files =
    runId === undefined ? (await readdir(runsDir)).filter((file) => file.endsWith('.jsonl')) : [`${runId}.jsonl`];
  const lines: Buffer[] = [];
  for (const file of files) {
    const text = await readFile(join(runsDir, file), 'utf8');
    for (const line of text.split('\n')) if (line !== '') lines.push(Buffer.from(`${line}\n`));
  }
  return lines;
}
