/**
 * `@baton/checkpoint-s3` against the local S3 server (scripts/s3-up.sh), next to
 * `@baton/checkpoint-fs` (fsync and page-cache durability): per-append latency
 * on one run, appends/s across concurrent runs, and reading a run back.
 * S3 settings come from BATON_S3_* or, failing that, from the repo's `.s3/env`;
 * without either the S3 rows are left out (and said so), the fs rows still run.
 * Flags: `--appends=N` (sequential appends per store), `--runs=N` (concurrent runs).
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CHECKPOINT_FORMAT_VERSION, type CheckpointRecord, type CheckpointStore } from '@baton/core';
import { FsCheckpointStore } from '@baton/checkpoint-fs';
import { S3CheckpointStore, s3OptionsFromEnv } from '@baton/checkpoint-s3';
import { log, type BenchContext, type BenchRow } from './lib/types.js';

const WORKFLOW = { name: 'bench', version: '1', hash: 'b'.repeat(64) };
/** A step output of about 1 KiB: typical of a small agent answer. */
const OUTPUT = { text: 'x'.repeat(1000) };

interface StoreUnderTest {
  name: string;
  create(): Promise<CheckpointStore>;
  cleanup(): Promise<void>;
}

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

function flag(ctx: BenchContext, name: string, fallback: number): number {
  const value = ctx.args.find((arg) => arg.startsWith(`--${name}=`))?.split('=')[1];
  return value === undefined ? fallback : Number(value);
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** Loads `export K=V` lines of the repo's `.s3/env` when BATON_S3_* is not set. */
async function loadS3Env(): Promise<void> {
  if (process.env.BATON_S3_BUCKET) return;
  const file = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '.s3', 'env');
  const text = await readFile(file, 'utf8').catch(() => '');
  for (const match of text.matchAll(/^export (BATON_S3_[A-Z_]+)=(.*)$/gm)) process.env[match[1]!] = match[2]!;
}

async function storesUnderTest(): Promise<StoreUnderTest[]> {
  const stores: StoreUnderTest[] = [];
  await loadS3Env();
  const s3 = s3OptionsFromEnv();
  if (s3) {
    const prefix = `bench/${process.pid}-${Date.now().toString(36)}/`;
    let opened: S3CheckpointStore | undefined;
    stores.push({
      name: `s3 (${String(s3.clientConfig.endpoint ?? 'AWS')})`,
      create: async () => (opened = new S3CheckpointStore({ ...s3, prefix })),
      cleanup: async () => {
        if (!opened) return;
        for (const run of await opened.listRuns()) await opened.deleteRun(run.runId);
        await opened.close();
      },
    });
  } else {
    log('s3: BATON_S3_BUCKET not set and no .s3/env: run `bash scripts/s3-up.sh` for the S3 rows');
  }
  for (const durability of ['fsync', 'none'] as const) {
    let dir = '';
    stores.push({
      name: `fs (durability: ${durability})`,
      create: async () =>
        new FsCheckpointStore({ dir: (dir = await mkdtemp(join(tmpdir(), 'baton-bench-fs-'))), durability }),
      cleanup: async () => rm(dir, { recursive: true, force: true }),
    });
  }
  return stores;
}

/** Appends `count` records to one run, one after another; returns each append's latency (ms). */
async function sequentialLatencies(store: CheckpointStore, runId: string, count: number): Promise<number[]> {
  const latencies: number[] = [];
  for (let seq = 0; seq < count; seq++) {
    const started = performance.now();
    await store.append(record(runId, seq));
    latencies.push(performance.now() - started);
  }
  return latencies;
}

/** `runs` runs appended to at once, each sequentially (as a supervisor does); returns appends/s. */
async function concurrentThroughput(
  store: CheckpointStore,
  label: string,
  runs: number,
  perRun: number,
): Promise<number> {
  const started = performance.now();
  await Promise.all(
    Array.from({ length: runs }, async (_, index) => {
      for (let seq = 0; seq < perRun; seq++) await store.append(record(`${label}-${index}`, seq));
    }),
  );
  return (runs * perRun) / ((performance.now() - started) / 1000);
}

async function measureStore(subject: StoreUnderTest, appends: number, runs: number): Promise<BenchRow[]> {
  const store = await subject.create();
  try {
    await sequentialLatencies(store, 'warmup', Math.min(20, appends)); // connections, JIT
    const latencies = await sequentialLatencies(store, 'sequential', appends);
    const total = latencies.reduce((sum, value) => sum + value, 0);
    const sorted = [...latencies].sort((a, b) => a - b);
    const perRun = Math.max(5, Math.floor(appends / 10));
    const throughput = await concurrentThroughput(store, 'concurrent', runs, perRun);
    const readStarted = performance.now();
    const read = await store.read('sequential');
    const readMs = performance.now() - readStarted;
    return [
      {
        table: `append latency, one run, ${appends} sequential appends of ~1 KiB`,
        store: subject.name,
        'p50 ms': percentile(sorted, 50),
        'p95 ms': percentile(sorted, 95),
        'p99 ms': percentile(sorted, 99),
        'max ms': sorted[sorted.length - 1]!,
        'appends/s': appends / (total / 1000),
      },
      {
        table: `append throughput, ${runs} concurrent runs × ${perRun} appends`,
        store: subject.name,
        'appends/s': throughput,
      },
      { table: `read back one run of ${read.length} records (verified)`, store: subject.name, ms: readMs },
    ];
  } finally {
    await store.close?.();
    await subject.cleanup();
  }
}

/** The `s3-store` bench (see bench/README.md). */
export default async function s3StoreBench(ctx: BenchContext): Promise<BenchRow[]> {
  const appends = flag(ctx, 'appends', ctx.quick ? 30 : 500);
  const runs = flag(ctx, 'runs', ctx.quick ? 4 : 32);
  const rows: BenchRow[] = [];
  for (const subject of await storesUnderTest()) {
    log(`${subject.name}: ${appends} sequential appends, ${runs} concurrent runs…`);
    rows.push(...(await measureStore(subject, appends, runs)));
  }
  return rows;
}
