/** What a queue carries for one run: everything a worker needs to start or resume it. */
export interface RunJob {
  /** The run's id; the queue keeps at most one queued or active job per run id. */
  runId: string;
  /** The workflow's name, looked up in the worker's `workflows`. */
  workflow: string;
  /** The run's input (JSON), used when the run has no records yet. */
  input: unknown;
}

/** Handles one job; resolving completes it, rejecting hands it back to be retried (on any worker). */
export type RunJobHandler = (job: RunJob) => Promise<void>;

/** How a queue delivers jobs to one worker process. */
export interface ConsumeOptions {
  /** Jobs handled at once by this process. */
  concurrency: number;
}

/**
 * The queue engine behind `@baton/worker`, kept this small so another engine (BullMQ, Temporal) could be added
 * without touching the worker. Contract: a job whose handler dies with its process (no settle, no heartbeat) is
 * delivered again, to any consumer, once the engine notices; a rejected handler's job is delivered again; at most one
 * job per run id is queued or active at a time. Only `PgBossRunQueue` exists today.
 */
export interface RunQueue {
  /** Connects (and creates the engine's tables and the queue, idempotently). */
  start(): Promise<void>;
  /** Queues a run; `false` when a job for this run id is already queued or active. */
  enqueue(job: RunJob): Promise<boolean>;
  /** Starts delivering jobs to `handler`. */
  consume(handler: RunJobHandler, options: ConsumeOptions): Promise<void>;
  /** Stops delivering; `drain` waits for handlers in flight, else they are left to their heartbeat to lapse. */
  stop(options: { drain: boolean }): Promise<void>;
}
