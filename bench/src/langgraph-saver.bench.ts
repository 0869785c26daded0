/**
 * LangGraph.js checkpointers side by side in one run, on the same graph (the `core` shapes and
 * step bodies), every graph with `durability: 'sync'`:
 * - `BatonSaver(new FsCheckpointStore({ durability: 'fsync' }))` vs `SqliteSaver` (WAL +
 *   `synchronous=FULL`, as in `fs-vs-sqlite`), each sample in a fresh temp dir under `os.tmpdir()`;
 * - when `BATON_PG_URL` is set, `BatonSaver(new PostgresCheckpointStore({ pool }))` vs
 *   `PostgresSaver` on the same pool (`synchronous_commit=on`), tables emptied before each sample.
 * Shapes: one run of an N-step chain, and N concurrent `root → m0, m1, m2 → join` runs. Each
 * round samples every variant once in a rotating order; ratios are medians of per-round ratios.
 * Flags: `--length=N`, `--runs=N`, `--pool=N`, `--chain-rounds=N`, `--concurrent-rounds=N`.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pgOptionsFromEnv } from '@baton/checkpoint-pg';
import type pg from 'pg';
import type { Shape } from './core/shapes.js';
import { checkDurable, openCountingPool } from './durable/pg.js';
import { type RoundVariant, sampleRounds } from './durable/rounds.js';
import { chainRow, concurrentRow, numberFlag, type RowLabels } from './durable/rows.js';
import { langgraphRuns } from './fs-sqlite/langgraph.js';
import { summarize } from './fs-sqlite/summary.js';
import type { DurableSample } from './fs-sqlite/types.js';
import { batonSaverFsRuns, batonSaverPgRuns } from './langgraph-saver/engines.js';
import { log, type BenchContext, type BenchRow } from './lib/types.js';
import { postgresSaverRuns, setUpSchemas, dropSchemas } from './pg-store/engines.js';

async function inTempDir<T>(operation: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'baton-bench-langgraph-saver-'));
  try {
    return await operation(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function fsVariants(shape: Shape, runs: number): RoundVariant<DurableSample>[] {
  return [
    {
      name: "BatonSaver(FsCheckpointStore({ durability: 'fsync' }))",
      run: () => inTempDir((dir) => batonSaverFsRuns(dir, shape, runs)),
    },
    {
      name: 'SqliteSaver (WAL, synchronous=FULL)',
      run: () => inTempDir((dir) => langgraphRuns(dir, shape, runs, 'sync')),
    },
  ];
}

function pgVariants(pool: pg.Pool, shape: Shape, runs: number): RoundVariant<DurableSample>[] {
  return [
    { name: 'BatonSaver(PostgresCheckpointStore)', run: () => batonSaverPgRuns(pool, shape, runs) },
    { name: 'PostgresSaver', run: () => postgresSaverRuns(pool, shape, runs, 'sync') },
  ];
}

interface Settings {
  length: number;
  runs: number;
  chainRounds: number;
  concurrentRounds: number;
}

/** Warm-up, then chain and concurrent rounds of one pair of variants; rows of its two tables. */
async function measurePair(
  label: string,
  make: (shape: Shape, runs: number) => RoundVariant<DurableSample>[],
  settings: Settings,
  where: string,
  labels: RowLabels,
): Promise<BenchRow[]> {
  const { length, runs, chainRounds, concurrentRounds } = settings;
  const chain: Shape = { kind: 'chain', length };
  const fan: Shape = { kind: 'fanout', width: 3 };
  log(`langgraph-saver ${label}: warming up`);
  for (const variant of [...make(chain, 1), ...make(fan, Math.min(runs, 100))]) await variant.run();
  const chainSamples = await sampleRounds(make(chain, 1), chainRounds, `${label} chain ${length}`);
  const fanSamples = await sampleRounds(make(fan, runs), concurrentRounds, `${label} ${runs} concurrent runs`);
  const names = make(chain, 1).map((variant) => variant.name);
  const refs = { floor: null, baton: 0 };
  const rounds = (count: number) => `median of ${count} round${count === 1 ? '' : 's'}`;
  const chainTable = `${label} chain ${length}: one LangGraph run, durability 'sync' (${rounds(chainRounds)}; ${where})`;
  const fanTable = `${label} ${runs} concurrent 5-step LangGraph runs, root → m0,m1,m2 → join (${rounds(concurrentRounds)}; ${where})`;
  return [
    ...summarize(names, chainSamples, refs).map((summary) => chainRow(chainTable, summary, length, labels)),
    ...summarize(names, fanSamples, refs).map((summary) => concurrentRow(fanTable, summary, runs, 5, labels)),
  ];
}

/** The `langgraph-saver` bench (see bench/README.md). */
export default async function langgraphSaverBench(ctx: BenchContext): Promise<BenchRow[]> {
  const settings: Settings = {
    length: numberFlag(ctx, 'length', 200),
    runs: numberFlag(ctx, 'runs', ctx.quick ? 100 : 1000),
    chainRounds: numberFlag(ctx, 'chain-rounds', ctx.quick ? 2 : 15),
    concurrentRounds: numberFlag(ctx, 'concurrent-rounds', ctx.quick ? 1 : 5),
  };
  const ratio = 'BatonSaver ÷ this';
  const rows = await measurePair(
    'fs',
    fsVariants,
    settings,
    `a fresh temp dir under ${tmpdir()} per sample; SQLite journal_mode=WAL + synchronous=FULL, read back`,
    { commits: 'commits', batonOver: ratio },
  );
  const env = pgOptionsFromEnv();
  if (!env) {
    const reason =
      'BATON_PG_URL is unset: start a server with `bash scripts/pg-up.sh`, then `set -a; . .pg/env; set +a`';
    log(`langgraph-saver pg: skipped (${reason})`);
    return [...rows, { table: 'langgraph-saver pg: skipped', reason }];
  }
  const poolSize = numberFlag(ctx, 'pool', 10);
  const pool = openCountingPool(env.connectionString, poolSize);
  try {
    const durable = await checkDurable(pool);
    await setUpSchemas(pool);
    const where = `PostgreSQL ${durable.serverVersion}, fsync=${durable.fsync}, synchronous_commit=${durable.synchronousCommit}, one pool of ${poolSize} connections shared by both; tables emptied before each sample`;
    rows.push(
      ...(await measurePair('pg', (shape, runs) => pgVariants(pool, shape, runs), settings, where, {
        commits: 'round trips',
        batonOver: ratio,
      })),
    );
    await dropSchemas(pool);
    return rows;
  } finally {
    await pool.end();
  }
}
