/**
 * `@baton/checkpoint-fs` against the raw floor of the same disk, in one run:
 * - durable appends to one run: FsCheckpointStore (fsync) vs raw write + fdatasync of the same bytes,
 *   and the per-step overhead of durable checkpoints through the supervisor (fs store vs memory store),
 *   measured in interleaved chunks so all see the same disk conditions;
 * - 1,000 concurrent runs: durable records/s through group commit, vs the raw floor at the same concurrency.
 * Flags: `--appends=N` (one-run appends per round), `--runs=N` (concurrent runs), `--rounds=N`.
 * Note: fdatasync runs on libuv's thread pool (UV_THREADPOOL_SIZE, default 4), which bounds concurrent syncs.
 */
import { close, existsSync, fdatasync, fdatasyncSync, fsync, open, writeSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import {
  CHECKPOINT_FORMAT_VERSION,
  createSupervisor,
  defineWorkflow,
  GENESIS_HASH,
  MemoryCheckpointStore,
  sealRecord,
  type CheckpointRecord,
  type CheckpointStore,
} from '@baton/core';
import { FsCheckpointStore } from '@baton/checkpoint-fs';
import { log, type BenchContext, type BenchRow } from './lib/types.js';

const openAsync = promisify(open);
const closeAsync = promisify(close);
const fdatasyncAsync = promisify(fdatasync);
const fsyncAsync = promisify(fsync);
const WORKFLOW = { name: 'bench', version: '1', hash: 'b'.repeat(64) };
/** A step output of about 1 KiB: typical of a small agent answer. */
const OUTPUT = { text: 'x'.repeat(1000) };

function record(runId: string, seq: number): CheckpointRecord {
  if (seq === 0)
    return {
      v: CHECKPOINT_FORMAT_VERSION,
      type: 'run.started',
      runId,
      seq,
      at: Date.now(),
      workflow: WORKFLOW,
      input: {},
    };
  return {
    v: CHECKPOINT_FORMAT_VERSION,
    type: 'step',
    runId,
    seq,
    at: Date.now(),
    workflow: WORKFLOW,
    stepId: `s${seq}`,
    status: 'succeeded',
    attempt: 1,
    durationMs: 1,
    output: OUTPUT,
  };
}

/** The bytes the store writes for a run's records: the floor writes exactly these. */
function sealedLines(runId: string, count: number): Buffer[] {
  let prev = GENESIS_HASH;
  return Array.from({ length: count }, (_, seq) => {
    const sealed = sealRecord(record(runId, seq), prev);
    prev = sealed.hash;
    return Buffer.from(`${sealed.text}\n`);
  });
}

function flag(ctx: BenchContext, name: string, fallback: number): number {
  const value = ctx.args.find((arg) => arg.startsWith(`--${name}=`))?.split('=')[1];
  return value === undefined ? fallback : Number(value);
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

async function timed(operation: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await operation();
  return performance.now() - started;
}

/** Fresh directories for one measurement, removed afterwards (outside the timed region). */
async function inTempDir<T>(operation: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'baton-bench-fs-'));
  try {
    return await operation(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Totals (ms) and record counts of the one-run measurement. */
interface OneRunTotals {
  floor: number;
  floorSync: number;
  store: number;
  chain: number;
  chainMemory: number;
  /** Records written by each of floor, floorSync and store. */
  records: number;
  /** Records the chain appended (its steps plus run.started and run.finished). */
  chainRecords: number;
}

/**
 * One run, measured in interleaved chunks so that everything sees the same disk conditions (fsync
 * latency here varies by 5× within seconds): a supervisor runs one chain of `appends - 2` steps with
 * the fs store, and every `chunk` steps a step pauses to time `chunk` raw write + fdatasync of the
 * store's exact bytes, the same with fdatasyncSync, and `chunk` direct store appends. The pauses are
 * subtracted from the chain's time.
 */
async function oneRunInterleaved(dir: string, appends: number, chunk: number): Promise<OneRunTotals> {
  const lines = sealedLines('one', appends);
  const fd = await openAsync(join(dir, 'floor.jsonl'), 'a');
  const store = new FsCheckpointStore({ dir: join(dir, 'store') });
  const chainStore = new FsCheckpointStore({ dir: join(dir, 'chain') });
  const totals: OneRunTotals = {
    floor: 0,
    floorSync: 0,
    store: 0,
    chain: 0,
    chainMemory: 0,
    records: 0,
    chainRecords: appends,
  };
  const side = async () => {
    const slice = lines.slice(totals.records, totals.records + chunk);
    totals.floor += await timed(async () => {
      for (const line of slice) {
        writeSync(fd, line);
        await fdatasyncAsync(fd);
      }
    });
    totals.floorSync += await timed(async () => {
      for (const line of slice) {
        writeSync(fd, line);
        fdatasyncSync(fd);
      }
    });
    totals.store += await timed(async () => {
      for (let seq = totals.records; seq < totals.records + slice.length; seq++) await store.append(record('one', seq));
    });
    totals.records += slice.length;
  };
  try {
    let paused = 0;
    const pausing = (index: number) => (index % chunk === 0 ? async () => (paused += await timed(side)) : undefined);
    totals.chain = (await supervisorChain(chainStore, appends - 2, 'chain', pausing)) - paused;
    totals.chainMemory = await supervisorChain(new MemoryCheckpointStore(), appends - 2, 'chain', () => undefined);
  } finally {
    await closeAsync(fd);
    await store.close();
    await chainStore.close();
  }
  return totals;
}

/**
 * Raw floor at the same concurrency: `runs` files created (timed, like the store's), each appended
 * to sequentially with write + fdatasync, and one fsync of the directory for the new entries.
 */
async function floorConcurrent(dir: string, runs: number, perRun: number): Promise<number> {
  const lines = sealedLines('concurrent', perRun);
  const fds: number[] = [];
  try {
    return await timed(async () => {
      await Promise.all(
        Array.from({ length: runs }, async (_, index) => {
          const fd = await openAsync(join(dir, `r${index}.jsonl`), 'a');
          fds.push(fd);
          for (const line of lines) {
            writeSync(fd, line);
            await fdatasyncAsync(fd);
          }
        }),
      );
      const directory = await openAsync(dir, 'r');
      await fsyncAsync(directory);
      await closeAsync(directory);
    });
  } finally {
    await Promise.all(fds.map((fd) => closeAsync(fd)));
  }
}

async function storeNone(dir: string, count: number): Promise<number> {
  const store = new FsCheckpointStore({ dir, durability: 'none' });
  try {
    return await timed(async () => {
      for (let seq = 0; seq < count; seq++) await store.append(record('one', seq));
    });
  } finally {
    await store.close();
  }
}

async function storeConcurrent(
  dir: string,
  runs: number,
  perRun: number,
): Promise<{ ms: number; recordsPerSync: number }> {
  const store = new FsCheckpointStore({ dir, durability: 'fsync', maxOpenFiles: Math.max(1024, runs) });
  try {
    const ms = await timed(() =>
      Promise.all(
        Array.from({ length: runs }, async (_, index) => {
          for (let seq = 0; seq < perRun; seq++) await store.append(record(`r${index}`, seq));
        }),
      ),
    );
    const stats = store.stats();
    return { ms, recordsPerSync: (runs * perRun) / stats.syncs };
  } finally {
    await store.close();
  }
}

/** A chain of `steps` trivial steps through the supervisor; step `i` first awaits `before(i)` if given. Returns ms for the run. */
async function supervisorChain(
  store: CheckpointStore,
  steps: number,
  runId: string,
  before: (index: number) => (() => Promise<unknown>) | undefined,
): Promise<number> {
  const definition = Object.fromEntries(
    Array.from({ length: steps }, (_, index) => {
      const pause = before(index);
      const run = pause ? async (input: number) => (await pause(), input + 1) : async (input: number) => input + 1;
      return [`s${index}`, { run, ...(index > 0 ? { needs: [`s${index - 1}`] } : {}) }];
    }),
  );
  const workflow = defineWorkflow({ name: 'chain', version: '1', steps: definition });
  const supervisor = createSupervisor({ store });
  return timed(async () => {
    const result = await supervisor.run(workflow, 0, { runId });
    if (result.status !== 'succeeded') throw new Error(`chain run ${result.status}`);
  });
}

/** `runs` concurrent 5-step runs (root → m0, m1, m2 → join) through the supervisor with the fs store. */
async function supervisorConcurrent(dir: string, runs: number): Promise<number> {
  const store = new FsCheckpointStore({ dir, durability: 'fsync', maxOpenFiles: Math.max(1024, runs) });
  const workflow = defineWorkflow({
    name: 'fan',
    version: '1',
    steps: {
      root: { run: async (input: number) => input },
      m0: { needs: ['root'], run: async (input: number) => input + 1 },
      m1: { needs: ['root'], run: async (input: number) => input + 2 },
      m2: { needs: ['root'], run: async (input: number) => input + 3 },
      join: {
        needs: ['m0', 'm1', 'm2'],
        run: async (input: Record<string, number>) => input.m0! + input.m1! + input.m2!,
      },
    },
  });
  const supervisor = createSupervisor({ store });
  try {
    return await timed(() =>
      Promise.all(
        Array.from({ length: runs }, (_, index) => supervisor.run(workflow, index, { runId: `fan-${index}` })),
      ),
    );
  } finally {
    await store.close();
  }
}

/**
 * The store's own cost per append, apart from the disk: floor and store on tmpfs (/dev/shm), where
 * fdatasync returns at once. Undefined where there is no /dev/shm.
 */
async function softwareOverhead(appends: number): Promise<{ floorUs: number; storeUs: number } | undefined> {
  if (!existsSync('/dev/shm')) return undefined;
  const dir = await mkdtemp('/dev/shm/baton-bench-fs-');
  try {
    const totals = await oneRunInterleaved(dir, appends, 20);
    return { floorUs: (totals.floor * 1000) / totals.records, storeUs: (totals.store * 1000) / totals.records };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** The `fs-store` bench (see bench/README.md). */
export default async function fsStoreBench(ctx: BenchContext): Promise<BenchRow[]> {
  const appends = flag(ctx, 'appends', ctx.quick ? 100 : 1000);
  const runs = flag(ctx, 'runs', ctx.quick ? 100 : 1000);
  const rounds = flag(ctx, 'rounds', ctx.quick ? 1 : 3);
  const chunk = 20;
  const perRun = 10;
  const totals: Record<string, number> = {};
  const samples: Record<string, number[]> = {};
  const add = (key: string, value: number) => (samples[key] ??= []).push(value);

  for (let round = 0; round < rounds; round++) {
    log(
      `fs-store round ${round + 1}/${rounds}: ${appends} appends to one run (interleaved with the floor and a supervisor chain), ${runs} concurrent runs × ${perRun}`,
    );
    const oneRun = await inTempDir((dir) => oneRunInterleaved(dir, appends, chunk));
    for (const [key, value] of Object.entries(oneRun)) totals[key] = (totals[key] ?? 0) + value;
    totals.noneRecords = (totals.noneRecords ?? 0) + appends;
    totals.none = (totals.none ?? 0) + (await inTempDir((dir) => storeNone(dir, appends)));
    add('floor-concurrent', await inTempDir((dir) => floorConcurrent(dir, runs, perRun)));
    const concurrent = await inTempDir((dir) => storeConcurrent(dir, runs, perRun));
    add('store-concurrent', concurrent.ms);
    add('records-per-sync', concurrent.recordsPerSync);
    add('supervisor-concurrent', await inTempDir((dir) => supervisorConcurrent(dir, runs)));
  }

  const tmpfs = await softwareOverhead(appends);
  const us = (key: string, count: string) => (totals[key]! * 1000) / totals[count]!;
  const floorUs = us('floor', 'records');
  const oneRunTable = `one run: ${appends} records of ~1.2 KiB × ${rounds} rounds, interleaved in chunks of ${chunk} (target ≤ 1.3× floor)`;
  const row = (what: string, value: number): BenchRow => ({
    table: oneRunTable,
    what,
    'records/s': 1e6 / value,
    'µs/record': value,
    '× floor': value / floorUs,
  });
  const overheadUs = us('chain', 'chainRecords') - us('chainMemory', 'chainRecords');
  const m = (key: string) => median(samples[key]!);
  const concurrentTable = `${runs} concurrent runs × ${perRun} records (median of ${rounds}; target ≥ 20,000 durable records/s)`;
  const rate = (key: string, count: number) => count / (m(key) / 1000);
  return [
    row('floor: write + fdatasync via the thread pool (as the store does)', floorUs),
    row('floor: write + fdatasyncSync (no thread pool)', us('floorSync', 'records')),
    row("FsCheckpointStore.append, durability 'fsync'", us('store', 'records')),
    row(`one ${appends - 2}-step supervisor run: per record, fs store minus memory store`, overheadUs),
    row("FsCheckpointStore.append, durability 'none' (not durable, for scale)", us('none', 'noneRecords')),
    ...(tmpfs
      ? [
          {
            table: `the store's own cost per append: ${appends} appends on tmpfs (/dev/shm, fdatasync ≈ free)`,
            'floor µs/record': tmpfs.floorUs,
            'store µs/record': tmpfs.storeUs,
            'store − floor µs': tmpfs.storeUs - tmpfs.floorUs,
          },
        ]
      : []),
    {
      table: concurrentTable,
      what: 'floor: create files, raw write + fdatasync per record, same concurrency',
      'records/s': rate('floor-concurrent', runs * perRun),
      'records per fdatasync': 1,
    },
    {
      table: concurrentTable,
      what: "FsCheckpointStore.append, durability 'fsync'",
      'records/s': rate('store-concurrent', runs * perRun),
      'records per fdatasync': m('records-per-sync'),
    },
    {
      table: concurrentTable,
      what: 'supervisor: 5-step runs (7 records each), fs store',
      'records/s': rate('supervisor-concurrent', runs * 7),
      'records per fdatasync': null,
    },
  ];
}
