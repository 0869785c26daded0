export { PostgresCheckpointStore } from './store/pg-checkpoint-store.js';
export {
  postgresCheckpointStoreOptionsSchema,
  type PostgresCheckpointStoreOptions,
  type PostgresCheckpointStoreOptionsWithDefaults,
} from './store/options.js';
export type { PruneResult, RunVerification, VerifyReport } from './store/maintenance.js';
export { strictPruneOptionsSchema as pruneOptionsSchema, type PruneOptions } from '@baton/core';
export { MIGRATIONS, SCHEMA_VERSION, type Migration, type MigrateResult } from './store/migrations.js';
export { PgRunLease } from './store/pg-lease.js';
export {
  classifyPgError,
  PostgresStoreError,
  RecordNotSerializableError,
  type PgErrorClass,
  type PostgresStoreErrorCode,
} from './store/pg-errors.js';
export { pgOptionsFromEnv, type PgEnvOptions } from './env.js';
