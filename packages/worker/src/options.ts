import type { CheckpointStore, SupervisorOptions, Workflow } from '@baton/core';
import { z } from 'zod/v4';
import { WorkerError } from './errors.js';

const schemaName = z
  .string()
  .regex(/^[a-z_][a-z0-9_]*$/)
  .max(63);

/** pg-boss settings shared by workers and clients (they must agree on `schema` and `queue`). */
export const queueOptionsSchema = z
  .object({
    /** pg-boss's schema. @default 'pgboss' */
    schema: schemaName.optional(),
    /** The queue's name. @default 'baton-runs' */
    queue: z.string().min(1).optional(),
    /** A job whose worker sent no heartbeat this long is retried elsewhere (pg-boss minimum 10). @default 10 */
    heartbeatSeconds: z.int().min(10).optional(),
    /** How often pg-boss looks for lapsed heartbeats. @default 2 */
    superviseIntervalSeconds: z.int().min(1).optional(),
    /** Polling backstop under LISTEN/NOTIFY dispatch. @default 2 */
    pollingIntervalSeconds: z.number().min(0.5).optional(),
    /** Deliveries of one run's job before pg-boss gives up. @default 1000 */
    retryLimit: z.int().min(0).optional(),
    /** Seconds before a handed-back job is delivered again. @default 1 */
    retryDelaySeconds: z.int().min(0).optional(),
  })
  .strict();

/** pg-boss settings (see `queueOptionsSchema`). */
export type QueueOptions = z.infer<typeof queueOptionsSchema>;

const commonShape = {
  /** PostgreSQL URL for the queue, the cancel requests and (unless `store` is given) the store. */
  connectionString: z.string().min(1),
  /** Schema of the `PostgresCheckpointStore` tables and of the cancel requests. @default 'baton' */
  storeSchema: schemaName.optional(),
  /** pg-boss settings. */
  queueOptions: queueOptionsSchema.optional(),
};

/** Options of `createWorker`. */
export interface WorkerOptions {
  /** PostgreSQL URL for the queue, the cancel requests and (unless `store` is given) the store. */
  connectionString: string;
  /** The workflows this worker runs, looked up by `name`. */
  // biome-ignore lint/suspicious/noExplicitAny: any workflow
  workflows: readonly Workflow<any, any>[];
  /** Runs at once in this process. @default 4 */
  concurrency?: number;
  /**
   * The store (a `PostgresCheckpointStore` on the same database, or any store with leases). Default: one created on
   * `connectionString` and `storeSchema` with `leaseTtlMs` below the queue's heartbeat, so a dead worker's lease has
   * run out by the time its job is retried.
   */
  store?: CheckpointStore;
  /** Schema of the default store's tables and of the cancel requests. @default 'baton' */
  storeSchema?: string;
  /** The default store's lease TTL. @default 8000 */
  leaseTtlMs?: number;
  /**
   * Options of this worker's supervisor (retry, breaker, limits). Breakers, limits and health live in the supervisor,
   * so they are per worker process; this is the seam for a shared breaker later.
   */
  supervisor?: Omit<SupervisorOptions, 'store'>;
  /** How often held runs are checked for cancel requests (backstop to LISTEN/NOTIFY). @default 2000 */
  cancelCheckIntervalMs?: number;
  /** pg-boss settings. */
  queueOptions?: QueueOptions;
}

const workerSchema = z
  .object({
    ...commonShape,
    workflows: z.array(z.custom<Workflow>((value) => typeof value === 'object' && value !== null)).min(1),
    concurrency: z.int().min(1).max(1000).optional(),
    store: z.custom<CheckpointStore>((value) => typeof value === 'object' && value !== null).optional(),
    leaseTtlMs: z.int().min(100).optional(),
    supervisor: z.record(z.string(), z.unknown()).optional(),
    cancelCheckIntervalMs: z.int().min(10).optional(),
  })
  .strict();

/** Options of `createClient`. */
export interface ClientOptions {
  /** PostgreSQL URL (the same database as the workers). */
  connectionString: string;
  /** Schema of the store's tables and the cancel requests (the workers' `storeSchema`). @default 'baton' */
  storeSchema?: string;
  /** How often `result()` looks for finished runs (one query for all awaited runs). @default 250 */
  pollIntervalMs?: number;
  /** pg-boss settings (`schema` and `queue` must match the workers'). */
  queueOptions?: QueueOptions;
}

const clientSchema = z.object({ ...commonShape, pollIntervalMs: z.int().min(10).optional() }).strict();

/** Validates worker options; throws `WorkerError` (`BATON_WORKER_OPTIONS_INVALID`) naming the bad field. */
export function parseWorkerOptions(options: WorkerOptions): WorkerOptions {
  return parse(workerSchema, options, 'createWorker') as WorkerOptions;
}

/** Validates client options; throws `WorkerError` (`BATON_WORKER_OPTIONS_INVALID`) naming the bad field. */
export function parseClientOptions(options: ClientOptions): ClientOptions {
  return parse(clientSchema, options, 'createClient') as ClientOptions;
}

function parse(schema: z.ZodType, options: unknown, where: string): unknown {
  const parsed = schema.safeParse(options);
  if (parsed.success) return options;
  const issue = parsed.error.issues[0]!;
  const path = issue.path.join('.') || '(options)';
  throw new WorkerError('BATON_WORKER_OPTIONS_INVALID', `${where}: option '${path}' is invalid: ${issue.message}`, {
    cause: parsed.error,
  });
}
