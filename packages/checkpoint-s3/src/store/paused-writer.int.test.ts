import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import {
  CheckpointConflictError,
  createSupervisor,
  defineWorkflow,
  type CheckpointRecord,
  type RunLease,
  type Workflow,
} from '@baton/core';
import { uniqueRunId } from '@baton/core/testing';
import { afterAll, describe, expect, it } from 'vitest';
import type { S3EnvOptions } from '../env.js';
import { realStore, s3TestEnv, uniquePrefix, wipePrefix } from '../testing/s3-test-env.js';
import type { S3CheckpointStore } from './s3-checkpoint-store.js';

// A real paused writer: a child process holding a run's lease on the real S3 server is SIGSTOPped past its
// lease, another owner takes the run over, then the child is SIGCONTed and its running step finishes. The
// child must append nothing to the new owner's chain and end with LeaseLostError.

const env = s3TestEnv();
const TTL_MS = 1_500;
/** Bound on every wait for the child (it starts a Node process and talks to S3). */
const WAIT_MS = 30_000;

interface Outcome {
  settled: 'resolved' | 'rejected';
  status?: string;
  error?: { name?: string; code?: string; message?: string };
}

if (env) {
  describe('a writer paused (SIGSTOP) past its lease, against the real S3 server', () => {
    const prefix = uniquePrefix('paused');
    const stores: S3CheckpointStore[] = [];
    const children: ChildProcess[] = [];
    const worker = () => {
      const store = realStore(env, prefix, { leaseTtlMs: TTL_MS, owner: 'new-owner' });
      stores.push(store);
      return store;
    };
    afterAll(async () => {
      for (const child of children) {
        if (child.exitCode === null && child.signalCode === null) {
          child.kill('SIGCONT');
          child.kill('SIGKILL');
        }
      }
      await Promise.all(stores.map((store) => store.close()));
      await wipePrefix(env, prefix);
    });

    /** Starts the child, waits until it holds the lease and is inside step b, and stops it. */
    async function pausedChild(
      runId: string,
      mode: 'wait' | 'spin',
    ): Promise<{ child: ChildProcess; lines: LineReader }> {
      const child = startPausedWorker(env!, prefix, runId, TTL_MS, mode);
      children.push(child);
      const lines = new LineReader(child);
      await lines.waitFor((line) => line === 'b started', WAIT_MS);
      child.kill('SIGSTOP');
      return { child, lines };
    }

    /** Continues the child, lets its step b finish, and returns how its run ended. */
    async function continueChild(child: ChildProcess, lines: LineReader): Promise<Outcome> {
      child.kill('SIGCONT');
      child.stdin!.write('go\n');
      const line = await lines.waitFor((text) => text.startsWith('outcome '), WAIT_MS);
      await exited(child, WAIT_MS);
      return JSON.parse(line.slice('outcome '.length)) as Outcome;
    }

    it('after the new owner appended: the paused writer appends nothing more and ends with LeaseLostError', async () => {
      const runId = uniqueRunId('paused-appended');
      const { child, lines } = await pausedChild(runId, 'wait');
      const gate = deferred();
      const newOwnerInB = deferred();
      const supervisor = createSupervisor({ store: worker() });
      const workflow = pausedWorkflow(async () => (newOwnerInB.resolve(), await gate.promise));
      const resumed = retryWhileLeased(() => supervisor.resume(workflow, runId), 20 * TTL_MS);
      await within(newOwnerInB.promise, WAIT_MS, 'the new owner to reach step b');
      expect(types(await worker().read(runId))).toEqual(['run.started', 'step:a:succeeded', 'run.resumed']);

      const outcome = await continueChild(child, lines);
      expectLeaseLost(outcome);
      expect(types(await worker().read(runId))).toEqual(['run.started', 'step:a:succeeded', 'run.resumed']);

      gate.resolve();
      const result = await resumed;
      expect(result).toMatchObject({
        status: 'succeeded',
        outputs: { a: 'A', b: 'B from the new owner', c: 'C from the new owner' },
      });
      await expectOnlyNewOwnerAfterTakeover(runId);
    });

    it.each([
      [
        'wait',
        'its renewal timer finds the lease gone on wake',
        /lost: its validity ran out before the renewal timer fired/,
      ],
      [
        'spin',
        'its step returns on wake, before any timer: the check on every append refuses it',
        /lost: its validity ran out before it was renewed/,
      ],
    ] as const)('before the new owner appended (its next seq still free), mode %s: %s', async (mode, _how, reason) => {
      const runId = uniqueRunId(`paused-free-seq-${mode}`);
      const { child, lines } = await pausedChild(runId, mode);
      const store = worker();
      const lease: RunLease = await retryWhileLeased(() => store.acquire(runId), 20 * TTL_MS);

      const outcome = await continueChild(child, lines);
      expectLeaseLost(outcome);
      expect(outcome.error!.message).toMatch(reason);
      if (mode === 'spin') expect(lines.all).toContain('b finishing'); // b did finish, and its record was refused
      // Without fencing the child's step b record would have landed at seq 2, which nobody had written.
      expect(types(await worker().read(runId))).toEqual(['run.started', 'step:a:succeeded']);

      await lease.release();
      const result = await createSupervisor({ store }).resume(
        pausedWorkflow(async () => undefined),
        runId,
      );
      expect(result).toMatchObject({
        status: 'succeeded',
        outputs: { b: 'B from the new owner', c: 'C from the new owner' },
      });
      await expectOnlyNewOwnerAfterTakeover(runId);
    });

    function expectLeaseLost(outcome: Outcome): void {
      // The run either rejects with LeaseLostError or ends with it as its error, never as a success.
      expect(outcome.status).not.toBe('succeeded');
      expect(outcome.error).toMatchObject({ name: 'LeaseLostError', code: 'BATON_LEASE_LOST' });
      expect(outcome.error!.message).toMatch(new RegExp(`^Lease on run '.+' lost: `));
    }

    async function expectOnlyNewOwnerAfterTakeover(runId: string): Promise<void> {
      const records = await worker().read(runId);
      expect(types(records)).toEqual([
        'run.started',
        'step:a:succeeded',
        'run.resumed',
        'step:b:succeeded',
        'step:c:succeeded',
        'run.finished:succeeded',
      ]);
      expect(JSON.stringify(records)).not.toContain('paused writer');
      expect(await worker().verify(runId)).toMatchObject({ ok: true });
    }
  });
}

