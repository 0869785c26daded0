// A worker process for paused-writer.int.test.ts: runs the `paused` workflow on the S3 store, holding the run's
// lease; step b waits for a line on stdin, so the test can SIGSTOP this process past its lease, let another owner
// take the run over, SIGCONT it and only then let b finish (and try to append). Prints its outcome as one JSON
// line, then exits. Imports the built package (dist/).
// Mode `wait`: b awaits a line on stdin (on wake, the lease's renewal timer runs first and finds the lease gone).
// Mode `spin`: b spins synchronously until it notices a pause (a gap of over 800 ms between two clock reads), then
// returns at once, so its record is appended in the same tick as the wake-up, before any timer: only the check
// made on every append stands between it and the new owner's chain.
// usage: node paused-worker.mjs <prefix> <runId> <leaseTtlMs> <wait|spin>, with BATON_S3_* set
import { createInterface } from 'node:readline';
import { createSupervisor, defineWorkflow } from '@baton/core';
import { S3CheckpointStore, s3OptionsFromEnv } from '../../dist/index.js';

const [prefix, runId, leaseTtlMs, mode] = process.argv.slice(2);
const env = s3OptionsFromEnv();
if (!env || !prefix || !runId || !['wait', 'spin'].includes(mode)) {
  throw new Error('usage: paused-worker.mjs <prefix> <runId> <leaseTtlMs> <wait|spin>, with BATON_S3_* set');
}
const store = new S3CheckpointStore({ ...env, prefix, leaseTtlMs: Number(leaseTtlMs), owner: 'paused-worker' });
const say = (line) => process.stdout.write(`${line}\n`);
const lines = createInterface({ input: process.stdin });
const go = new Promise((resolve) => lines.once('line', resolve));

async function waitForGo() {
  say('b started');
  await go;
  say('b finishing');
  return 'B from the paused writer';
}

function spinUntilPaused() {
  // The clock is read before the line goes out, so a stop that lands right after it still shows as a gap.
  let last = performance.now();
  const limit = last + 60_000; // bounded, in case nobody stops this process
  say('b started'); // stdout is a pipe: written synchronously on Linux, before the spin
  for (;;) {
    const now = performance.now();
    if (now - last > 800 || now > limit) break;
    last = now;
  }
  say('b finishing');
  return 'B from the paused writer';
}

// The same shape as the test's workflow (the hash covers names, versions, ids and needs, not function bodies).
const workflow = defineWorkflow({
  name: 'paused',
  version: '1',
  steps: {
    a: { run: () => 'A' },
    b: { needs: ['a'], run: mode === 'wait' ? waitForGo : spinUntilPaused },
    c: { needs: ['b'], run: () => 'C from the paused writer' },
  },
});

const describe = (error) => ({ name: error?.name, code: error?.code, message: error?.message });
let outcome;
try {
  const result = await createSupervisor({ store }).run(workflow, { n: 1 }, { runId });
  outcome = { settled: 'resolved', status: result.status, error: result.error ? describe(result.error) : undefined, leaseLost: undefined };
} catch (error) {
  outcome = { settled: 'rejected', error: describe(error) };
}
await store.close().catch(() => undefined);
say(`outcome ${JSON.stringify(outcome)}`);
process.exit(0);
