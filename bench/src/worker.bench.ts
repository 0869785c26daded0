/**
 * `@baton/worker` throughput: runs/s of a fixed batch of 5-step runs (root → m0, m1, m2 → join, trivial
 * steps) started at once through `createClient`, with 1, 2 and 4 worker PROCESSES (child processes, a
 * fixed concurrency each), plus CPU per run (the workers' user + sys from /proc, the PostgreSQL server's
 * processes from /proc, the client's own), transactions per run, and the queue latency (enqueue → first
 * step), in the batch and on idle workers. Then an on-paper estimate of runs/s per additional core.
 * Needs `BATON_PG_URL`; without it the bench prints that it was skipped. Flags: `--runs=N` (200),
 * `--concurrency=N` (4 per worker), `--workers=1,2,4`, `--polling=2,0.5` (pg-boss's polling interval, s: a
 * worker slot that finished a job waits that long before its next fetch unless a NOTIFY wakes it).
 */
import { pgOptionsFromEnv } from '@baton/checkpoint-pg';
import { createClient } from '@baton/worker';
import { cpus, loadavg } from 'node:os';
import pg from 'pg';
import { numberFlag } from './durable/rows.js';
import { log, type BenchContext, type BenchRow } from './lib/types.js';
import {
  type BenchSchemas,
  dropSchemas,
  runBatch,
  spawnWorker,
  stopWorkers,
  transactionCount,
  type WorkerChild,
} from './worker/batch.js';
import { batchTimings, coreEstimate, type CpuPerRun, listFlag, quantile } from './worker/measure.js';
import { clockTicksPerSecond, postgresTicks, postmasterOf, processTicks } from './worker/procs.js';

const SCHEMAS: BenchSchemas = { store: 'bench_worker', boss: 'bench_worker_boss' };

/** One measured configuration. */
interface Measured {
  polling: number;
  workers: number;
  row: BenchRow;
  cpu: CpuPerRun;
  runsPerSecond: number;
}

