/**
 * The variants of the `langgraph-saver` bench: one LangGraph.js graph compiled with Baton's
 * `BatonSaver` over a durable Baton store, against LangGraph's own saver on the same medium:
 * `FsCheckpointStore({ durability: 'fsync' })` vs `SqliteSaver` (WAL + synchronous=FULL), and
 * `PostgresCheckpointStore` vs `PostgresSaver` (same pool). Every graph runs with
 * `durability: 'sync'`: each superstep waits for its checkpoint.
 */
import { FsCheckpointStore } from '@baton/checkpoint-fs';
import { PostgresCheckpointStore } from '@baton/checkpoint-pg';
import { BatonSaver } from '@baton/langgraph-checkpoint';
import type pg from 'pg';
import type { Shape } from '../core/shapes.js';
import { timedGraphRuns } from '../durable/graph-runs.js';
import { countRows, statementCounter } from '../durable/pg.js';
import { logLines } from '../fs-sqlite/baton.js';
import type { DurableSample } from '../fs-sqlite/types.js';
import { SCHEMAS, truncate } from '../pg-store/engines.js';

/**
 * `runs` invocations of `shape` at once on a graph compiled with
 * `BatonSaver(new FsCheckpointStore({ dir, durability: 'fsync' }))`. Records are the store's log
 * lines; commits its `fdatasync` calls (concurrent threads share them through group commit).
 */
export async function batonSaverFsRuns(dir: string, shape: Shape, runs: number): Promise<DurableSample> {
  const store = new FsCheckpointStore({ dir, durability: 'fsync', maxOpenFiles: Math.max(1024, runs) });
  let ms: number;
  try {
    ms = await timedGraphRuns(new BatonSaver(store), shape, runs, 'sync');
  } finally {
    await store.close();
  }
  return { ms, records: (await logLines(dir)).length, commits: store.stats().syncs };
}

/**
 * `runs` invocations of `shape` at once on a graph compiled with
 * `BatonSaver(new PostgresCheckpointStore({ pool }))`, its tables emptied first (untimed).
 * Records are rows of the store's `records` table; commits the statements sent.
 */
export async function batonSaverPgRuns(pool: pg.Pool, shape: Shape, runs: number): Promise<DurableSample> {
  await truncate(pool, SCHEMAS.baton);
  const store = new PostgresCheckpointStore({ pool, schema: SCHEMAS.baton });
  statementCounter.reset();
  let ms: number;
  try {
    ms = await timedGraphRuns(new BatonSaver(store), shape, runs, 'sync');
  } finally {
    await store.close();
  }
  const commits = statementCounter.count;
  return { ms, records: await countRows(pool, `${SCHEMAS.baton}.records`), commits };
}
