/** The I/O of the `worker` bench: worker child processes, a batch of runs through `createClient`, schemas. */
import { BatonError } from '@baton/core';
import type { Client } from '@baton/worker';
import { type ChildProcess, spawn } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type pg from 'pg';
import type { RunTiming } from './measure.js';
import { benchWorkflow } from './workflow.mjs';

/** Thrown when a worker process fails or a bench run does not succeed. Code `BENCH_WORKER`. */
export class WorkerBenchError extends BatonError {
  constructor(message: string, cause?: unknown) {
    super('BENCH_WORKER', { message, cause });
  }
}

/** bench/src/worker/, from either src/worker/*.ts (tests) or a flat chunk in bench/dist/ (the bench). */
function workerSourceDir(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  return here.endsWith('/dist') ? resolve(here, '../src/worker') : here;
}

/** The schemas the bench's workers and client use. */
export interface BenchSchemas {
  store: string;
  boss: string;
}

/** A running worker child process. */
export interface WorkerChild {
  child: ChildProcess;
  pid: number;
  /** Resolves once it takes jobs; rejects if it exits first. */
  ready: Promise<void>;
  /** Resolves once it has exited. */
  exited: Promise<void>;
}

/** Spawns one worker child (`worker-child.mjs`) with `concurrency` runs at once and pg-boss polling every `pollingSeconds`. */
export function spawnWorker(
  url: string,
  schemas: BenchSchemas,
  concurrency: number,
  pollingSeconds: number,
): WorkerChild {
  const child = spawn(process.execPath, [resolve(workerSourceDir(), 'worker-child.mjs')], {
    env: {
      ...process.env,
      BATON_PG_URL: url,
      STORE_SCHEMA: schemas.store,
      BOSS_SCHEMA: schemas.boss,
      CONCURRENCY: String(concurrency),
      POLLING_SECONDS: String(pollingSeconds),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  const ready = new Promise<void>((done, fail) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('ready')) done();
    });
    child.once('exit', (code, signal) =>
      fail(new WorkerBenchError(`worker process exited (${code ?? signal}) before it was ready: ${stderr}`)),
    );
  });
  ready.catch(() => {});
  return { child, pid: child.pid!, ready, exited };
}

/** Stops workers with SIGTERM (drain) and waits for them to exit. */
export async function stopWorkers(workers: readonly WorkerChild[]): Promise<void> {
  for (const worker of workers) if (worker.child.exitCode === null) worker.child.kill('SIGTERM');
  await Promise.all(workers.map((worker) => worker.exited));
}

/**
 * Starts `runs` runs of the bench workflow at once through `client` (run ids `<prefix>-<i>`) and waits
 * for all of them; throws `WorkerBenchError` unless every run succeeded.
 */
export async function runBatch(client: Client, runs: number, prefix: string): Promise<RunTiming[]> {
  const started = await Promise.all(
    Array.from({ length: runs }, async (_, index) => {
      const enqueuedAt = Date.now();
      const handle = await client.start(benchWorkflow, {}, { runId: `${prefix}-${index}` });
      return { enqueuedAt, handle };
    }),
  );
  return Promise.all(
    started.map(async ({ enqueuedAt, handle }) => {
      const result = await handle.result();
      const firstStepAt = result.outputs.root;
      const lastStepAt = result.outputs.join;
      if (result.status !== 'succeeded' || typeof firstStepAt !== 'number' || typeof lastStepAt !== 'number')
        throw new WorkerBenchError(`run ${handle.runId} did not succeed: ${JSON.stringify(result)}`);
      return { enqueuedAt, firstStepAt, lastStepAt };
    }),
  );
}

/** Transactions committed or rolled back in the current database so far (all sessions), after a stats flush. */
export async function transactionCount(pool: pg.Pool): Promise<number> {
  // Backends flush their counters at most once a second (PostgreSQL 15); wait for that before reading.
  await new Promise((done) => setTimeout(done, 1100));
  await pool.query('SELECT pg_stat_clear_snapshot()');
  const { rows } = await pool.query(
    'SELECT xact_commit + xact_rollback AS count FROM pg_stat_database WHERE datname = current_database()',
  );
  return Number(rows[0].count);
}

/** Drops the bench's schemas (store and pg-boss). */
export async function dropSchemas(pool: pg.Pool, schemas: BenchSchemas): Promise<void> {
  await pool.query(`DROP SCHEMA IF EXISTS "${schemas.store}" CASCADE`);
  await pool.query(`DROP SCHEMA IF EXISTS "${schemas.boss}" CASCADE`);
}
