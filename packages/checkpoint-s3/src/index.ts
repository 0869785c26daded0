export { S3CheckpointStore } from './store/s3-checkpoint-store.js';
export type { PruneResult, RunVerification, VerifyReport } from './store/maintenance.js';
// Prune options are core's (shared with the other stores); re-exported for existing imports. This
// store parses them strictly (unknown keys are errors), so its `pruneOptionsSchema` is the strict one.
export { strictPruneOptionsSchema as pruneOptionsSchema, type PruneOptions } from '@baton/core';
export {
  s3CheckpointStoreOptionsSchema,
  type S3CheckpointStoreOptions,
  type S3CheckpointStoreOptionsWithDefaults,
} from './store/options.js';
export { S3RunLease } from './store/lease.js';
export { ConditionalWritesUnsupportedError } from './store/probe.js';
export { classifyS3Error } from './store/s3-call.js';
export { AwsSdkObjectClient, type AwsSdkObjectClientOptions } from './client/aws-sdk-object-client.js';
export type {
  ListObjectsPage,
  PutObjectInput,
  PutObjectResult,
  S3ObjectClient,
  StoredObject,
} from './client/object-client.js';
export { s3OptionsFromEnv, type S3EnvOptions } from './env.js';
