import { describe, expect, it } from 'vitest';
import {
  batchTimings,
  clusterEstimate,
  coreEstimate,
  ListFlagError,
  listFlag,
  ProcStatError,
  parseProcStat,
  quantile,
  serverTicks,
} from './measure.js';

// A real line's shape (Linux proc(5)); the comm holds spaces and a ')' to check parsing from the last ')'.
const LINE = '4242 (postgres: a) b) S 17 4242 4242 0 -1 4194560 900 0 0 0 120 35 7 3 20 0 1 0 5000 1000 200';

describe('parseProcStat', () => {
  it('reads pid, comm, ppid and the four CPU fields, counting from the last parenthesis', () => {
    expect(parseProcStat(LINE)).toEqual({
      pid: 4242,
      comm: 'postgres: a) b',
      ppid: 17,
      utime: 120,
      stime: 35,
      cutime: 7,
      cstime: 3,
    });
  });

  it('throws ProcStatError naming the line when it is not a stat line', () => {
    expect(() => parseProcStat('garbage')).toThrow(ProcStatError);
    expect(() => parseProcStat('garbage')).toThrow(/"garbage"/);
    const short = '1 (x) S 0 1';
    const error = (() => {
      try {
        parseProcStat(short);
      } catch (caught) {
        return caught as ProcStatError;
      }
    })();
    expect(error?.code).toBe('BENCH_PROC_STAT');
  });
});

describe('serverTicks', () => {
  const stat = (pid: number, ppid: number, utime: number, stime: number, cutime = 0, cstime = 0) => ({
    pid,
    ppid,
    comm: 'postgres',
    utime,
    stime,
    cutime,
    cstime,
  });

  it("sums the postmaster's own and reaped children's ticks and its live children's own ticks, nothing else", () => {
    const stats = [
      stat(10, 1, 5, 5, 100, 50), // postmaster: 5 + 5 + 100 + 50
      stat(11, 10, 20, 10, 999, 999), // backend: its children's times do not count
      stat(12, 10, 1, 2),
      stat(13, 99, 1000, 1000), // another server's process
    ];
    expect(serverTicks(stats, 10)).toBe(160 + 30 + 3);
  });
});

describe('quantile', () => {
  it('takes the nearest rank and is NaN on an empty list', () => {
    expect(quantile([5, 1, 4, 2, 3], 0.5)).toBe(3);
    expect(quantile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.95)).toBe(10);
    expect(quantile([1, 2, 3, 4], 0)).toBe(1);
    expect(quantile([], 0.5)).toBeNaN();
  });
});

describe('batchTimings', () => {
  it('spans the first enqueue to the last step, and measures latency enqueue → first step', () => {
    const timings = [
      { enqueuedAt: 1000, firstStepAt: 1010, lastStepAt: 1100 },
      { enqueuedAt: 1001, firstStepAt: 1201, lastStepAt: 1500 },
      { enqueuedAt: 1002, firstStepAt: 1052, lastStepAt: 2000 },
      { enqueuedAt: 1003, firstStepAt: 1033, lastStepAt: 1900 },
    ];
    expect(batchTimings(timings)).toEqual({
      runs: 4,
      spanMs: 1000,
      runsPerSecond: 4,
      latencyP50Ms: 30,
      latencyP95Ms: 200,
    });
  });

  it('reports zero runs for an empty batch', () => {
    expect(batchTimings([])).toMatchObject({ runs: 0, runsPerSecond: 0 });
  });
});

describe('coreEstimate and clusterEstimate', () => {
  it('turns CPU ms per run into runs/s per core for workers, Postgres and both on one machine', () => {
    const estimate = coreEstimate({ workerMs: 10, postgresMs: 4, clientMs: 1 });
    expect(estimate.workerCoreRunsPerSecond).toBe(100);
    expect(estimate.postgresCoreRunsPerSecond).toBe(250);
    expect(estimate.allInOneCoreRunsPerSecond).toBeCloseTo(1000 / 15);
  });

  it('leaves the Postgres bound out when its CPU could not be read', () => {
    const estimate = coreEstimate({ workerMs: 10, postgresMs: null, clientMs: 0 });
    expect(estimate.postgresCoreRunsPerSecond).toBeNull();
    expect(estimate.allInOneCoreRunsPerSecond).toBe(100);
    expect(clusterEstimate(estimate, 3, 4, 8)).toBe(1200);
  });

  it('takes the smaller of the workers’ and the server’s bound', () => {
    const estimate = coreEstimate({ workerMs: 10, postgresMs: 4, clientMs: 1 });
    expect(clusterEstimate(estimate, 1, 2, 2)).toBe(200); // workers bound: 2 cores × 100
    expect(clusterEstimate(estimate, 10, 8, 4)).toBe(1000); // Postgres bound: 4 cores × 250
  });
});

describe('listFlag', () => {
  it('returns the fallback without the flag and the numbers with it', () => {
    expect(listFlag([], 'workers', [1, 2, 4], true)).toEqual([1, 2, 4]);
    expect(listFlag(['--x', '--workers=3,1'], 'workers', [1], true)).toEqual([3, 1]);
    expect(listFlag(['--polling=2,0.5'], 'polling', [2], false)).toEqual([2, 0.5]);
  });

  it('throws ListFlagError (BENCH_FLAG) naming the bad value', () => {
    for (const bad of ['--workers=', '--workers=1,,2', '--workers=0', '--workers=1.5', '--workers=a'])
      expect(() => listFlag([bad], 'workers', [1], true)).toThrow(ListFlagError);
    expect(() => listFlag(['--workers=1.5'], 'workers', [1], true)).toThrow(/"1\.5"/);
    expect(() => listFlag(['--polling=-1'], 'polling', [1], false)).toThrow(/positive numbers/);
  });
});
