// One worker process of the worker bench. Env: BATON_PG_URL, STORE_SCHEMA, BOSS_SCHEMA, CONCURRENCY, POLLING_SECONDS.
// Writes `ready` on stdout once it takes jobs; SIGTERM drains (finishes the runs in hand) and exits 0.
import { createWorker } from '@baton/worker';
import { benchWorkflow } from './workflow.mjs';

const worker = createWorker({
  connectionString: process.env.BATON_PG_URL,
  storeSchema: process.env.STORE_SCHEMA,
  workflows: [benchWorkflow],
  concurrency: Number(process.env.CONCURRENCY),
  queueOptions: { schema: process.env.BOSS_SCHEMA, pollingIntervalSeconds: Number(process.env.POLLING_SECONDS) },
});
worker.stopOnSignals({ drain: true });
await worker.start();
process.stdout.write('ready\n');
