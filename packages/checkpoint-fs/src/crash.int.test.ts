import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { appendFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createSupervisor, MemoryCheckpointStore, type CheckpointRecord } from '@baton/core';
import { afterAll, describe, expect, it } from 'vitest';
import { FsCheckpointStore } from './fs-checkpoint-store.js';
import { crashInput, makeCrashWorkflow, readEntries } from './__fixtures__/crash-workflow.mjs';

// At least 200 kills in CI (the bar); set BATON_CRASH_KILLS for a quicker local run.
const KILLS = Number(process.env.BATON_CRASH_KILLS ?? (process.env.CI === 'true' ? 200 : 60));
const RUNS_PER_BATCH = 6;
// A batch of runs takes a few tens of ms after the child is ready: kills land all over it.
const MAX_KILL_DELAY_MS = 80;
// A SIGKILL only cuts a write() short between two pages, which is rare: on this share of kills a torn write is
// also simulated, by appending a prefix of a record line to an unfinished run's log.
const SIMULATED_TORN_WRITE_RATE = 0.25;
const STEPS = ['plan', 'search', 'check', 'flaky', 'merge', 'score', 'report'];
const here = dirname(fileURLToPath(import.meta.url));
const childScript = join(here, '__fixtures__', 'crash-child.mjs');

interface ChildOutcome {
  killed: boolean;
  stdout: string;
}

/** Runs the child over `runIds` and SIGKILLs it `delayMs` after it is ready (unless it finished first). */
function runChild(work: string, runIds: string[], delayMs: number): Promise<ChildOutcome> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [childScript, work, runIds.join(',')], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let timer: NodeJS.Timeout | undefined;
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (timer === undefined && stdout.includes('ready\n')) timer = setTimeout(() => child.kill('SIGKILL'), delayMs);
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (signal === 'SIGKILL') resolve({ killed: true, stdout });
      else if (code === 0) resolve({ killed: false, stdout });
      else reject(new Error(`crash child exited with ${code ?? signal}: ${stderr}`));
    });
  });
}

/** Appends a prefix of a record line to the log of a random unfinished run; false when there is none. */
async function simulateTornWrite(storeDir: string, runIds: string[]): Promise<boolean> {
  const runId = runIds[Math.floor(Math.random() * runIds.length)] as string;
  const path = join(storeDir, 'runs', `${runId}.jsonl`);
  const text = await readFile(path, 'utf8').catch(() => '');
  const lines = text.split('\n').filter(Boolean);
  const last = lines[lines.length - 1];
  if (!text.endsWith('\n') || last === undefined || last.includes('"type":"run.finished"')) return false;
  await appendFile(path, last.slice(0, 1 + Math.floor(Math.random() * (last.length - 1))));
  return true;
}

const succeededSteps = (records: CheckpointRecord[]) =>
  records.flatMap((record) =>
    record.type === 'step' && record.status === 'succeeded' ? [`${record.runId}:${record.stepId}`] : [],
  );
const isFinished = (records: CheckpointRecord[]) =>
  records.some((record) => record.type === 'run.finished' && record.status === 'succeeded');

