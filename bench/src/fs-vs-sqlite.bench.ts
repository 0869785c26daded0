/**
 * Durable checkpoints, Baton vs LangGraph.js, on the same graphs and the same disk, in one run:
 * Baton with `FsCheckpointStore({ durability: 'fsync' })` against LangGraph.js with its
 * `SqliteSaver` (SQLite in WAL mode, as the saver sets it, plus `synchronous=FULL`), and the raw
 * floor: write + fdatasync of Baton's exact record bytes, one sync per record.
 * - chain: one run of an N-step chain (one checkpoint per step);
 * - concurrent: N runs of `root → m0, m1, m2 → join` started at once (run ids / thread ids).
 * Each round samples every variant once, in a rotating order, each in a fresh temp dir under
 * `os.tmpdir()`, so disk drift hits all alike. Ratios are medians of per-round ratios.
 * Flags: `--length=N`, `--runs=N`, `--chain-rounds=N`, `--concurrent-rounds=N`.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Shape } from './core/shapes.js';
import { batonRuns, logLines } from './fs-sqlite/baton.js';
import { floorRuns } from './fs-sqlite/floor.js';
import { langgraphRuns, type LangGraphDurability } from './fs-sqlite/langgraph.js';
import { summarize, type Summary } from './fs-sqlite/summary.js';
import type { DurableSample, RunLines } from './fs-sqlite/types.js';
import { log, type BenchContext, type BenchRow } from './lib/types.js';

/** One engine configuration, run on a fresh directory per sample. */
interface Variant {
  name: string;
  run: (dir: string) => Promise<DurableSample>;
}

function flag(ctx: BenchContext, name: string, fallback: number): number {
  const value = ctx.args.find((arg) => arg.startsWith(`--${name}=`))?.split('=')[1];
  return value === undefined ? fallback : Number(value);
}

async function inTempDir<T>(operation: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'baton-bench-fs-sqlite-'));
  try {
    return await operation(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** The four variants on one shape; the floor writes `lines` (one Baton run's log) per run. */
function variants(shape: Shape, runs: number, lines: RunLines): Variant[] {
  const langgraph = (durability: LangGraphDurability) => async (dir: string) =>
    langgraphRuns(dir, shape, runs, durability);
  return [
    {
      name: 'floor: write + fdatasync of the same record bytes, one sync per record',
      run: (dir) => floorRuns(dir, runs, lines),
    },
    { name: "Baton: FsCheckpointStore({ durability: 'fsync' })", run: (dir) => batonRuns(dir, shape, runs) },
    { name: "LangGraph.js: SqliteSaver, durability 'sync' (like-for-like)", run: langgraph('sync') },
    { name: "LangGraph.js: SqliteSaver, durability 'async' (its default)", run: langgraph('async') },
  ];
}

/** Every variant once per round, in an order that rotates each round; samples[variant][round]. */
async function sampleRounds(list: readonly Variant[], rounds: number, label: string): Promise<DurableSample[][]> {
  const samples: DurableSample[][] = list.map(() => []);
  for (let round = 0; round < rounds; round++) {
    log(`${label}: round ${round + 1}/${rounds}`);
    for (let k = 0; k < list.length; k++) {
      const index = (round + k) % list.length;
      samples[index]!.push(await inTempDir((dir) => list[index]!.run(dir)));
    }
  }
  return samples;
}

/** Warms every variant up (JIT, SQLite, file system) and returns one Baton run's log bytes for the floor. */
async function warmUp(shape: Shape, runs: number): Promise<RunLines> {
  const lines = await inTempDir(async (dir) => (await batonRuns(dir, shape, runs), logLines(dir, 'r0')));
  for (const variant of variants(shape, runs, lines)) await inTempDir(variant.run);
  return lines;
}

function chainRow(table: string, summary: Summary, steps: number): BenchRow {
  return {
    table,
    what: summary.name,
    'µs/step': (summary.medianMs * 1000) / steps,
    'min µs/step': (summary.minMs * 1000) / steps,
    'max µs/step': (summary.maxMs * 1000) / steps,
    'durable records/s': summary.records / (summary.medianMs / 1000),
    'records/run': summary.records,
    'commits/run': summary.commits,
    '× floor': summary.vsFloor,
    'Baton ÷ this': summary.batonOver,
  };
}

function concurrentRow(table: string, summary: Summary, runs: number, steps: number): BenchRow {
  return {
    table,
    what: summary.name,
    'runs/s': runs / (summary.medianMs / 1000),
    'µs/step (wall ÷ steps)': (summary.medianMs * 1000) / (runs * steps),
    'durable records/s': summary.records / (summary.medianMs / 1000),
    'records/run': summary.records / runs,
    commits: summary.commits,
    'records/commit': summary.records / summary.commits,
    '× floor': summary.vsFloor,
    'Baton ÷ this': summary.batonOver,
  };
}

/** The `fs-vs-sqlite` bench (see bench/README.md). */
export default async function fsVsSqliteBench(ctx: BenchContext): Promise<BenchRow[]> {
  const length = flag(ctx, 'length', 200);
  const runs = flag(ctx, 'runs', ctx.quick ? 100 : 1000);
  const chainRounds = flag(ctx, 'chain-rounds', ctx.quick ? 2 : 15);
  const concurrentRounds = flag(ctx, 'concurrent-rounds', ctx.quick ? 1 : 5);
  const chain: Shape = { kind: 'chain', length };
  const fan: Shape = { kind: 'fanout', width: 3 };

  log(`fs-vs-sqlite: warming up in ${tmpdir()}`);
  const chainLines = await warmUp(chain, 1);
  const fanLines = await warmUp(fan, Math.min(runs, 100));
  const chainSamples = await sampleRounds(variants(chain, 1, chainLines), chainRounds, `chain ${length}`);
  const fanSamples = await sampleRounds(
    variants(fan, runs, fanLines),
    concurrentRounds,
    `${runs} concurrent 5-step runs`,
  );

  const where = `a fresh temp dir under ${tmpdir()} per sample; SQLite journal_mode=WAL + synchronous=FULL, read back`;
  const rounds = (count: number) => `median of ${count} round${count === 1 ? '' : 's'}`;
  const chainTable = `chain ${length}: one run, a durable checkpoint per step (${rounds(chainRounds)}; ${where}; Baton target ≤ 1.3× floor)`;
  const fanTable = `${runs} concurrent 5-step runs, root → m0,m1,m2 → join (${rounds(concurrentRounds)}; same dirs and SQLite settings; Baton target ≥ 20,000 durable records/s)`;
  const names = variants(chain, 1, chainLines).map((variant) => variant.name);
  return [
    ...summarize(names, chainSamples).map((summary) => chainRow(chainTable, summary, length)),
    ...summarize(names, fanSamples).map((summary) => concurrentRow(fanTable, summary, runs, 5)),
  ];
}
