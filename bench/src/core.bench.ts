/**
 * Baton core vs LangGraph.js vs a minimal hand-written executor (the floor):
 * per-step time on a 200-step chain and a 1→100→1 fan-out, 1,000 concurrent
 * 5-step runs (runs/s, peak RSS), and validation of a 100,000-step chain.
 * Each engine is measured in its own process. Flags: `--engines=floor,baton`.
 */
import { log, type BenchContext, type BenchRow } from './lib/types.js';
import type { ChildResult } from './core/cases.js';
import { ENGINES, type EngineName } from './core/engine.js';
import { coreRows } from './core/report.js';
import { measureInChild } from './core/spawn.js';

const STEP_ENGINES: EngineName[] = ['floor', 'baton', 'baton+schema', 'langgraph', 'langgraph+saver'];
/** LangGraph with its saver needs ~40 s for this part, so only with --full. */
const CONCURRENT_ENGINES: EngineName[] = ['floor', 'baton', 'langgraph'];

function selectedEngines(ctx: BenchContext, defaults: EngineName[]): EngineName[] {
  const flag = ctx.args.find((arg) => arg.startsWith('--engines='));
  if (!flag) return defaults;
  const wanted = flag.slice('--engines='.length).split(',');
  const unknown = wanted.filter((name) => !(name in ENGINES));
  if (unknown.length > 0)
    throw new Error(`unknown engine(s) ${unknown.join(', ')}; have ${Object.keys(ENGINES).join(', ')}`);
  return wanted as EngineName[];
}

async function sequentially(engines: EngineName[], task: 'steps' | 'concurrent'): Promise<ChildResult[]> {
  const results: ChildResult[] = [];
  // One at a time: engines measured in parallel would fight over the same cores.
  for (const engine of engines) {
    log(`${engine}: ${task}…`);
    const started = performance.now();
    results.push(await measureInChild(engine, task));
    log(`${engine}: ${task} done in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  }
  return results;
}

/** The `core` bench (see bench/README.md). */
export default async function core(ctx: BenchContext): Promise<BenchRow[]> {
  const steps = await sequentially(selectedEngines(ctx, STEP_ENGINES), 'steps');
  const concurrentDefaults = ctx.full ? [...CONCURRENT_ENGINES, 'langgraph+saver' as const] : CONCURRENT_ENGINES;
  const concurrent = await sequentially(selectedEngines(ctx, concurrentDefaults), 'concurrent');
  return coreRows({ steps, concurrent });
}