describe('crash test: SIGKILL at random moments, then resume', () => {
  const dirs: string[] = [];
  afterAll(() => Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true }))));

  it(`loses no acknowledged record, re-runs no finished step and ends with the uninterrupted outputs (${KILLS} kills)`, async () => {
    expect(
      existsSync(join(here, '..', 'dist', 'index.js')),
      'build @baton/checkpoint-fs first (the child imports dist)',
    ).toBe(true);
    const work = await mkdtemp(join(tmpdir(), 'baton-crash-'));
    dirs.push(work);
    const reader = new FsCheckpointStore({ dir: join(work, 'store'), durability: 'none' });
    const warnings: string[] = [];
    reader.onWarning((warning) => warnings.push(warning.code));
    const finishedSeen = new Set<string>();
    const rerunFinished: string[] = [];
    const lostAcks: string[] = [];
    const runIds: string[] = [];
    let kills = 0;
    let children = 0;
    let acksSeen = 0;
    let simulatedTornWrites = 0;

    for (let batch = 0; kills < KILLS; batch++) {
      const batchRuns = Array.from({ length: RUNS_PER_BATCH }, (_, index) => `run-${batch}-${index}`);
      runIds.push(...batchRuns);
      for (let done = false; !done; ) {
        const finishedBefore = new Set(finishedSeen);
        const executionsBefore = readEntries(join(work, 'executions')).length;
        const outcome = await runChild(work, batchRuns, Math.random() * MAX_KILL_DELAY_MS);
        children += 1;
        if (outcome.killed) kills += 1;
        if (
          outcome.killed &&
          Math.random() < SIMULATED_TORN_WRITE_RATE &&
          (await simulateTornWrite(join(work, 'store'), batchRuns))
        )
          simulatedTornWrites += 1;
        expect(children, 'runs keep making progress').toBeLessThan(KILLS * 10 + 100);

        // Every append the child saw resolve must be in the log.
        const acks = readEntries(join(work, 'acks'));
        const highestAck = new Map<string, number>();
        for (const ack of acks.slice(acksSeen)) {
          const [runId, seq] = ack.split(' ') as [string, string];
          highestAck.set(runId, Math.max(highestAck.get(runId) ?? -1, Number(seq)));
        }
        for (const [runId, seq] of highestAck) {
          if ((await reader.read(runId)).length <= seq) lostAcks.push(`${runId} ${seq}`);
        }
        acksSeen = acks.length;
        // No step whose record was durable before this child started may have run in it.
        for (const entry of readEntries(join(work, 'executions')).slice(executionsBefore)) {
          const key = entry.split(' ')[0] as string;
          if (finishedBefore.has(key)) rerunFinished.push(`${entry} (child ${children})`);
        }
        done = true;
        for (const runId of batchRuns) {
          const records = await reader.read(runId);
          for (const key of succeededSteps(records)) finishedSeen.add(key);
          done &&= isFinished(records);
        }
      }
    }

    const childWarnings = readEntries(join(work, 'warnings')).map((entry) => entry.split(' ')[0]);
    const tornTailsCut = childWarnings.filter((code) => code === 'torn_tail_truncated').length;
    console.log(
      `crash test: ${kills} SIGKILLs over ${children} child processes, ${runIds.length} runs, ` +
        `${readEntries(join(work, 'executions')).length} step executions for ${runIds.length * STEPS.length} steps; ` +
        `${simulatedTornWrites} torn writes simulated, ${tornTailsCut} torn tails cut by the store, ` +
        `${childWarnings.filter((code) => code === 'stale_lock').length} stale locks taken over`,
    );
    expect(kills).toBeGreaterThanOrEqual(KILLS);
    // (A child may be killed between cutting a torn tail and logging the warning, so the counts need not match;
    // what must hold is that no log ends in a torn tail once its run finished: see tornBytes below.)
    if (simulatedTornWrites > 0) expect(tornTailsCut).toBeGreaterThan(0);
    expect(lostAcks).toEqual([]);
    expect(rerunFinished).toEqual([]);

    // Every log verifies; every run succeeded with the outputs of an uninterrupted run, restored without running anything.
    const report = await reader.verify();
    expect(report.runs.filter((run) => !run.ok || run.tornBytes > 0)).toEqual([]);
    expect(report.runs.map((run) => run.runId).sort()).toEqual([...runIds].sort());
    const noHooks = { executed: () => undefined, effect: () => undefined, delayMs: () => 0 };
    const reference = createSupervisor({ store: new MemoryCheckpointStore() });
    const resumer = createSupervisor({ store: reader });
    const resumedExecutions: string[] = [];
    const workflow = makeCrashWorkflow({ ...noHooks, executed: (key) => resumedExecutions.push(key) });
    for (const runId of runIds) {
      const expected = await reference.run(makeCrashWorkflow(noHooks), crashInput(runId), { runId });
      const result = await resumer.resume(workflow, runId);
      expect(result.status).toBe('succeeded');
      expect(result.outputs).toEqual(expected.outputs);
    }
    expect(resumedExecutions).toEqual([]);

    // The side effect of every step happened exactly once.
    const ledger = readEntries(join(work, 'ledger'));
    const expectedKeys = runIds.flatMap((runId) => STEPS.map((stepId) => `${runId}:${stepId}`));
    expect([...ledger].sort()).toEqual(expectedKeys.sort());
    // Torn tails, locks and temp files (an anchor or compaction cut off mid-write) left by a killed child are expected
    // and swept; nothing else may have gone wrong.
    const expectedAfterKills = new Set(['torn_tail', 'stale_lock', 'litter_removed']);
    expect(warnings.filter((code) => !expectedAfterKills.has(code))).toEqual([]);
    await reader.close();
  });
});