/** The `worker` bench (see bench/README.md). */
export default async function workerBench(ctx: BenchContext): Promise<BenchRow[]> {
  const env = pgOptionsFromEnv();
  if (!env) {
    const reason =
      'BATON_PG_URL is unset: start a server with `bash scripts/pg-up.sh`, then `set -a; . .pg/env; set +a` and run again';
    log(`worker: skipped (${reason})`);
    return [{ table: 'worker: skipped', reason }];
  }
  const runs = numberFlag(ctx, 'runs', ctx.quick ? 20 : 200);
  const concurrency = numberFlag(ctx, 'concurrency', 4);
  const counts = listFlag(ctx.args, 'workers', [1, 2, 4], true);
  const pollings = listFlag(ctx.args, 'polling', [2, 0.5], false);
  const warmupRuns = ctx.quick ? 4 : 20;
  const idleRuns = ctx.quick ? 2 : 5;
  const tick = clockTicksPerSecond();
  const url = env.connectionString;
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  const loadStart = loadavg()[0]!;
  const measured: Measured[] = [];
  try {
    const backend = Number((await pool.query('SELECT pg_backend_pid() AS pid')).rows[0].pid);
    const postmaster = postmasterOf(backend);
    log(`worker: PostgreSQL postmaster ${postmaster === undefined ? 'not visible in /proc' : `pid ${postmaster}`}`);
    await dropSchemas(pool, SCHEMAS);
    for (const polling of pollings)
      for (const workerCount of counts) {
        const workers: WorkerChild[] = [];
        const client = await createClient({
          connectionString: url,
          storeSchema: SCHEMAS.store,
          queueOptions: { schema: SCHEMAS.boss, pollingIntervalSeconds: polling },
          pollIntervalMs: 100,
        });
        try {
          // The first worker creates the schemas; the others start once they exist.
          workers.push(spawnWorker(url, SCHEMAS, concurrency, polling));
          await workers[0]!.ready;
          for (let index = 1; index < workerCount; index++)
            workers.push(spawnWorker(url, SCHEMAS, concurrency, polling));
          await Promise.all(workers.map((worker) => worker.ready));
          log(`worker: polling ${polling} s, ${workerCount} worker process(es) ready, warming up`);
          await runBatch(client, warmupRuns, `p${polling}-w${workerCount}-warm`);
          const idle: number[] = [];
          for (let index = 0; index < idleRuns; index++) {
            const [timing] = await runBatch(client, 1, `p${polling}-w${workerCount}-idle-${index}`);
            idle.push(timing!.firstStepAt - timing!.enqueuedAt);
          }
          const pids = workers.map((worker) => worker.pid);
          const txBefore = await transactionCount(pool);
          const loadBefore = loadavg()[0]!;
          const workerBefore = processTicks(pids);
          const pgBefore = postmaster === undefined ? 0 : postgresTicks(postmaster);
          const clientBefore = process.cpuUsage();
          log(`worker: polling ${polling} s, ${workerCount} worker process(es): ${runs} runs`);
          const timings = await runBatch(client, runs, `p${polling}-w${workerCount}-batch`);
          const clientUsage = process.cpuUsage(clientBefore);
          const workerTicks = processTicks(pids) - workerBefore;
          const pgTicks = postmaster === undefined ? null : postgresTicks(postmaster) - pgBefore;
          const loadAfter = loadavg()[0]!;
          const transactions = (await transactionCount(pool)) - txBefore;
          const batch = batchTimings(timings);
          const cpu: CpuPerRun = {
            workerMs: (workerTicks * 1000) / tick / runs,
            postgresMs: pgTicks === null ? null : (pgTicks * 1000) / tick / runs,
            clientMs: (clientUsage.user + clientUsage.system) / 1000 / runs,
          };
          const totalMs = cpu.workerMs + (cpu.postgresMs ?? 0) + cpu.clientMs;
          measured.push({
            polling,
            workers: workerCount,
            cpu,
            runsPerSecond: batch.runsPerSecond,
            row: {
              table: '',
              'pg-boss polling s': polling,
              'worker processes': workerCount,
              'runs at once': workerCount * concurrency,
              'runs/s': batch.runsPerSecond,
              'worker CPU ms/run': cpu.workerMs,
              'Postgres CPU ms/run': cpu.postgresMs,
              'client CPU ms/run': cpu.clientMs,
              'CPU share used': (totalMs * runs) / (batch.spanMs * cpus().length),
              'transactions/run': transactions / runs,
              'queue latency p50 ms (batch)': batch.latencyP50Ms,
              'queue latency p95 ms (batch)': batch.latencyP95Ms,
              'queue latency ms (idle)': quantile(idle, 0.5),
              'load avg 1m': `${loadBefore.toFixed(1)} → ${loadAfter.toFixed(1)}`,
            },
          });
        } finally {
          await stopWorkers(workers);
          await client.close();
        }
      }
    await dropSchemas(pool, SCHEMAS);
  } finally {
    await pool.end();
  }
  const loadEnd = loadavg()[0]!;
  const machine = `${cpus().length} cores, load average ${loadStart.toFixed(1)} at the start and ${loadEnd.toFixed(1)} at the end${loadStart > cpus().length || loadEnd > cpus().length ? ': BUSY, other load shared these cores, numbers pessimistic' : ''}`;
  const table = `worker throughput: ${runs} runs of root → m0,m1,m2 → join enqueued at once through createClient, concurrency ${concurrency} per worker process, one batch per row (${machine})`;
  const fastest = Math.min(...pollings);
  const estimate = coreEstimate(
    medianCpu(measured.filter((entry) => entry.polling === fastest).map((entry) => entry.cpu)),
  );
  const estimateTable = `worker: estimated runs/s per additional core (on paper: 1000 ms ÷ CPU ms per run, medians over the rows with polling ${fastest} s; assumes CPU is the bound and scales linearly)`;
  const best = Math.max(...measured.map((entry) => entry.runsPerSecond));
  return [
    ...measured.map((entry) => ({ ...entry.row, table })),
    {
      table: estimateTable,
      what: 'a core running only worker processes (Postgres elsewhere)',
      'runs/s': estimate.workerCoreRunsPerSecond,
    },
    { table: estimateTable, what: 'a core of the Postgres server', 'runs/s': estimate.postgresCoreRunsPerSecond },
    {
      table: estimateTable,
      what: 'a core of one machine running workers, Postgres and the client (like this one)',
      'runs/s': estimate.allInOneCoreRunsPerSecond,
    },
    { table: estimateTable, what: `measured here: best runs/s on ${cpus().length} cores`, 'runs/s': best },
  ];
}

/** Median of each CPU-per-run field. */
function medianCpu(list: readonly CpuPerRun[]): CpuPerRun {
  const postgres = list.map((cpu) => cpu.postgresMs).filter((value): value is number => value !== null);
  return {
    workerMs: quantile(
      list.map((cpu) => cpu.workerMs),
      0.5,
    ),
    postgresMs: postgres.length === list.length && list.length > 0 ? quantile(postgres, 0.5) : null,
    clientMs: quantile(
      list.map((cpu) => cpu.clientMs),
      0.5,
    ),
  };
}
