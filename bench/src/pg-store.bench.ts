/**
 * Durable checkpoints on PostgreSQL, side by side in one run on the same server and the same
 * pool of connections: Baton with `PostgresCheckpointStore`, the floor (one plain INSERT per
 * record of Baton's exact rows, each its own commit with `synchronous_commit=on`), and
 * LangGraph.js with `@langchain/langgraph-checkpoint-postgres`'s `PostgresSaver`.
 * - chain: one run of an N-step chain (one checkpoint per step);
 * - concurrent: N runs of `root → m0, m1, m2 → join` started at once.
 * Needs `BATON_PG_URL` (`bash scripts/pg-up.sh`, then `set -a; . .pg/env; set +a`); without it the
 * bench prints that it was skipped. Flags: `--length=N`, `--runs=N`, `--pool=N`,
 * `--chain-rounds=N`, `--concurrent-rounds=N`.
 */
import { pgOptionsFromEnv } from '@baton/checkpoint-pg';
import type pg from 'pg';
import type { Shape } from './core/shapes.js';
import type { LangGraphDurability } from './durable/graph-runs.js';
import { type Goal, goalRows } from './durable/goals.js';
import { checkDurable, openCountingPool, type PgDurability } from './durable/pg.js';
import { type RoundVariant, sampleRounds } from './durable/rounds.js';
import { chainRow, concurrentRow, numberFlag } from './durable/rows.js';
import { summarize } from './fs-sqlite/summary.js';
import type { DurableSample } from './fs-sqlite/types.js';
import { log, type BenchContext, type BenchRow } from './lib/types.js';
import {
  batonPgRuns,
  batonRows,
  dropSchemas,
  floorPgRuns,
  postgresSaverRuns,
  type RecordRow,
  setUpSchemas,
} from './pg-store/engines.js';

const LABELS = { commits: 'round trips', batonOver: 'Baton ÷ this' };

/** The four variants on one shape; the floor inserts `rows` (one Baton run's records) per run. */
function variants(
  pool: pg.Pool,
  shape: Shape,
  runs: number,
  rows: readonly RecordRow[],
): RoundVariant<DurableSample>[] {
  const saver = (durability: LangGraphDurability) => () => postgresSaverRuns(pool, shape, runs, durability);
  return [
    {
      name: 'floor: one INSERT per record of the same rows, synchronous_commit=on',
      run: () => floorPgRuns(pool, runs, rows),
    },
    { name: 'Baton: PostgresCheckpointStore', run: () => batonPgRuns(pool, shape, runs) },
    { name: "LangGraph.js: PostgresSaver, durability 'sync' (like-for-like)", run: saver('sync') },
    { name: "LangGraph.js: PostgresSaver, durability 'async' (its default)", run: saver('async') },
  ];
}

/** Warms every variant up (JIT, server caches) and returns the rows of one Baton run for the floor. */
async function warmUp(pool: pg.Pool, shape: Shape, runs: number): Promise<RecordRow[]> {
  await batonPgRuns(pool, shape, runs);
  const rows = await batonRows(pool);
  for (const variant of variants(pool, shape, runs, rows)) await variant.run();
  return rows;
}

function describeServer(settings: PgDurability, poolSize: number): string {
  return `PostgreSQL ${settings.serverVersion}, fsync=${settings.fsync}, synchronous_commit=${settings.synchronousCommit}, wal_sync_method=${settings.walSync}, one pool of ${poolSize} connections shared by all`;
}

/** The `pg-store` bench (see bench/README.md). */
export default async function pgStoreBench(ctx: BenchContext): Promise<BenchRow[]> {
  const env = pgOptionsFromEnv();
  if (!env) {
    const reason =
      'BATON_PG_URL is unset: start a server with `bash scripts/pg-up.sh`, then `set -a; . .pg/env; set +a` and run again';
    log(`pg-store: skipped (${reason})`);
    return [{ table: 'pg-store: skipped', reason }];
  }
  const length = numberFlag(ctx, 'length', 200);
  const runs = numberFlag(ctx, 'runs', ctx.quick ? 100 : 1000);
  const poolSize = numberFlag(ctx, 'pool', 10);
  const chainRounds = numberFlag(ctx, 'chain-rounds', ctx.quick ? 2 : 15);
  const concurrentRounds = numberFlag(ctx, 'concurrent-rounds', ctx.quick ? 1 : 5);
  const chain: Shape = { kind: 'chain', length };
  const fan: Shape = { kind: 'fanout', width: 3 };

  const pool = openCountingPool(env.connectionString, poolSize);
  try {
    const settings = await checkDurable(pool);
    log(`pg-store: ${describeServer(settings, poolSize)}`);
    await setUpSchemas(pool);
    log('pg-store: warming up');
    const chainRowsOfBaton = await warmUp(pool, chain, 1);
    const fanRowsOfBaton = await warmUp(pool, fan, Math.min(runs, 100));
    const chainSamples = await sampleRounds(variants(pool, chain, 1, chainRowsOfBaton), chainRounds, `chain ${length}`);
    const fanSamples = await sampleRounds(
      variants(pool, fan, runs, fanRowsOfBaton),
      concurrentRounds,
      `${runs} concurrent 5-step runs`,
    );
    await dropSchemas(pool);

    const where = `${describeServer(settings, poolSize)}; tables emptied before each sample`;
    const rounds = (count: number) => `median of ${count} round${count === 1 ? '' : 's'}`;
    const chainTable = `pg chain ${length}: one run, a durable checkpoint per step (${rounds(chainRounds)}; ${where})`;
    const fanTable = `pg ${runs} concurrent 5-step runs, root → m0,m1,m2 → join (${rounds(concurrentRounds)}; same server and pool)`;
    const names = variants(pool, chain, 1, chainRowsOfBaton).map((variant) => variant.name);
    const chainSummary = summarize(names, chainSamples);
    const fanSummary = summarize(names, fanSamples);
    const goals: Goal[] = [];
    for (const [label, summary] of [
      [`chain ${length}`, chainSummary],
      [`${runs} concurrent runs`, fanSummary],
    ] as const) {
      goals.push(
        {
          goal: `${label}: Baton time ÷ floor time`,
          measured: summary[1]!.vsFloor ?? Number.NaN,
          comparison: '≤',
          target: 1.3,
        },
        {
          goal: `${label}: PostgresSaver 'sync' time ÷ Baton time`,
          measured: 1 / summary[2]!.batonOver,
          comparison: '≥',
          target: 3,
        },
      );
    }
    return [
      ...chainSummary.map((summary) => chainRow(chainTable, summary, length, LABELS)),
      ...fanSummary.map((summary) => concurrentRow(fanTable, summary, runs, 5, LABELS)),
      ...goalRows('pg goals (printed, never asserted)', goals),
    ];
  } finally {
    await pool.end();
  }
}
