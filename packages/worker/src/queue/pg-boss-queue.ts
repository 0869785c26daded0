import { PgBoss } from 'pg-boss';
import { z } from 'zod/v4';
import { WorkerError } from '../errors.js';
import type { ConsumeOptions, RunJob, RunJobHandler, RunQueue } from './run-queue.js';

/** Options of `PgBossRunQueue`. */
export interface PgBossRunQueueOptions {
  connectionString: string;
  /** pg-boss's schema. @default 'pgboss' */
  schema?: string;
  /** The queue's name. @default 'baton-runs' */
  queue?: string;
  /** A job whose worker sent no heartbeat this long is failed and retried elsewhere (pg-boss minimum 10). @default 10 */
  heartbeatSeconds?: number;
  /** How often pg-boss looks for jobs whose heartbeat lapsed. @default 2 */
  superviseIntervalSeconds?: number;
  /** Polling backstop under LISTEN/NOTIFY dispatch. @default 2 */
  pollingIntervalSeconds?: number;
  /** Deliveries of one run's job before pg-boss gives up on it (crashes and hand-backs count). @default 1000 */
  retryLimit?: number;
  /** Seconds before a handed-back job is delivered again. @default 1 */
  retryDelaySeconds?: number;
  /** Connections of pg-boss's own pool. @default 4 */
  poolSize?: number;
}

const jobSchema = z.object({ runId: z.string().min(1), workflow: z.string().min(1), input: z.unknown() });

/**
 * `RunQueue` on pg-boss: one queue with the `exclusive` policy keyed by run id (one queued or active job per run),
 * heartbeats (`heartbeatSeconds`) so a dead worker's job is retried elsewhere, LISTEN/NOTIFY dispatch with polling as
 * the backstop, and settles fenced to the attempt fetched (pg-boss 12), so a worker that was paused past its heartbeat
 * cannot complete or fail the newer attempt.
 */
export class PgBossRunQueue implements RunQueue {
  private readonly boss: PgBoss;
  private readonly name: string;

  constructor(private readonly options: PgBossRunQueueOptions) {
    this.name = options.queue ?? 'baton-runs';
    const supervise = options.superviseIntervalSeconds ?? 2;
    this.boss = new PgBoss({
      connectionString: options.connectionString,
      schema: options.schema ?? 'pgboss',
      max: options.poolSize ?? 4,
      useListenNotify: true,
      superviseIntervalSeconds: supervise,
      monitorIntervalSeconds: supervise,
    });
    // pg-boss reports background failures (a lost connection) here; an unhandled 'error' event would end the process.
    this.boss.on('error', (error) => console.error('[baton/worker] pg-boss:', error));
  }

  async start(): Promise<void> {
    await this.boss.start();
    if (await this.boss.getQueue(this.name)) return;
    try {
      await this.boss.createQueue(this.name, {
        policy: 'exclusive',
        notify: true,
        heartbeatSeconds: this.options.heartbeatSeconds ?? 10,
        retryLimit: this.options.retryLimit ?? 1000,
        retryDelay: this.options.retryDelaySeconds ?? 1,
      });
    } catch (error) {
      // Another process created it between our check and our create.
      if (!(await this.boss.getQueue(this.name))) throw error;
    }
  }

  async enqueue(job: RunJob): Promise<boolean> {
    const id = await this.boss.send(this.name, { ...job }, { singletonKey: job.runId });
    return id !== null;
  }

  async consume(handler: RunJobHandler, { concurrency }: ConsumeOptions): Promise<void> {
    await this.boss.work(
      this.name,
      {
        batchSize: 1,
        localConcurrency: concurrency,
        pollingIntervalSeconds: this.options.pollingIntervalSeconds ?? 2,
        notifyPollingIntervalSeconds: this.options.pollingIntervalSeconds ?? 2,
      },
      async ([job]) => {
        if (!job) return;
        const parsed = jobSchema.safeParse(job.data);
        if (!parsed.success)
          throw new WorkerError(
            'BATON_WORKER_OPTIONS_INVALID',
            `job ${job.id} carries no run: ${JSON.stringify(job.data)}`,
            {
              cause: parsed.error,
            },
          );
        await handler(parsed.data);
      },
    );
  }

  async stop({ drain }: { drain: boolean }): Promise<void> {
    await this.boss.stop({ graceful: drain, close: true, timeout: drain ? 24 * 3600_000 : 1_000 });
  }
}
