import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { CheckpointConflictError, createSupervisor, defineWorkflow, type Workflow } from '@baton/core';
import { uniqueRunId } from '@baton/core/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { startedRecord, stepRecord } from '../testing/records.js';
import { realStore, s3TestEnv, uniquePrefix, wipePrefix } from '../testing/s3-test-env.js';
import type { S3EnvOptions } from '../env.js';
import type { S3CheckpointStore } from './s3-checkpoint-store.js';

const env = s3TestEnv();
const WRITERS = 20;

if (env) {
  describe('races against the real S3 server', () => {
    const prefix = uniquePrefix('races');
    const stores: S3CheckpointStore[] = [];
    /** A separate store with its own S3 client, as a separate worker would have. */
    const worker = (options: Parameters<typeof realStore>[2] = {}) => {
      const store = realStore(env, prefix, options);
      stores.push(store);
      return store;
    };
    afterAll(async () => {
      await Promise.all(stores.map((store) => store.close()));
      await wipePrefix(env, prefix);
    });

    it(`lets exactly one of ${WRITERS} store instances append the same seq, round after round`, async () => {
      const runId = uniqueRunId('append-race');
      await worker().append(startedRecord(runId));
      for (let seq = 1; seq <= 3; seq++) {
        const writers = Array.from({ length: WRITERS }, () => worker());
        const results = await Promise.allSettled(
          writers.map((store, index) => store.append(stepRecord(runId, seq, { writer: index }))),
        );
        const winners = results.flatMap((result, index) => (result.status === 'fulfilled' ? [index] : []));
        expect(winners).toHaveLength(1);
        for (const result of results) {
          if (result.status === 'rejected') expect(result.reason).toBeInstanceOf(CheckpointConflictError);
        }
        const records = await worker().read(runId);
        expect(records).toHaveLength(seq + 1);
        expect(records[seq]).toMatchObject({ output: { writer: winners[0] } });
      }
    });

    it(`grants a run's lease to exactly one of ${WRITERS} workers`, async () => {
      const runId = uniqueRunId('lease-race');
      const results = await Promise.allSettled(Array.from({ length: WRITERS }, () => worker().acquire(runId)));
      expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
      for (const result of results) {
        if (result.status === 'rejected') expect(result.reason).toBeInstanceOf(CheckpointConflictError);
      }
    });

    it('lets one of two supervisors resume a run; the other gets CheckpointConflictError', async () => {
      let fail = true;
      let gateOpen!: () => void;
      const gate = new Promise<void>((resolve) => (gateOpen = resolve));
      const writes: string[] = [];
      const workflow = defineWorkflow({
        name: 'double-resume',
        version: '1',
        steps: {
          plan: { run: () => 'plan' },
          write: {
            needs: ['plan'],
            run: async (plan: string) => {
              if (fail) throw new Error('writer down');
              writes.push(plan);
              await gate; // hold the run (and its lease) until the other resume has been refused
              return `${plan}:written`;
            },
            retry: { maxAttempts: 1 },
          },
        },
      });
      const runId = uniqueRunId('double-resume');
      expect((await createSupervisor({ store: worker() }).run(workflow, {}, { runId })).status).toBe('failed');
      fail = false;
      const attempts = [worker(), worker()].map((store) => createSupervisor({ store }).resume(workflow, runId));
      const first = await Promise.race(
        attempts.map((attempt) =>
          attempt.then(
            () => 'resolved',
            () => 'rejected',
          ),
        ),
      );
      gateOpen();
      const settled = await Promise.allSettled(attempts);
      expect(first).toBe('rejected');
      const rejected = settled.filter((result) => result.status === 'rejected');
      const fulfilled = settled.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
      expect(rejected).toHaveLength(1);
      expect((rejected[0] as PromiseRejectedResult).reason).toBeInstanceOf(CheckpointConflictError);
      expect(fulfilled).toHaveLength(1);
      expect(fulfilled[0]).toMatchObject({ status: 'succeeded', outputs: { write: 'plan:written' } });
      expect(writes).toEqual(['plan']);
    });

    it("takes over a killed worker's run once its lease expired, without re-running finished steps", async () => {
      const ttlMs = 10_000;
      const runId = uniqueRunId('killed');
      const child = startWorker(env, prefix, runId, ttlMs);
      const lines = await linesUntil(child, 'c started');
      child.kill('SIGKILL');
      expect(lines).toEqual(['ran a', 'ran b', 'c started']);

      const calls: string[] = [];
      const workflow = killableWorkflow(calls);
      const supervisor = createSupervisor({ store: worker({ leaseTtlMs: ttlMs }) });
      // Right after the kill the dead worker's lease is still live: nobody may take the run.
      await expect(supervisor.resume(workflow, runId)).rejects.toThrow(/leased by 'doomed-worker'/);
      const result = await resumeOnceLeaseExpires(() => supervisor.resume(workflow, runId), 6 * ttlMs);
      expect(result).toMatchObject({ status: 'succeeded', outputs: { a: 'A', b: 'AB', c: 'AB:C' } });
      expect(result.steps.a).toMatchObject({ restored: true });
      expect(result.steps.b).toMatchObject({ restored: true });
      expect(calls).toEqual(['c']);
    });
  });
}

