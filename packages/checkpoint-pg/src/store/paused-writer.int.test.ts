import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface, type Interface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { uniqueRunId } from '@baton/core/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { adminQuery, dropSchema, pgTestUrl, realStore, uniqueSchema } from '../testing/pg-test-env.js';
import { stepRecord } from '../testing/records.js';
import type { PostgresCheckpointStore } from './pg-checkpoint-store.js';

// A real paused writer: a child process holding a run's lease is SIGSTOPped, its lease runs out on the server,
// another owner takes the run over and appends, then the child is SIGCONTed and tries to append. Its own clock is
// frozen, so only the server can stop it (a refused renewal or the lease check in the append statement, whichever
// runs first on wake; races.int.test.ts checks the append statement alone).

const url = pgTestUrl();
const TTL_MS = 1_000;
/** Bound on every wait (the child starts a Node process; the lease must run out on the server). */
const WAIT_MS = 30_000;
const FIXTURE = fileURLToPath(new URL('../__fixtures__/paused-writer.mjs', import.meta.url));

interface Outcome {
  appended: boolean;
  code?: string;
  name?: string;
  signalAborted: boolean;
}

/** The child's stdout as lines, awaited one at a time. */
function lineReader(child: ChildProcess): (prefix: string) => Promise<string> {
  const lines: Interface = createInterface({ input: child.stdout! });
  const seen: string[] = [];
  const waiters: { prefix: string; resolve: (line: string) => void }[] = [];
  lines.on('line', (line) => {
    const waiter = waiters.find((each) => line.startsWith(each.prefix));
    if (waiter) {
      waiters.splice(waiters.indexOf(waiter), 1);
      waiter.resolve(line);
    } else seen.push(line);
  });
  return (prefix) => {
    const early = seen.find((line) => line.startsWith(prefix));
    if (early) return Promise.resolve(early);
    return new Promise((resolve, reject) => {
      waiters.push({ prefix, resolve });
      const timer = setTimeout(() => reject(new Error(`no '${prefix}' line from the child in ${WAIT_MS} ms`)), WAIT_MS);
      timer.unref();
    });
  };
}

/** Polls the server (bounded) until the run's lease has run out by its own clock. */
async function leaseExpired(schema: string, runId: string): Promise<void> {
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    const [row] = await adminQuery<{ expired: boolean }>(
      url!,
      `SELECT expires_at <= now() AS expired FROM "${schema}".leases WHERE run_id = $1`,
      [runId],
    );
    if (row?.expired) return;
    if (Date.now() > deadline) throw new Error(`the lease of ${runId} did not expire within ${WAIT_MS} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

if (url) {
  describe('a writer paused (SIGSTOP) past its lease, against the real PostgreSQL server', () => {
    const schema = uniqueSchema('paused');
    const stores: PostgresCheckpointStore[] = [];
    const children: ChildProcess[] = [];
    afterAll(async () => {
      for (const child of children) {
        if (child.exitCode === null && child.signalCode === null) {
          child.kill('SIGCONT');
          child.kill('SIGKILL');
        }
      }
      await Promise.all(stores.map((store) => store.close()));
      await dropSchema(url, schema);
    });

    it('is fenced out by the server and appends nothing to the new owner’s chain', async () => {
      const runId = uniqueRunId('paused');
      const newOwner = await realStore(url, schema, { owner: 'new-owner' });
      stores.push(newOwner);
      const child = spawn(process.execPath, [FIXTURE, schema, runId, String(TTL_MS)], {
        env: { ...process.env, BATON_PG_URL: url },
        stdio: ['pipe', 'pipe', 'inherit'],
      });
      children.push(child);
      const next = lineReader(child);
      await next('ready');
      child.kill('SIGSTOP');
      await leaseExpired(schema, runId);
      const lease = await newOwner.acquire(runId);
      await newOwner.append(stepRecord(runId, 1, 'from the new owner'));
      child.kill('SIGCONT');
      child.stdin!.write('go\n');
      const outcome = JSON.parse((await next('outcome ')).slice('outcome '.length)) as Outcome;
      expect(outcome).toMatchObject({ appended: false, code: 'BATON_LEASE_LOST', signalAborted: true });
      const records = await newOwner.read(runId);
      expect(records.map((record) => record.seq)).toEqual([0, 1]);
      expect(records[1]).toMatchObject({ output: 'from the new owner' });
      await newOwner.append(stepRecord(runId, 2, 'still the new owner'));
      expect((await newOwner.verify(runId)).ok).toBe(true);
      await lease.release();
    });
  });
}
