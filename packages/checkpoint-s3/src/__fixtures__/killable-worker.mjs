// A worker process for races.int.test.ts: runs the `killable` workflow on the S3 store and
// hangs in step c, so the test can SIGKILL it mid-run. Imports the built package (dist/).
// usage: node killable-worker.mjs <prefix> <runId> <leaseTtlMs>
import { createSupervisor, defineWorkflow } from '@baton/core';
import { S3CheckpointStore, s3OptionsFromEnv } from '../../dist/index.js';

const [prefix, runId, leaseTtlMs] = process.argv.slice(2);
const env = s3OptionsFromEnv();
if (!env || !prefix || !runId) throw new Error('usage: killable-worker.mjs <prefix> <runId> <leaseTtlMs>, with BATON_S3_* set');
const store = new S3CheckpointStore({ ...env, prefix, leaseTtlMs: Number(leaseTtlMs), owner: 'doomed-worker' });
const say = (line) => process.stdout.write(`${line}\n`);

// The same shape as the test's workflow (the hash covers names, versions, ids and needs, not function bodies).
const workflow = defineWorkflow({
  name: 'killable',
  version: '1',
  steps: {
    a: { run: () => (say('ran a'), 'A') },
    b: { needs: ['a'], run: (a) => (say('ran b'), `${a}B`) },
    c: { needs: ['b'], run: () => (say('c started'), new Promise(() => {})) },
  },
});

await createSupervisor({ store }).run(workflow, { n: 1 }, { runId });
