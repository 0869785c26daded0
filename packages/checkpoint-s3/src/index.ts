export { S3CheckpointStore } from './store/s3-checkpoint-store.js';
export {
  pruneOptionsSchema,
  type PruneOptions,
  type PruneResult,
  type RunVerification,
  type VerifyReport,
} from './store/maintenance.js';
export {
  s3CheckpointStoreOptionsSchema,
  type S3CheckpointStoreOptions,
  type S3CheckpointStoreOptionsWithDefaults,
} from './store/options.js';
export { S3RunLease } from './store/lease.js';
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
