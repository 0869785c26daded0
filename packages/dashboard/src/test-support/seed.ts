import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FsCheckpointStore } from '@baton/checkpoint-fs';
import type { RunStatus, SerializedError, WorkflowIdentity } from '@baton/core';

/** A workflow identity for seeded runs. */
export const identity = (name: string): WorkflowIdentity => ({ name, version: '1.0.0', hash: `hash-${name}` });

/** A temporary fs store (no fsync: test data) and its folder. */
export async function tempStore(): Promise<{ dir: string; store: FsCheckpointStore }> {
  const dir = await mkdtemp(join(tmpdir(), 'baton-dashboard-'));
  return { dir, store: new FsCheckpointStore({ dir, durability: 'none' }) };
}

/** A minimal built web app, so API tests do not depend on the Vite build. */
export async function tempAssets(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'baton-dashboard-web-'));
  await mkdir(join(dir, 'assets'));
  await writeFile(join(dir, 'index.html'), '<meta name="baton-session" content="__BATON_SESSION_TOKEN__">');
  await writeFile(join(dir, 'assets', 'app.js'), 'export {};');
  return dir;
}

/** Options of {@link seedRun}. */
export interface SeedRun {
  runId: string;
  workflow?: string;
  /** Terminal status, or undefined for a run left running. */
  status?: RunStatus;
  startedAt?: number;
  input?: unknown;
  /** Step records, in order. */
  steps?: {
    stepId: string;
    status: 'succeeded' | 'failed' | 'skipped';
    output?: unknown;
    error?: SerializedError;
    attempt?: number;
    durationMs?: number;
  }[];
}

/** Appends a run's records straight to the store (as a supervisor would write them). */
export async function seedRun(store: FsCheckpointStore, run: SeedRun): Promise<void> {
  const workflow = identity(run.workflow ?? 'research');
  let at = run.startedAt ?? 1_700_000_000_000;
  let seq = 0;
  const base = () => ({ v: 1 as const, runId: run.runId, seq: seq++, at: at++, workflow });
  await store.append({ ...base(), type: 'run.started', input: run.input ?? { topic: 'owls' } });
  for (const step of run.steps ?? []) {
    at += step.durationMs ?? 10;
    await store.append({
      ...base(),
      type: 'step',
      stepId: step.stepId,
      status: step.status,
      attempt: step.attempt ?? 1,
      durationMs: step.durationMs ?? 10,
      ...(step.output !== undefined ? { output: step.output } : {}),
      ...(step.error ? { error: step.error } : {}),
    });
  }
  if (run.status) await store.append({ ...base(), type: 'run.finished', status: run.status });
}
