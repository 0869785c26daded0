export { FsCheckpointStore, type FsCheckpointStoreStats } from './fs-checkpoint-store.js';
export {
  fsCheckpointStoreOptionsSchema,
  type FsCheckpointStoreOptions,
  type FsCheckpointStoreOptionsWithDefaults,
} from './options.js';
// Prune options are core's (shared with the other stores); re-exported for existing imports.
export { pruneOptionsSchema, type PruneOptions, type PruneOptionsWithDefaults } from '@baton/core';
export type {
  CompactResult,
  PruneResult,
  RunVerification,
  RunVerificationStatus,
  VerifyReport,
} from './maintenance.js';
export type { GroupCommitStats } from './group-commit.js';
export { CheckpointWriteError, type PartialWrite } from './checkpoint-write-error.js';
