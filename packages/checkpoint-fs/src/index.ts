export { FsCheckpointStore, type FsCheckpointStoreStats } from './fs-checkpoint-store.js';
export {
  fsCheckpointStoreOptionsSchema,
  type FsCheckpointStoreOptions,
  type FsCheckpointStoreOptionsWithDefaults,
} from './options.js';
export { pruneOptionsSchema, type PruneOptions, type PruneOptionsWithDefaults } from './prune-options.js';
export type { CompactResult, PruneResult, RunVerification, VerifyReport } from './maintenance.js';
export type { GroupCommitStats } from './group-commit.js';
