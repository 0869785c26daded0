import type { S3Client, S3ClientConfig } from '@aws-sdk/client-s3';
import { CheckpointStoreError, retryOptionsSchema } from '@baton/core';
import { z } from 'zod';
import type { S3ObjectClient } from '../client/object-client.js';

const isObject = (value: unknown): value is object => typeof value === 'object' && value !== null;

/** The options schema; the source of truth for `S3CheckpointStoreOptions`. */
export const s3CheckpointStoreOptionsSchema = z
  .object({
    /** The bucket; it must exist. */
    bucket: z.string().min(3).max(63),
    /** Key prefix for everything the store writes, e.g. `baton/prod/`. A missing trailing `/` is added. @default '' */
    prefix: z
      .string()
      .refine((value) => !value.startsWith('/'), 'must not start with "/"')
      .default(''),
    /** An `S3Client` to use; the caller keeps ownership (the store never destroys it). */
    client: z
      .custom<S3Client>(
        (value) => isObject(value) && typeof (value as S3Client).send === 'function',
        'must be an S3Client',
      )
      .optional(),
    /**
     * Config for an `S3Client` the store creates (and destroys on `close`). The store
     * turns the SDK's own retries off (`maxAttempts: 1`) unless you set them, so
     * that core's retry policy (`retry`) is the only one.
     */
    clientConfig: z.custom<S3ClientConfig>(isObject, 'must be an S3ClientConfig object').optional(),
    /** Any implementation of the store's small client interface (tests, other SDKs). */
    objectClient: z
      .custom<S3ObjectClient>(
        (value) => isObject(value) && typeof (value as S3ObjectClient).put === 'function',
        'must implement S3ObjectClient',
      )
      .optional(),
    /** Send `If-Match` ETags quoted as S3 returned them (see `AwsSdkObjectClientOptions.quoteIfMatch`). @default false */
    quoteIfMatch: z.boolean().optional(),
    /** How long a run lease lasts without renewal; a crashed worker's run can be taken over after this. @default 30_000 */
    leaseTtlMs: z.number().int().min(100).default(30_000),
    /** How often a held lease is renewed; must be below `leaseTtlMs`. @default leaseTtlMs / 3 */
    leaseRenewIntervalMs: z.number().int().min(10).optional(),
    /**
     * The holder stops trusting its lease this long before `leaseTtlMs` has passed since its last
     * successful renewal (monotonic clock), and then refuses to append: room for clock skew between
     * workers and for the time an append spends in flight. @default leaseTtlMs / 5
     */
    leaseSafetyMarginMs: z.number().int().min(0).optional(),
    /** Monotonic clock (ms) for the holder's own lease validity (tests). @default performance.now */
    monotonicNow: z.custom<() => number>((value) => typeof value === 'function', 'must be a function').optional(),
    /** Retries of transient S3 failures, in core's retry format. @default { maxAttempts: 5, initialDelayMs: 50, maxDelayMs: 2_000, jitter: 'full' } */
    retry: retryOptionsSchema.optional(),
    /** Objects fetched in parallel when reading or listing. @default 8 */
    readConcurrency: z.number().int().min(1).max(100).default(8),
    /** This worker's name in leases and conflict messages. @default `<hostname>:<pid>:<random>` */
    owner: z.string().min(1).optional(),
    /** Wall clock for lease expiry (tests, or to correct a known skew). @default Date.now */
    now: z.custom<() => number>((value) => typeof value === 'function', 'must be a function').optional(),
  })
  .strict()
  .refine((options) => [options.client, options.clientConfig, options.objectClient].filter(Boolean).length === 1, {
    message: 'give exactly one of client, clientConfig or objectClient',
  })
  .refine(
    (options) => options.leaseRenewIntervalMs === undefined || options.leaseRenewIntervalMs < options.leaseTtlMs,
    {
      message: 'leaseRenewIntervalMs must be below leaseTtlMs',
      path: ['leaseRenewIntervalMs'],
    },
  )
  .refine(
    (options) =>
      options.leaseSafetyMarginMs === undefined ||
      options.leaseSafetyMarginMs <
        options.leaseTtlMs - (options.leaseRenewIntervalMs ?? Math.floor(options.leaseTtlMs / 3)),
    {
      message: 'leaseSafetyMarginMs must leave time to renew: below leaseTtlMs - leaseRenewIntervalMs',
      path: ['leaseSafetyMarginMs'],
    },
  );

/** Options of `S3CheckpointStore`. */
export type S3CheckpointStoreOptions = z.input<typeof s3CheckpointStoreOptionsSchema>;

/** Options with defaults applied. */
export type S3CheckpointStoreOptionsWithDefaults = z.output<typeof s3CheckpointStoreOptionsSchema>;

/** Validates options, throwing one `CheckpointStoreError` that lists every problem. */
export function parseOptions(options: S3CheckpointStoreOptions): S3CheckpointStoreOptionsWithDefaults {
  const parsed = s3CheckpointStoreOptionsSchema.safeParse(options);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(options)'}: ${issue.message}`);
  throw new CheckpointStoreError(`Invalid S3CheckpointStore options: ${problems.join('; ')}`, { cause: parsed.error });
}
