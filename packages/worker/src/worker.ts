import { PostgresCheckpointStore } from '@baton/checkpoint-pg';
import { BatonError, type CheckpointStore, createSupervisor, type Supervisor, type Workflow } from '@baton/core';
import pg from 'pg';
import { cancelledAmong, listenForCancels, migrateCancelRequests } from './cancel/cancel-requests.js';
import { CancelWatcher } from './cancel/cancel-watcher.js';
import { WorkerError } from './errors.js';
import { parseWorkerOptions, type WorkerOptions } from './options.js';
import { PgBossRunQueue } from './queue/pg-boss-queue.js';
import type { RunJob, RunQueue } from './queue/run-queue.js';
import { leaseTrackingStore } from './run/lease-tracking-store.js';

/** A worker process's handle: it takes run jobs from the queue and runs them under its own supervisor. */
export interface Worker {
  /** Creates tables (store, cancel requests, queue) if missing and starts taking jobs. */
  start(): Promise<void>;
  /**
   * Stops taking jobs. `drain: true` (the default) waits for the runs in hand to end; `drain: false` hands them back:
   * their leases are released, so each stops at its next checkpoint without writing, and its job is retried elsewhere.
   */
  stop(options?: { drain?: boolean }): Promise<void>;
  /** Stops with `stop({ drain })` on SIGTERM and SIGINT; returns a function that removes the handlers. */
  stopOnSignals(options?: { drain?: boolean; exit?: boolean }): () => void;
  /** This worker's supervisor (its breakers and health are this process's only). */
  readonly supervisor: Supervisor;
}

/** Creates a worker; options are validated here (`WorkerError` `BATON_WORKER_OPTIONS_INVALID`). */
export function createWorker(options: WorkerOptions): Worker {
  return new PgWorker(parseWorkerOptions(options));
}

class PgWorker implements Worker {
  readonly supervisor: Supervisor;
  private readonly pool: pg.Pool;
  private readonly store: CheckpointStore;
  private readonly ownStore: PostgresCheckpointStore | undefined;
  private readonly handBack: () => Promise<void>;
  // biome-ignore lint/suspicious/noExplicitAny: any workflow
  private readonly workflows = new Map<string, Workflow<any, any>>();
  private readonly queue: RunQueue;
  private readonly watcher: CancelWatcher;
  private readonly schema: string;
  private stopListening: (() => Promise<void>) | undefined;
  private stopping: Promise<void> | undefined;

  constructor(private readonly options: WorkerOptions) {
    this.schema = options.storeSchema ?? 'baton';
    this.pool = new pg.Pool({ connectionString: options.connectionString, max: 2 });
    this.pool.on('error', () => {}); // an idle client's error; the next query reports it
    this.ownStore = options.store
      ? undefined
      : new PostgresCheckpointStore({
          connectionString: options.connectionString,
          schema: this.schema,
          leaseTtlMs: options.leaseTtlMs ?? 8_000,
          poolSize: Math.min(20, (options.concurrency ?? 4) + 2),
        });
    const tracked = leaseTrackingStore(options.store ?? this.ownStore!);
    this.store = tracked.store;
    this.handBack = tracked.handBack;
    this.supervisor = createSupervisor({ ...options.supervisor, store: this.store });
    for (const workflow of options.workflows) this.workflows.set(workflow.name, workflow);
    this.queue = new PgBossRunQueue({ connectionString: options.connectionString, ...options.queueOptions });
    this.watcher = new CancelWatcher(
      (runIds) => cancelledAmong(this.pool, this.schema, runIds),
      options.cancelCheckIntervalMs ?? 2_000,
      (error) => console.error('[baton/worker] cancel check failed:', error),
    );
  }

  async start(): Promise<void> {
    await this.ownStore?.migrate();
    await migrateCancelRequests(this.pool, this.schema);
    this.stopListening = await listenForCancels(
      this.options.connectionString,
      this.schema,
      (runId) => this.watcher.notified(runId),
      pg.Client,
    );
    this.watcher.start();
    await this.queue.start();
    await this.queue.consume((job) => this.handle(job), { concurrency: this.options.concurrency ?? 4 });
  }

  /** Runs (or resumes) one job's run; resolves only once the store has the run's `run.finished` record. */
  private async handle(job: RunJob): Promise<void> {
    const workflow = this.workflows.get(job.workflow);
    if (!workflow)
      throw new WorkerError(
        'BATON_WORKER_UNKNOWN_WORKFLOW',
        `run '${job.runId}' needs workflow '${job.workflow}', which this worker does not have (it has: ${[...this.workflows.keys()].join(', ')})`,
      );
    const signal = this.watcher.hold(job.runId);
    try {
      // A cancel requested while the job waited in the queue is found here, before any step runs.
      for (const runId of await cancelledAmong(this.pool, this.schema, [job.runId])) this.watcher.notified(runId);
      const records = await this.store.read(job.runId);
      // A run that already finished (its worker died before settling the job) is not run again.
      if (records.at(-1)?.type === 'run.finished') return;
      if (records.length === 0) await this.runFresh(workflow, job, signal);
      else await this.supervisor.resume(workflow, job.runId, { signal });
      const after = await this.store.read(job.runId);
      if (after.at(-1)?.type !== 'run.finished')
        throw new WorkerError(
          'BATON_WORKER_RUN_UNFINISHED',
          `run '${job.runId}' stopped on this worker without finishing (lease lost or handed back); its job goes back to the queue`,
        );
    } finally {
      this.watcher.release(job.runId);
    }
  }

  // biome-ignore lint/suspicious/noExplicitAny: any workflow
  private async runFresh(workflow: Workflow<any, any>, job: RunJob, signal: AbortSignal): Promise<void> {
    try {
      await this.supervisor.run(workflow, job.input, { runId: job.runId, signal });
    } catch (error) {
      // Another attempt wrote the start record first (it died, or its lease ran out): continue from its records.
      if (!(BatonError.isInstance(error) && error.code === 'BATON_RUN_EXISTS')) throw error;
      await this.supervisor.resume(workflow, job.runId, { signal });
    }
  }

  stop(options: { drain?: boolean } = {}): Promise<void> {
    this.stopping ??= (async () => {
      const drain = options.drain ?? true;
      // Stop fetching first, so no job arrives after the hand-back; then wait for the handlers in flight.
      const stopped = this.queue.stop({ drain: true });
      if (!drain) await this.handBack();
      await stopped;
      this.watcher.stop();
      await this.supervisor.close();
      await this.stopListening?.();
      await this.ownStore?.close();
      await this.pool.end();
    })();
    return this.stopping;
  }

  stopOnSignals(options: { drain?: boolean; exit?: boolean } = {}): () => void {
    const onSignal = (): void => {
      void this.stop({ drain: options.drain ?? true }).then(() => {
        if (options.exit ?? true) process.exit(0);
      });
    };
    process.once('SIGTERM', onSignal);
    process.once('SIGINT', onSignal);
    return () => {
      process.off('SIGTERM', onSignal);
      process.off('SIGINT', onSignal);
    };
  }
}
