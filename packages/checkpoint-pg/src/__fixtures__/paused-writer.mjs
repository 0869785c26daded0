// A writer process for paused-writer.int.test.ts: takes the run's lease on the real server, appends seq 0, says
// `ready`, then waits for a line on stdin (the test SIGSTOPs it meanwhile, lets the lease run out on the server and
// another owner take the run over, then SIGCONTs it and sends the line), and tries to append seq 1. Its own clock is
// frozen (`monotonicNow: () => 0`), so it never notices the pause by itself: only the server stands between it and
// the new owner's chain (whichever answers first on wake: the renewal, refused, or the check in the append statement). Prints its outcome as one JSON line, then exits.
// Imports the built package (dist/).
// usage: node paused-writer.mjs <schema> <runId> <leaseTtlMs>, with BATON_PG_URL set
import { createInterface } from 'node:readline';
import { CHECKPOINT_FORMAT_VERSION } from '@baton/core';
import { PostgresCheckpointStore } from '../../dist/index.js';

const [schema, runId, leaseTtlMs] = process.argv.slice(2);
const connectionString = process.env.BATON_PG_URL;
if (!connectionString || !schema || !runId || !leaseTtlMs) {
  throw new Error('usage: paused-writer.mjs <schema> <runId> <leaseTtlMs>, with BATON_PG_URL set');
}
const ttl = Number(leaseTtlMs);
const store = new PostgresCheckpointStore({
  connectionString,
  schema,
  owner: 'paused-writer',
  leaseTtlMs: ttl,
  // Renewals stay rare, so the lease is not renewed between `ready` and the stop.
  leaseRenewIntervalMs: ttl - 1,
  leaseSafetyMarginMs: 0,
  monotonicNow: () => 0,
});
const workflow = { name: 'paused', version: '1', hash: 'b'.repeat(64) };
const record = (seq) =>
  seq === 0
    ? { v: CHECKPOINT_FORMAT_VERSION, type: 'run.started', runId, seq, at: Date.now(), workflow, input: {} }
    : {
        v: CHECKPOINT_FORMAT_VERSION,
        type: 'step',
        runId,
        seq,
        at: Date.now(),
        workflow,
        stepId: 'late',
        status: 'succeeded',
        attempt: 1,
        durationMs: 1,
        output: 'from the paused writer',
      };
const say = (line) => process.stdout.write(`${line}\n`);
const lines = createInterface({ input: process.stdin });
const go = new Promise((resolve) => lines.once('line', resolve));

const lease = await store.acquire(runId);
await store.append(record(0));
say('ready');
await go;
let outcome;
try {
  await store.append(record(1));
  outcome = { appended: true };
} catch (error) {
  outcome = { appended: false, name: error?.name, code: error?.code, message: error?.message };
}
outcome.signalAborted = lease.signal.aborted;
await store.close().catch(() => undefined);
say(`outcome ${JSON.stringify(outcome)}`);
process.exit(0);
