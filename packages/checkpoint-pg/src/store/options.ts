import { CheckpointStoreError, retryOptionsSchema } from '@baton/core';
import type { Pool } from 'pg';
import { z } from 'zod';

const isFunction = (value: unknown): boolean => typeof value === 'function';

/** The options schema; the source of truth for `PostgresCheckpointStoreOptions`. */
export const postgresCheckpointStoreOptionsSchema = z
  .object({
    /** A `pg.Pool` to use; the caller keeps ownership (the store never ends it). */
    pool: z
      .custom<Pool>(
        (value) =>
          typeof value === 'object' &&
          value !== null &&
          isFunction((value as Pool).query) &&
          isFunction((value as Pool).connect),
        'must be a pg.Pool',
      )
      .optional(),
    /** A `postgres://user:password@host:port/database` URL; the store creates a pool (and ends it on `close`). */
    connectionString: z.string().min(1).optional(),
    /** Connections in the pool the store creates from `connectionString`. @default 10 */
    poolSize: z.number().int().min(1).max(1000).default(10),
    /**
     * The PostgreSQL schema holding the store's tables (created by `migrate()`): lower-case
     * letters, digits and `_`, at most 63 characters. @default 'baton'
     */
    schema: z
      .string()
      .regex(/^[a-z_][a-z0-9_]{0,62}$/, 'must be lower-case letters, digits and "_", starting with a letter or "_"')
      .default('baton'),
    /** How long a run lease lasts without renewal (server clock); a crashed worker's run can be taken over after this. @default 30_000 */
    leaseTtlMs: z.number().int().min(100).default(30_000),
    /** How often a held lease is renewed; must be below `leaseTtlMs`. @default leaseTtlMs / 3 */
    leaseRenewIntervalMs: z.number().int().min(10).optional(),
    /**
     * The holder stops trusting its lease this long before `leaseTtlMs` has passed since its
     * last successful renewal (monotonic clock) and refuses to append without asking the server.
     * The server checks the lease in every append regardless. @default leaseTtlMs / 5
     */
    leaseSafetyMarginMs: z.number().int().min(0).optional(),
    /** Monotonic clock (ms) for the holder's own view of its lease (tests). @default performance.now */
    monotonicNow: z.custom<() => number>(isFunction, 'must be a function').optional(),
    /** Retries of retryable PostgreSQL failures (connection loss, deadlocks), in core's retry format. @default { maxAttempts: 5, initialDelayMs: 50, maxDelayMs: 2_000, jitter: 'full' } */
    retry: retryOptionsSchema.optional(),
    /** This worker's name in leases and conflict messages. @default `<hostname>:<pid>:<random>` */
    owner: z.string().min(1).max(200).optional(),
  })
  .strict()
  .refine((options) => (options.pool === undefined) !== (options.connectionString === undefined), {
    message: 'give exactly one of pool or connectionString',
  })
  .refine(
    (options) => options.leaseRenewIntervalMs === undefined || options.leaseRenewIntervalMs < options.leaseTtlMs,
    { message: 'must be below leaseTtlMs', path: ['leaseRenewIntervalMs'] },
  )
  .refine(
    (options) =>
      options.leaseSafetyMarginMs === undefined ||
      options.leaseSafetyMarginMs <
        options.leaseTtlMs - (options.leaseRenewIntervalMs ?? Math.floor(options.leaseTtlMs / 3)),
    {
      message: 'must leave time to renew: below leaseTtlMs - leaseRenewIntervalMs',
      path: ['leaseSafetyMarginMs'],
    },
  );

/** Options of `PostgresCheckpointStore`: give `pool` or `connectionString`. */
export type PostgresCheckpointStoreOptions = z.input<typeof postgresCheckpointStoreOptionsSchema>;

/** Options with defaults applied. */
export type PostgresCheckpointStoreOptionsWithDefaults = z.output<typeof postgresCheckpointStoreOptionsSchema>;

/** Validates options, throwing one `CheckpointStoreError` that lists every problem (never echoing a password). */
export function parseOptions(options: PostgresCheckpointStoreOptions): PostgresCheckpointStoreOptionsWithDefaults {
  const parsed = postgresCheckpointStoreOptionsSchema.safeParse(options);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(options)'}: ${issue.message}`);
  throw new CheckpointStoreError(`Invalid PostgresCheckpointStore options: ${problems.join('; ')}`, {
    cause: parsed.error,
  });
}

/** `host:port/database` of a connection URL, without user or password (for error messages). */
export function describeTarget(connectionString: string | undefined, schema: string): string {
  if (connectionString === undefined) return `schema "${schema}" (caller's pool)`;
  try {
    const url = new URL(connectionString);
    return `${url.hostname}:${url.port || '5432'}${url.pathname || '/'} schema "${schema}"`;
  } catch {
    return `schema "${schema}" (unparsable connection string)`;
  }
}