function killableWorkflow(calls: string[]): Workflow {
  return defineWorkflow({
    name: 'killable',
    version: '1',
    steps: {
      a: { run: () => (calls.push('a'), 'A') },
      b: { needs: ['a'], run: (a: string) => (calls.push('b'), `${a}B`) },
      c: { needs: ['b'], run: (b: string) => (calls.push('c'), `${b}:C`) },
    },
  });
}

/** Hands the server settings to the worker process as the BATON_S3_* variables it reads. */
function s3Variables(env: S3EnvOptions): Record<string, string> {
  const { endpoint, region, credentials } = env.clientConfig as {
    endpoint?: string;
    region?: string;
    credentials?: { accessKeyId: string; secretAccessKey: string };
  };
  return {
    BATON_S3_BUCKET: env.bucket,
    ...(endpoint ? { BATON_S3_ENDPOINT: endpoint } : {}),
    ...(region ? { BATON_S3_REGION: region } : {}),
    ...(credentials
      ? { BATON_S3_ACCESS_KEY_ID: credentials.accessKeyId, BATON_S3_SECRET_ACCESS_KEY: credentials.secretAccessKey }
      : {}),
  };
}

function startWorker(env: S3EnvOptions, prefix: string, runId: string, ttlMs: number): ChildProcess {
  const script = fileURLToPath(new URL('../__fixtures__/killable-worker.mjs', import.meta.url));
  if (!existsSync(fileURLToPath(new URL('../../dist/index.js', import.meta.url)))) {
    throw new Error(
      'the killed-worker test runs the built package: run `pnpm --filter @baton/checkpoint-s3 build` first',
    );
  }
  return spawn(process.execPath, [script, prefix, runId, String(ttlMs)], {
    env: { ...process.env, ...s3Variables(env) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
}

/** Collects the child's stdout lines until `last` (bounded: rejects if the child exits first). */
function linesUntil(child: ChildProcess, last: string): Promise<string[]> {
  const lines: string[] = [];
  return new Promise((resolve, reject) => {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      lines.push(line);
      if (line === last) resolve(lines);
    });
    child.on('exit', (code, signal) =>
      reject(new Error(`worker exited (${code ?? signal}) before '${last}'; it printed ${JSON.stringify(lines)}`)),
    );
  });
}

/** Retries `resume` while the lease is still live; the wait is bounded by `limitMs`. */
async function resumeOnceLeaseExpires<T>(resume: () => Promise<T>, limitMs: number): Promise<T> {
  const deadline = Date.now() + limitMs;
  for (;;) {
    try {
      return await resume();
    } catch (error) {
      if (!(error instanceof CheckpointConflictError) || Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
}
