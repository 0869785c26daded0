// Starts a run from code (not through the CLI). argv: <workflow export name> <run id> [s3 <prefix> | pg <schema>]
// The store is the project's default fs store (.baton), or with `s3` an S3 store (bucket and client from
// BATON_S3_*) under <prefix> with a 3 s lease, so a killed owner's lease soon expires; with `pg` a PostgreSQL
// store (BATON_PG_URL) in <schema>.
import { FsCheckpointStore } from '@baton/checkpoint-fs';
import { createSupervisor } from '@baton/core';
import * as workflows from './workflows.mjs';

const [name, runId, storeKind, prefix] = process.argv.slice(2);
const store =
  storeKind === 's3'
    ? await s3Store(prefix)
    : storeKind === 'pg'
      ? await pgStore(prefix)
      : new FsCheckpointStore({ dir: '.baton' });
const supervisor = createSupervisor({ store });
const result = await supervisor.run(workflows[name], { topic: 'owls' }, { runId });
await supervisor.close();
await store.close();
process.stdout.write(`finished ${result.status}\n`);

async function s3Store(keyPrefix) {
  const { S3CheckpointStore, s3OptionsFromEnv } = await import('@baton/checkpoint-s3');
  return new S3CheckpointStore({ ...s3OptionsFromEnv(), prefix: keyPrefix, leaseTtlMs: 3_000 });
}

async function pgStore(schema) {
  const { PostgresCheckpointStore, pgOptionsFromEnv } = await import('@baton/checkpoint-pg');
  const store = new PostgresCheckpointStore({ ...pgOptionsFromEnv(), schema, leaseTtlMs: 3_000 });
  await store.migrate();
  return store;
}
