// One worker process of the integration tests. Env: BATON_PG_URL, STORE_SCHEMA, BOSS_SCHEMA, CONCURRENCY,
// LEASE_TTL_MS. Writes `ready` on stdout once it takes jobs.
import pg from 'pg';
import { createWorker } from '../../dist/index.js';
import { stormWorkflow, waitingWorkflow } from './storm-workflow.mjs';

const url = process.env.BATON_PG_URL;
const schema = process.env.STORE_SCHEMA;
const pool = new pg.Pool({ connectionString: url, max: 2 });
pool.on('error', () => {});
const ledger = {
  schema,
  query: (sql, values) => pool.query(sql, values),
  record: (runId, stepId, event) =>
    pool.query(`INSERT INTO "${schema}".ledger (run_id, step_id, event, pid) VALUES ($1, $2, $3, $4)`, [
      runId,
      stepId,
      event,
      process.pid,
    ]),
};
const worker = createWorker({
  connectionString: url,
  storeSchema: schema,
  workflows: [stormWorkflow(ledger), waitingWorkflow(ledger)],
  concurrency: Number(process.env.CONCURRENCY ?? 4),
  leaseTtlMs: Number(process.env.LEASE_TTL_MS ?? 3000),
  cancelCheckIntervalMs: 1000,
  queueOptions: { schema: process.env.BOSS_SCHEMA, heartbeatSeconds: 10, superviseIntervalSeconds: 1, pollingIntervalSeconds: 1 },
});
worker.stopOnSignals({ drain: true });
await worker.start();
process.stdout.write('ready\n');
