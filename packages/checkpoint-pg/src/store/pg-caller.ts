import { backoffDelay, BatonError, type ResolvedRetryPolicy } from '@baton/core';
import { classifyPgError, PostgresStoreError } from './pg-errors.js';

/** What `PgCaller` needs to know. */
export interface PgCallerOptions {
  /** `host:port/db schema "x"`, for messages. */
  target: string;
  retry: ResolvedRetryPolicy;
  /** @default setTimeout-based */
  sleep?: (ms: number) => Promise<void>;
  /** Jitter source in [0, 1). @default Math.random */
  random?: () => number;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Runs store operations against PostgreSQL: retries retryable failures (see
 * `classifyPgError`) with core's backoff, and turns the last failure into a
 * `PostgresStoreError`. Baton's own errors (a conflict, a lost lease) pass through
 * untouched. Every operation given to it must be safe to repeat: the store's
 * writes check, in the same statement, whether an earlier try already landed.
 */
export class PgCaller {
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly random: () => number;

  constructor(private readonly options: PgCallerOptions) {
    this.sleep = options.sleep ?? defaultSleep;
    this.random = options.random ?? Math.random;
  }

  /** Calls `operation` until it succeeds, fails fatally, or the retry policy is spent. */
  async call<T>(name: string, operation: () => Promise<T>): Promise<T> {
    const { retry } = this.options;
    for (let attempt = 1; ; attempt++) {
      try {
        return await operation();
      } catch (error) {
        if (BatonError.isInstance(error)) throw error;
        if (!classifyPgError(error).retryable || attempt >= retry.maxAttempts) {
          throw new PostgresStoreError(name, this.options.target, error, attempt);
        }
        await this.sleep(backoffDelay(retry, attempt, this.random));
      }
    }
  }
}
