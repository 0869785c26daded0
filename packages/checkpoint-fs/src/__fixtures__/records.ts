import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CHECKPOINT_FORMAT_VERSION, type CheckpointRecord, type RunStatus, type StoreWarning } from '@baton/core';
import { afterEach } from 'vitest';
import { FsCheckpointStore } from '../fs-checkpoint-store.js';
import type { FsCheckpointStoreOptions } from '../options.js';

/** The workflow identity used by test records. */
export const WORKFLOW = { name: 'test-workflow', version: '1', hash: 'c'.repeat(64) };

/** A `run.started` record (seq 0). */
export function started(runId: string, at = 1_000): CheckpointRecord {
  return { v: CHECKPOINT_FORMAT_VERSION, type: 'run.started', runId, seq: 0, at, workflow: WORKFLOW, input: { topic: 'x' } };
}

/** A step record. */
export function step(runId: string, seq: number, stepId = `s${seq}`, status: 'succeeded' | 'failed' = 'succeeded', at = 1_000 + seq): CheckpointRecord {
  return { v: CHECKPOINT_FORMAT_VERSION, type: 'step', runId, seq, at, workflow: WORKFLOW, stepId, status, attempt: 1, durationMs: 1, output: { stepId, seq } };
}

/** A `run.resumed` record. */
export function resumed(runId: string, seq: number, at = 1_000 + seq): CheckpointRecord {
  return { v: CHECKPOINT_FORMAT_VERSION, type: 'run.resumed', runId, seq, at, workflow: WORKFLOW };
}

/** A `run.finished` record. */
export function finished(runId: string, seq: number, status: RunStatus = 'succeeded', at = 1_000 + seq): CheckpointRecord {
  return { v: CHECKPOINT_FORMAT_VERSION, type: 'run.finished', runId, seq, at, workflow: WORKFLOW, status };
}

/** Appends `records` in order, awaiting each. */
export async function appendAll(store: FsCheckpointStore, records: readonly CheckpointRecord[]): Promise<void> {
  for (const record of records) await store.append(record);
}

/**
 * Fresh temporary directories and stores, removed after each test.
 * Call once at the top of a test file.
 */
export function useStores() {
  const dirs: string[] = [];
  const stores: FsCheckpointStore[] = [];
  afterEach(async () => {
    await Promise.all(stores.splice(0).map((store) => store.close()));
    await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
  });
  return {
    async dir(): Promise<string> {
      const dir = await mkdtemp(join(tmpdir(), 'baton-fs-test-'));
      dirs.push(dir);
      return dir;
    },
    /** A store (durability 'none' unless given) collecting its warnings. */
    open(options: FsCheckpointStoreOptions): { store: FsCheckpointStore; warnings: StoreWarning[] } {
      const warnings: StoreWarning[] = [];
      const store = new FsCheckpointStore({ durability: 'none', ...options, onWarning: (warning) => warnings.push(warning) });
      stores.push(store);
      return { store, warnings };
    },
  };
}
