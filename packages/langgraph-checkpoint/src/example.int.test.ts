import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { FsCheckpointStore } from '@baton/checkpoint-fs';
import { S3CheckpointStore } from '@baton/checkpoint-s3';
import type { CheckpointStore } from '@baton/core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { BatonSaver } from './baton-saver.js';
import { s3TestEnv, s3Variables, uniquePrefix, wipePrefix } from './testing/s3-env.js';

const example = fileURLToPath(new URL('../examples/approval.mjs', import.meta.url));
const children = new Set<ChildProcess>();

afterEach(() => {
  for (const child of children) child.kill('SIGKILL');
  children.clear();
});

/** Starts the example with `args`; resolves with the child and its first stdout line matching `until`. */
function startExample(args: string[], env: Record<string, string>, until: RegExp) {
  const child = spawn(process.execPath, [example, ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  let stderr = '';
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  const line = new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).on('line', (text) => {
      if (until.test(text)) resolve(text);
    });
    void exited.then(({ code }) => reject(new Error(`example exited (${code}) before ${until}: ${stderr}`)));
  });
  return { child, line, exited };
}

/** SIGKILLs a child and waits until it is gone. */
async function kill(run: ReturnType<typeof startExample>): Promise<void> {
  run.child.kill('SIGKILL');
  expect(await run.exited).toEqual({ code: null, signal: 'SIGKILL' });
  children.delete(run.child);
}

interface Target {
  name: string;
  env(): Promise<Record<string, string>>;
  store(): CheckpointStore;
  cleanup(): Promise<void>;
}

function killAndResume(target: Target): void {
  describe(`the approval example on ${target.name}`, () => {
    let work: string;
    let env: Record<string, string>;
    beforeAll(async () => {
      work = await mkdtemp(join(tmpdir(), 'baton-lg-example-'));
      env = { ...(await target.env()), BATON_EXAMPLE_LOG: join(work, 'log') };
    });
    afterAll(async () => {
      await target.cleanup();
      await rm(work, { recursive: true, force: true });
    });

    it('is killed while waiting for approval and again mid-step, and finishes from its checkpoints', async () => {
      const waiting = startExample(['start', 'refund-7', '€40'], { ...env, BATON_EXAMPLE_STAY: '1' }, /^waiting /);
      expect(JSON.parse((await waiting.line).slice('waiting '.length))).toEqual([
        { question: 'Send this refund?', draft: "Refund €40 to the customer's card." },
      ]);
      await kill(waiting);

      const answering = startExample(
        ['answer', 'refund-7', 'yes'],
        { ...env, BATON_EXAMPLE_HANG: 'notify' },
        /^hanging/,
      );
      await answering.line;
      await kill(answering);

      const finishing = startExample(['continue', 'refund-7'], env, /^done /);
      const result = JSON.parse((await finishing.line).slice('done '.length));
      expect(await finishing.exited).toEqual({ code: 0, signal: null });
      expect(result).toEqual({
        request: '€40',
        draft: "Refund €40 to the customer's card. (approved)",
        approved: true,
        sent: true,
      });

      // Which process ran which node: nothing that finished before a kill ran again, except `review`, which
      // LangGraph re-runs from its start on resume (its interrupt() then returns the answer).
      const pids = [waiting, answering, finishing].map((run) => run.child.pid);
      const log = (await readFile(env.BATON_EXAMPLE_LOG!, 'utf8')).trim().split('\n');
      expect(log).toEqual([
        `write ${pids[0]}`,
        `review ${pids[0]}`,
        `review ${pids[1]}`,
        `publish ${pids[1]}`,
        `notify ${pids[1]}`,
        `notify ${pids[2]}`,
      ]);

      // The thread as stored: read back (and chain-verified) by a saver in this process.
      const saver = new BatonSaver(target.store());
      const latest = await saver.getTuple({ configurable: { thread_id: 'refund-7' } });
      expect(latest?.checkpoint.channel_values).toMatchObject({ approved: true, sent: true });
      const steps = [];
      for await (const tuple of saver.list({ configurable: { thread_id: 'refund-7' } }))
        steps.push(tuple.metadata?.step);
      // -1: the input; 0: before `write`; then one checkpoint after each of the four nodes.
      expect(steps).toEqual([4, 3, 2, 1, 0, -1]);
      await saver.store.close?.();
    });
  });
}

const fsDirs: string[] = [];
killAndResume({
  name: 'the filesystem store',
  async env() {
    const dir = await mkdtemp(join(tmpdir(), 'baton-lg-example-store-'));
    fsDirs.push(dir);
    return { BATON_EXAMPLE_STORE: `fs:${dir}` };
  },
  store: () => new FsCheckpointStore({ dir: fsDirs[0]! }),
  async cleanup() {
    for (const dir of fsDirs.splice(0)) await rm(dir, { recursive: true, force: true });
  },
});

const s3 = s3TestEnv();
if (s3) {
  const prefix = uniquePrefix('example');
  killAndResume({
    name: `the S3 store at ${String(s3.clientConfig.endpoint ?? 'AWS')}`,
    env: async () => ({ ...s3Variables(), BATON_EXAMPLE_STORE: `s3:${prefix}` }),
    store: () => new S3CheckpointStore({ bucket: s3.bucket, clientConfig: s3.clientConfig, prefix }),
    cleanup: () => wipePrefix(s3, prefix),
  });
}
