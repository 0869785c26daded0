/**
 * Pure helpers of the `worker` bench: CPU time from `/proc/<pid>/stat`, batch timings, and the
 * estimate of runs/s per core from CPU per run. No I/O here (see `procs.ts` and `batch.ts`).
 */
import { BatonError } from '@baton/core';

/** Thrown when a `/proc/<pid>/stat` line cannot be parsed. Code `BENCH_PROC_STAT`. */
export class ProcStatError extends BatonError {
  constructor(message: string, cause?: unknown) {
    super('BENCH_PROC_STAT', { message, cause });
  }
}

/** The fields of `/proc/<pid>/stat` the bench uses; times are in clock ticks (`getconf CLK_TCK`). */
export interface ProcStat {
  pid: number;
  comm: string;
  ppid: number;
  /** User and system CPU of the process itself (all its threads). */
  utime: number;
  stime: number;
  /** User and system CPU of its children that it has waited for (exited, reaped). */
  cutime: number;
  cstime: number;
}

/**
 * Parses one `/proc/<pid>/stat` line. The command name sits in parentheses and may itself contain
 * spaces or parentheses, so the fields are counted from the last `)`. Throws `ProcStatError`.
 */
export function parseProcStat(line: string): ProcStat {
  const open = line.indexOf('(');
  const close = line.lastIndexOf(')');
  if (open < 0 || close < open) throw new ProcStatError(`not a /proc/<pid>/stat line: ${JSON.stringify(line)}`);
  // After ")": state(3) ppid(4) pgrp(5) session(6) tty_nr(7) tpgid(8) flags(9) minflt(10) cminflt(11)
  // majflt(12) cmajflt(13) utime(14) stime(15) cutime(16) cstime(17) …
  const rest = line
    .slice(close + 1)
    .trim()
    .split(/\s+/);
  const field = (number: number): number => {
    const value = Number(rest[number - 3]);
    if (!Number.isFinite(value))
      throw new ProcStatError(`field ${number} of /proc/<pid>/stat is not a number in ${JSON.stringify(line)}`);
    return value;
  };
  return {
    pid: Number(line.slice(0, open).trim()),
    comm: line.slice(open + 1, close),
    ppid: field(4),
    utime: field(14),
    stime: field(15),
    cutime: field(16),
    cstime: field(17),
  };
}

/**
 * CPU ticks of a PostgreSQL server: the postmaster's own and its reaped children's (exited backends),
 * plus every live process whose parent is the postmaster (backends, checkpointer, WAL writer, …).
 */
export function serverTicks(stats: readonly ProcStat[], postmasterPid: number): number {
  let ticks = 0;
  for (const stat of stats) {
    if (stat.pid === postmasterPid) ticks += stat.utime + stat.stime + stat.cutime + stat.cstime;
    else if (stat.ppid === postmasterPid) ticks += stat.utime + stat.stime;
  }
  return ticks;
}

/** The `q`-quantile (0–1, nearest rank) of `values`; `NaN` when empty. */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank]!;
}

/** When one run of a batch was enqueued, its first step started and its last step ended (ms since the epoch). */
export interface RunTiming {
  enqueuedAt: number;
  firstStepAt: number;
  lastStepAt: number;
}

/** Timings of one batch of runs. */
export interface BatchTimings {
  runs: number;
  /** First enqueue → last run's last step, ms. */
  spanMs: number;
  runsPerSecond: number;
  /** Enqueue → first step, ms (includes the wait for a free worker slot: the batch is enqueued at once). */
  latencyP50Ms: number;
  latencyP95Ms: number;
}

