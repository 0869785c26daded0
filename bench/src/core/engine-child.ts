/**
 * Measures ONE engine in its own process, so engines never share a heap, a
 * JIT profile or a peak RSS. Started by core.bench.ts as
 * `engine-child.ts <engine> <steps|concurrent>`; answers over IPC.
 */
import { readContext } from '../lib/types.js';
import { FULL, QUICK, measure, type MeasureOptions } from '../lib/stats.js';
import {
  CONCURRENT_RUNS,
  CONCURRENT_SHAPE,
  STEP_SHAPES,
  VALIDATION_LENGTH,
  type ChildResult,
  type ConcurrentResult,
  type ShapeResult,
  type StepsResult,
  type ValidationResult,
} from './cases.js';
import { ENGINES, type Engine, type EngineName, type Runner } from './engine.js';
import { expectedResult, shapeLabel, stepCount, type Shape } from './shapes.js';

const MB = 1024 * 1024;

async function checked(runner: Runner, shape: Shape, input: number): Promise<void> {
  const got = await runner.run(input);
  const want = expectedResult(shape, input);
  if (got !== want) throw new Error(`${shapeLabel(shape)}: expected ${want}, got ${String(got)}`);
}

async function stepsTask(engine: Engine, options: MeasureOptions, full: boolean, quick: boolean): Promise<StepsResult> {
  const shapes: ShapeResult[] = [];
  for (const shape of STEP_SHAPES) {
    const runner = await engine.prepare(shape);
    await checked(runner, shape, 7);
    const stats = await measure(() => runner.run(1), { ...options, beforeSample: runner.fresh });
    shapes.push({
      shape: shapeLabel(shape),
      steps: stepCount(shape),
      stats,
      perStepUs: stats.medianNs / 1e3 / stepCount(shape),
    });
  }
  const validations: ValidationResult[] = [];
  const length = quick ? VALIDATION_LENGTH / 10 : VALIDATION_LENGTH;
  for (const c of engine.validations?.(length, full) ?? []) {
    // Validation ops are long (ms to s): a few whole samples, no batching.
    const stats = c.once
      ? await measure(async () => c.op(), {
          warmupMs: 0,
          minWarmupOps: 0,
          minSampleMs: 0,
          minSamples: 1,
          maxSamples: 1,
          maxTotalMs: 0,
        })
      : await measure(async () => c.op(), {
          warmupMs: 0,
          minWarmupOps: quick ? 1 : 2,
          minSampleMs: 0,
          minSamples: quick ? 1 : 5,
          maxSamples: quick ? 1 : 9,
          maxTotalMs: quick ? 0 : 3_000,
        });
    validations.push({ label: c.label, steps: c.steps, ms: stats.medianNs / 1e6, samples: stats.samples });
  }
  return { kind: 'steps', engine: engine.name, shapes, validations };
}

/** A batch of 1,000 LangGraph runs takes seconds: fewer, unbatched samples. */
const CONCURRENT_SAMPLING = { minSampleMs: 0, minWarmupOps: 2, minSamples: 5, maxSamples: 15, maxTotalMs: 3_000 };

async function concurrentTask(engine: Engine, options: MeasureOptions, quick: boolean): Promise<ConcurrentResult> {
  const runner = await engine.prepare(CONCURRENT_SHAPE);
  await checked(runner, CONCURRENT_SHAPE, 7);
  runner.fresh?.();
  const baselineRssMB = process.memoryUsage().rss / MB;
  const inputs = Array.from({ length: CONCURRENT_RUNS }, (_, i) => i);
  // One op = 1,000 runs in flight at once, each op (warmup too) on a fresh store, so the
  // peak RSS is that of one batch rather than of every run kept since the start.
  // Making a store and supervisor costs microseconds against a batch's milliseconds.
  const batch = (): Promise<unknown[]> => {
    runner.fresh?.();
    return Promise.all(inputs.map((i) => runner.run(i)));
  };
  const stats = await measure(batch, { ...options, ...(quick ? { minSampleMs: 0 } : CONCURRENT_SAMPLING) });
  const stepsPerRun = stepCount(CONCURRENT_SHAPE);
  return {
    kind: 'concurrent',
    engine: engine.name,
    runs: CONCURRENT_RUNS,
    stepsPerRun,
    stats,
    runsPerSec: CONCURRENT_RUNS / (stats.medianNs / 1e9),
    perStepUs: stats.medianNs / 1e3 / (CONCURRENT_RUNS * stepsPerRun),
    baselineRssMB,
    // maxRSS is the process's lifetime peak in KiB (startup and loader included).
    peakRssMB: (process.resourceUsage().maxRSS * 1024) / MB,
  };
}

async function main(): Promise<ChildResult> {
  const [name, task] = process.argv.slice(2) as [EngineName, string];
  const load = ENGINES[name];
  if (!load) throw new Error(`unknown engine ${name}; have ${Object.keys(ENGINES).join(', ')}`);
  const ctx = readContext();
  const options = ctx.quick ? QUICK : FULL;
  try {
    const { engine } = await load();
    if (task === 'steps') return await stepsTask(engine, options, ctx.full, ctx.quick);
    if (task === 'concurrent') return await concurrentTask(engine, options, ctx.quick);
    throw new Error(`unknown task ${task}`);
  } catch (error) {
    return {
      kind: 'error',
      engine: name,
      task,
      message: error instanceof Error ? (error.stack ?? error.message) : String(error),
    };
  }
}

main().then(
  (result) => {
    if (process.send) process.send(result, undefined, {}, () => process.exit(0));
    else {
      console.log(JSON.stringify(result, null, 2));
      process.exit(0);
    }
  },
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
