export { createWorker, type Worker } from './worker.js';
export { createClient, type Client, type RunHandle } from './client.js';
export {
  parseClientOptions,
  parseWorkerOptions,
  queueOptionsSchema,
  type ClientOptions,
  type QueueOptions,
  type WorkerOptions,
} from './options.js';
export type { ConsumeOptions, RunJob, RunJobHandler, RunQueue } from './queue/run-queue.js';
export { PgBossRunQueue, type PgBossRunQueueOptions } from './queue/pg-boss-queue.js';
export { CancelWatcher, type FetchCancelled } from './cancel/cancel-watcher.js';
export { resultFromRecords, type WorkerRunResult } from './run/worker-run-result.js';
export { WorkerError, type WorkerErrorCode } from './errors.js';
