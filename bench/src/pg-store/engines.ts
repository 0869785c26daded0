/**
 * The variants of the `pg-store` bench, each on the shared pool (same server, same connections):
 * Baton with `PostgresCheckpointStore`, the floor (one plain INSERT per record of the same rows),
 * and LangGraph.js with its `PostgresSaver`. Tables are emptied before each sample, outside the
 * timed region, so every sample starts on the same (empty) tables.
 */
import { createSupervisor } from '@baton/core';
import { PostgresCheckpointStore } from '@baton/checkpoint-pg';
import { PostgresSaver } from '@langchain/langgraph-checkpoint-postgres';
import type pg from 'pg';
import type { Shape } from '../core/shapes.js';
import { type LangGraphDurability, timedGraphRuns } from '../durable/graph-runs.js';
import { countRows, statementCounter } from '../durable/pg.js';
import { checkRuns, workflowOf } from '../fs-sqlite/baton.js';
import type { DurableSample } from '../fs-sqlite/types.js';

/** Schemas the bench creates and drops (never the store's default `baton`, so a test database is left alone). */
export const SCHEMAS = { baton: 'bench_baton', floor: 'bench_floor', langgraph: 'bench_langgraph' } as const;

/** One record row as Baton's store writes it (every column but `run_id`), for the floor to write again. */
export interface RecordRow {
  seq: string;
  hash: string;
  type: string;
  status: string | null;
  at: string;
  workflow: string;
  body: string;
}

/** Creates the three schemas and their tables (Baton's `migrate()`, the saver's `setup()`, the floor's copy). */
export async function setUpSchemas(pool: pg.Pool): Promise<void> {
  await dropSchemas(pool);
  await new PostgresCheckpointStore({ pool, schema: SCHEMAS.baton }).migrate();
  await pool.query(`CREATE SCHEMA ${SCHEMAS.floor}`);
  // The same columns, types and primary key as Baton's records table; no lease table, no chain check.
  await pool.query(`CREATE TABLE ${SCHEMAS.floor}.records (
    run_id text NOT NULL, seq bigint NOT NULL CHECK (seq >= 0), hash text NOT NULL, type text NOT NULL,
    status text, at bigint NOT NULL, workflow text NOT NULL, body text NOT NULL, PRIMARY KEY (run_id, seq))`);
  await new PostgresSaver(pool, undefined, { schema: SCHEMAS.langgraph }).setup();
}

/** Drops the bench's schemas (at the start, and when it is done). */
export async function dropSchemas(pool: pg.Pool): Promise<void> {
  for (const schema of Object.values(SCHEMAS)) await pool.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
}

/** Empties every table of `schema` but the migration bookkeeping (outside any timed region). */
export async function truncate(pool: pg.Pool, schema: string): Promise<void> {
  const { rows } = await pool.query<{ name: string }>(
    "SELECT quote_ident(tablename) AS name FROM pg_tables WHERE schemaname = $1 AND tablename <> 'checkpoint_migrations' AND tablename <> 'migrations'",
    [schema],
  );
  if (rows.length > 0) await pool.query(`TRUNCATE ${rows.map((row) => `${schema}.${row.name}`).join(', ')}`);
}

/**
 * `runs` runs of `shape` started at once (run `r<i>`, input `i`) through a supervisor with a
 * `PostgresCheckpointStore` on `pool`: each record is committed (synchronous_commit=on) before
 * the step's dependents start; each run takes and releases its lease.
 */
export async function batonPgRuns(pool: pg.Pool, shape: Shape, runs: number): Promise<DurableSample> {
  await truncate(pool, SCHEMAS.baton);
  const store = new PostgresCheckpointStore({ pool, schema: SCHEMAS.baton });
  const supervisor = createSupervisor({ store });
  const workflow = workflowOf(shape);
  statementCounter.reset();
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
  const commits = statementCounter.count;
  checkRuns(shape, results);
  return { ms, records: await countRows(pool, `${SCHEMAS.baton}.records`), commits };
}

/** The rows Baton's store wrote for run `r0` in the last Baton sample, in `seq` order. */
export async function batonRows(pool: pg.Pool): Promise<RecordRow[]> {
  const { rows } = await pool.query<RecordRow>(
    `SELECT seq, hash, type, status, at, workflow, body FROM ${SCHEMAS.baton}.records WHERE run_id = 'r0' ORDER BY seq`,
  );
  return rows;
}

/**
 * The floor: `runs` runs at once, each inserting `rows` one at a time, one plain `INSERT` (its own
 * transaction, committed with synchronous_commit=on) per record: Baton's bytes without its chain
 * check, lease check or lease round trips.
 */
export async function floorPgRuns(pool: pg.Pool, runs: number, rows: readonly RecordRow[]): Promise<DurableSample> {
  await truncate(pool, SCHEMAS.floor);
  const insert = `INSERT INTO ${SCHEMAS.floor}.records (run_id, seq, hash, type, status, at, workflow, body)
    VALUES ($1::text, $2::bigint, $3::text, $4::text, $5::text, $6::bigint, $7::text, $8::text)`;
  statementCounter.reset();
  const started = performance.now();
  await Promise.all(
    Array.from({ length: runs }, async (_, index) => {
      for (const row of rows)
        await pool.query(insert, [
          `r${index}`,
          row.seq,
          row.hash,
          row.type,
          row.status,
          row.at,
          row.workflow,
          row.body,
        ]);
    }),
  );
  const ms = performance.now() - started;
  const commits = statementCounter.count;
  return { ms, records: await countRows(pool, `${SCHEMAS.floor}.records`), commits };
}

/**
 * `runs` invocations of `shape` at once on one graph compiled with LangGraph's `PostgresSaver` on
 * `pool`. Records are rows in its `checkpoints`, `checkpoint_blobs` and `checkpoint_writes` tables.
 */
export async function postgresSaverRuns(
  pool: pg.Pool,
  shape: Shape,
  runs: number,
  durability: LangGraphDurability,
): Promise<DurableSample> {
  await truncate(pool, SCHEMAS.langgraph);
  const saver = new PostgresSaver(pool, undefined, { schema: SCHEMAS.langgraph });
  statementCounter.reset();
  const ms = await timedGraphRuns(saver, shape, runs, durability);
  const commits = statementCounter.count;
  let records = 0;
  for (const table of ['checkpoints', 'checkpoint_blobs', 'checkpoint_writes'])
    records += await countRows(pool, `${SCHEMAS.langgraph}.${table}`);
  return { ms, records, commits };
}