/** Throughput and queue latency of a batch from its runs' timings. */
export function batchTimings(timings: readonly RunTiming[]): BatchTimings {
  if (timings.length === 0) return { runs: 0, spanMs: 0, runsPerSecond: 0, latencyP50Ms: NaN, latencyP95Ms: NaN };
  const start = Math.min(...timings.map((timing) => timing.enqueuedAt));
  const end = Math.max(...timings.map((timing) => timing.lastStepAt));
  const spanMs = Math.max(end - start, 1);
  const latencies = timings.map((timing) => timing.firstStepAt - timing.enqueuedAt);
  return {
    runs: timings.length,
    spanMs,
    runsPerSecond: (timings.length * 1000) / spanMs,
    latencyP50Ms: quantile(latencies, 0.5),
    latencyP95Ms: quantile(latencies, 0.95),
  };
}

/** CPU milliseconds per run of each side, measured over one batch. */
export interface CpuPerRun {
  /** The worker processes (user + sys). */
  workerMs: number;
  /** The PostgreSQL server's processes, or `null` when /proc could not be read for them. */
  postgresMs: number | null;
  /** The bench process itself (the client that enqueues and polls). */
  clientMs: number;
}

/** The on-paper capacity that one more core buys, from CPU per run. */
export interface CoreEstimate {
  /** 1000 ÷ worker CPU ms per run: a core that only runs workers (Postgres elsewhere). */
  workerCoreRunsPerSecond: number;
  /** 1000 ÷ Postgres CPU ms per run: a core of the database server (`null` without its CPU). */
  postgresCoreRunsPerSecond: number | null;
  /** 1000 ÷ (worker + Postgres + client) CPU ms per run: a core of a machine that runs everything, like this one. */
  allInOneCoreRunsPerSecond: number;
}

/**
 * runs/s per additional core, assuming throughput is bound by CPU and grows linearly with cores
 * (no lock contention, no disk or network limit): an estimate, not a measurement.
 */
export function coreEstimate(cpu: CpuPerRun): CoreEstimate {
  const perCore = (ms: number): number => (ms > 0 ? 1000 / ms : Number.POSITIVE_INFINITY);
  return {
    workerCoreRunsPerSecond: perCore(cpu.workerMs),
    postgresCoreRunsPerSecond: cpu.postgresMs === null ? null : perCore(cpu.postgresMs),
    allInOneCoreRunsPerSecond: perCore(cpu.workerMs + (cpu.postgresMs ?? 0) + cpu.clientMs),
  };
}

/**
 * Estimated runs/s of `machines` worker machines with `coresPerMachine` cores each against one
 * Postgres server with `postgresCores` cores: the smaller of the workers' and the server's CPU bound.
 */
export function clusterEstimate(
  estimate: CoreEstimate,
  machines: number,
  coresPerMachine: number,
  postgresCores: number,
): number {
  const workers = estimate.workerCoreRunsPerSecond * machines * coresPerMachine;
  const server =
    estimate.postgresCoreRunsPerSecond === null
      ? Number.POSITIVE_INFINITY
      : estimate.postgresCoreRunsPerSecond * postgresCores;
  return Math.min(workers, server);
}

/** Thrown when a list flag (`--workers=1,2,4`) is not a comma-separated list of positive numbers. Code `BENCH_FLAG`. */
export class ListFlagError extends BatonError {
  constructor(message: string, cause?: unknown) {
    super('BENCH_FLAG', { message, cause });
  }
}

/**
 * The numbers of `--<name>=a,b,c` in `args`, or `fallback`; throws `ListFlagError` unless every entry is a
 * positive number (a positive integer when `integer`).
 */
export function listFlag(
  args: readonly string[],
  name: string,
  fallback: readonly number[],
  integer: boolean,
): number[] {
  const arg = args.find((candidate) => candidate.startsWith(`--${name}=`));
  if (arg === undefined) return [...fallback];
  const text = arg.slice(`--${name}=`.length);
  const values = text.split(',').map((entry) => (entry.trim() === '' ? Number.NaN : Number(entry)));
  if (values.some((value) => !(value > 0) || !Number.isFinite(value) || (integer && !Number.isInteger(value))))
    throw new ListFlagError(
      `--${name} must be a comma-separated list of positive ${integer ? 'integers' : 'numbers'}, got ${JSON.stringify(text)}`,
    );
  return values;
}
