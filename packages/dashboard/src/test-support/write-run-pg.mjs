// Another process writing a run to the pg store, for the live-update tests on PostgreSQL.
// argv: <connection string> <schema> <run id>. Prints the epoch ms at which run.started was committed.
import { PostgresCheckpointStore } from '@baton/checkpoint-pg';

const [connectionString, schema, runId] = process.argv.slice(2);
const store = new PostgresCheckpointStore({ connectionString, schema });
const workflow = { name: 'elsewhere', version: '1.0.0', hash: 'hash-elsewhere' };
const at = Date.now();
await store.append({ v: 1, runId, seq: 0, at, workflow, type: 'run.started', input: { from: 'another process' } });
process.stdout.write(`${Date.now()}\n`);
await store.append({ v: 1, runId, seq: 1, at: at + 1, workflow, type: 'run.finished', status: 'succeeded' });
await store.close();
