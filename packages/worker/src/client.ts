import { PostgresCheckpointStore } from '@baton/checkpoint-pg';
import { assertValidRunId, type Workflow } from '@baton/core';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { migrateCancelRequests, requestCancel } from './cancel/cancel-requests.js';
import { WorkerError } from './errors.js';
import { type ClientOptions, parseClientOptions } from './options.js';
import { PgBossRunQueue } from './queue/pg-boss-queue.js';
import { resultFromRecords, type WorkerRunResult } from './run/worker-run-result.js';

/** A run started through the client. */
export interface RunHandle {
  readonly runId: string;
  /** Resolves with the run's stored outcome once it has finished, on whichever worker. */
  result(): Promise<WorkerRunResult>;
  /** Asks for the run to be cancelled wherever it runs (or before it starts); it then ends `cancelled`. */
  cancel(): Promise<void>;
}

/** Starts runs on the workers and follows them. `resume(wf, runId, { inputs })` for waits is not built yet. */
export interface Client {
  /** Queues a run (one job per run id); rejects with `BATON_WORKER_RUN_QUEUED` if the run id has a job already. */
  // biome-ignore lint/suspicious/noExplicitAny: any workflow
  start(workflow: Workflow<any, any>, input?: unknown, options?: { runId?: string }): Promise<RunHandle>;
  /** A handle to a run started earlier (by any client). */
  handle(runId: string): RunHandle;
  /** Ends the client's connections; pending `result()` calls reject with `BATON_WORKER_CLOSED`. */
  close(): Promise<void>;
}

/** Creates a client; call `close()` when done. Options are validated here. */
export async function createClient(options: ClientOptions): Promise<Client> {
  const client = new PgClient(parseClientOptions(options));
  await client.open();
  return client;
}

interface Waiter {
  resolve(result: WorkerRunResult): void;
  reject(error: unknown): void;
}

class PgClient implements Client {
  private readonly pool: pg.Pool;
  private readonly store: PostgresCheckpointStore;
  private readonly queue: PgBossRunQueue;
  private readonly schema: string;
  private readonly waiters = new Map<string, Waiter[]>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private closed = false;

  constructor(private readonly options: ClientOptions) {
    this.schema = options.storeSchema ?? 'baton';
    this.pool = new pg.Pool({ connectionString: options.connectionString, max: 4 });
    this.pool.on('error', () => {});
    this.store = new PostgresCheckpointStore({ pool: this.pool, schema: this.schema });
    this.queue = new PgBossRunQueue({
      connectionString: options.connectionString,
      poolSize: 2,
      ...options.queueOptions,
    });
  }

  async open(): Promise<void> {
    await this.store.migrate();
    await migrateCancelRequests(this.pool, this.schema);
    await this.queue.start();
  }

  // biome-ignore lint/suspicious/noExplicitAny: any workflow
  async start(workflow: Workflow<any, any>, input?: unknown, options: { runId?: string } = {}): Promise<RunHandle> {
    this.assertOpen();
    const runId = options.runId ?? randomUUID();
    assertValidRunId(runId);
    if (!(await this.queue.enqueue({ runId, workflow: workflow.name, input: input ?? null })))
      throw new WorkerError('BATON_WORKER_RUN_QUEUED', `run '${runId}' already has a queued or active job`);
    return this.handle(runId);
  }

  handle(runId: string): RunHandle {
    return {
      runId,
      result: () => this.result(runId),
      cancel: () => requestCancel(this.pool, this.schema, runId),
    };
  }

  private result(runId: string): Promise<WorkerRunResult> {
    this.assertOpen();
    return new Promise((resolve, reject) => {
      const list = this.waiters.get(runId) ?? [];
      list.push({ resolve, reject });
      this.waiters.set(runId, list);
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.timer || this.closed || this.waiters.size === 0) return;
    this.timer = setTimeout(() => {
      void this.poll().finally(() => {
        this.timer = undefined;
        this.schedule();
      });
    }, this.options.pollIntervalMs ?? 250);
  }

  /** One query for every awaited run: which have finished; then each finished run's records. */
  private async poll(): Promise<void> {
    try {
      const { rows } = await this.pool.query<{ run_id: string }>(
        `SELECT DISTINCT run_id FROM "${this.schema}".records WHERE type = 'run.finished' AND run_id = ANY($1::text[])`,
        [[...this.waiters.keys()]],
      );
      for (const { run_id: runId } of rows) {
        const result = resultFromRecords(runId, await this.store.read(runId));
        if (!result) continue; // resumed again after finishing: wait for the new end
        for (const waiter of this.waiters.get(runId) ?? []) waiter.resolve(result);
        this.waiters.delete(runId);
      }
    } catch (error) {
      if (this.closed) return;
      console.error('[baton/worker] result poll failed (retrying):', error);
    }
  }

  private assertOpen(): void {
    if (this.closed) throw new WorkerError('BATON_WORKER_CLOSED', 'this @baton/worker client was closed');
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    for (const list of this.waiters.values())
      for (const waiter of list) waiter.reject(new WorkerError('BATON_WORKER_CLOSED', 'the client was closed'));
    this.waiters.clear();
    await this.queue.stop({ drain: false });
    await this.store.close();
    await this.pool.end();
  }
}
