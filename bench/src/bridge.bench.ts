/**
 * `@baton/bridge` over stdio, against a real Python worker (the stdlib-only `baton_bridge`):
 * - no-op round trip: sequential `echo` runs through a pool of 2 (one call at a time), p50/p99;
 * - throughput: calls/s through a pool of 2 with 1 call per worker in flight, and pipelined
 *   (several calls per worker in flight, `concurrency` option);
 * - worker cold start: spawn → `initialize` answered, and spawn → first run answered.
 * Interpreter: BATON_PYTHON, else `python3`. Flags: `--calls=N` (per measurement), `--cold=N`.
 * Targets from issue 8: p50 ≤ 300 µs and ≥ 5,000 calls/s with a pool of 2.
 */
import { BridgePool, BridgeWorker } from '@baton/bridge';
import { log, type BenchContext, type BenchRow } from './lib/types.js';

const PYTHON = process.env.BATON_PYTHON ?? 'python3';
const NOOP = { runner: 'echo', target: '', input: null, runId: 'bench', stepId: 'noop' } as const;

function flag(ctx: BenchContext, name: string, fallback: number): number {
  const value = ctx.args.find((arg) => arg.startsWith(`--${name}=`))?.split('=')[1];
  return value === undefined ? fallback : Number(value);
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

/** Sequential calls: per-call latency in µs. */
async function roundTrips(pool: BridgePool, calls: number): Promise<BenchRow> {
  for (let index = 0; index < Math.min(500, calls); index += 1) await pool.run(NOOP); // warm JIT and both workers
  const samples: number[] = [];
  for (let index = 0; index < calls; index += 1) {
    const started = process.hrtime.bigint();
    await pool.run(NOOP);
    samples.push(Number(process.hrtime.bigint() - started) / 1_000);
  }
  samples.sort((a, b) => a - b);
  return {
    table: 'bridge: no-op round trip (stdio, pool of 2, one call at a time)',
    calls,
    p50_us: Math.round(percentile(samples, 50)),
    p90_us: Math.round(percentile(samples, 90)),
    p99_us: Math.round(percentile(samples, 99)),
    max_us: Math.round(samples[samples.length - 1]!),
  };
}

/** `inFlight` callers in parallel, each issuing calls back to back: calls per second. */
async function throughput(pool: BridgePool, calls: number, inFlight: number, label: string): Promise<BenchRow> {
  await Promise.all(Array.from({ length: inFlight }, () => pool.run(NOOP)));
  let remaining = calls;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (remaining > 0) {
        remaining -= 1;
        await pool.run(NOOP);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  return {
    table: 'bridge: no-op throughput (stdio, pool of 2)',
    mode: label,
    in_flight: inFlight,
    calls,
    calls_per_s: Math.round(calls / seconds),
  };
}

/** Spawn → ready, and spawn → first call answered, in ms. */
async function coldStarts(count: number): Promise<BenchRow[]> {
  const ready: number[] = [];
  const firstCall: number[] = [];
  for (let index = 0; index < count; index += 1) {
    const started = performance.now();
    const worker = new BridgeWorker({ python: PYTHON });
    await worker.ready;
    ready.push(performance.now() - started);
    await worker.close();
    const pool = new BridgePool({ python: PYTHON, size: 1 });
    const callStarted = performance.now();
    await pool.run(NOOP);
    firstCall.push(performance.now() - callStarted);
    await pool.close();
  }
  const row = (what: string, values: number[]): BenchRow => {
    const sorted = [...values].sort((a, b) => a - b);
    return {
      table: 'bridge: worker cold start',
      what,
      samples: count,
      median_ms: Number(percentile(sorted, 50).toFixed(1)),
      min_ms: Number(sorted[0]!.toFixed(1)),
      max_ms: Number(sorted[sorted.length - 1]!.toFixed(1)),
    };
  };
  return [row('spawn → initialize answered', ready), row('spawn → first run answered', firstCall)];
}

/** The `bridge` bench (see the header comment). */
export default async function bridge(ctx: BenchContext): Promise<BenchRow[]> {
  const calls = flag(ctx, 'calls', ctx.quick ? 1_000 : 20_000);
  const cold = flag(ctx, 'cold', ctx.quick ? 2 : 10);
  const rows: BenchRow[] = [];
  log(`bridge: python ${PYTHON}, ${calls} calls per measurement`);
  const strict = new BridgePool({ python: PYTHON, size: 2 });
  try {
    await strict.warm();
    rows.push(await roundTrips(strict, calls));
    rows.push(await throughput(strict, calls, 2, 'one call per worker'));
  } finally {
    await strict.close();
  }
  const pipelined = new BridgePool({ python: PYTHON, size: 2, concurrency: 8 });
  try {
    await pipelined.warm();
    rows.push(await throughput(pipelined, calls, 16, 'pipelined (concurrency 8 per worker)'));
  } finally {
    await pipelined.close();
  }
  rows.push(...(await coldStarts(cold)));
  return rows;
}