/** The test's side of the `paused` workflow; `waitInB` holds the new owner's step b. */
function pausedWorkflow(waitInB: () => Promise<void>): Workflow {
  return defineWorkflow({
    name: 'paused',
    version: '1',
    steps: {
      a: { run: () => 'A' },
      b: { needs: ['a'], run: async () => (await waitInB(), 'B from the new owner') },
      c: { needs: ['b'], run: () => 'C from the new owner' },
    },
  });
}

function types(records: CheckpointRecord[]): string[] {
  return records.map((record) => {
    if (record.type === 'step') return `step:${record.stepId}:${record.status}`;
    return record.type === 'run.finished' ? `run.finished:${record.status}` : record.type;
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

function startPausedWorker(
  env: S3EnvOptions,
  prefix: string,
  runId: string,
  ttlMs: number,
  mode: 'wait' | 'spin',
): ChildProcess {
  const script = fileURLToPath(new URL('../__fixtures__/paused-worker.mjs', import.meta.url));
  if (!existsSync(fileURLToPath(new URL('../../dist/index.js', import.meta.url)))) {
    throw new Error(
      'the paused-writer test runs the built package: run `pnpm --filter @baton/checkpoint-s3 build` first',
    );
  }
  return spawn(process.execPath, [script, prefix, runId, String(ttlMs), mode], {
    env: { ...process.env, ...s3Variables(env) },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
}

/** The child's stdout, line by line; `waitFor` is bounded and fails if the child exits first. */
class LineReader {
  readonly all: string[] = [];
  private readonly waiters = new Set<{ match: (line: string) => boolean; resolve: (line: string) => void }>();
  private exit: string | undefined;

  constructor(child: ChildProcess) {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      this.all.push(line);
      for (const waiter of this.waiters) if (waiter.match(line)) waiter.resolve(line);
    });
    child.on('exit', (code, signal) => (this.exit = `exited (${code ?? signal})`));
  }

  waitFor(match: (line: string) => boolean, timeoutMs: number): Promise<string> {
    const seen = this.all.find(match);
    if (seen !== undefined) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const waiter = { match, resolve: (line: string) => (done(), resolve(line)) };
      const timer = setInterval(() => {
        if (this.exit === undefined && Date.now() < deadline) return;
        done();
        reject(
          new Error(
            `the worker ${this.exit ?? `printed nothing matching within ${timeoutMs} ms`}; it printed ${JSON.stringify(this.all)}`,
          ),
        );
      }, 50);
      const deadline = Date.now() + timeoutMs;
      const done = () => {
        clearInterval(timer);
        this.waiters.delete(waiter);
      };
      this.waiters.add(waiter);
    });
  }
}

function exited(child: ChildProcess, timeoutMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return within(new Promise<void>((resolve) => child.once('exit', () => resolve())), timeoutMs, 'the worker to exit');
}

function within<T>(promise: Promise<T>, timeoutMs: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>(
    (_, reject) =>
      (timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)), timeoutMs)),
  );
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((settle) => (resolve = settle));
  return { promise, resolve };
}

/** Retries `attempt` while the run is leased by someone else; bounded by `limitMs`. */
async function retryWhileLeased<T>(attempt: () => Promise<T>, limitMs: number): Promise<T> {
  const deadline = Date.now() + limitMs;
  for (;;) {
    try {
      return await attempt();
    } catch (error) {
      if (!(error instanceof CheckpointConflictError) || Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}
