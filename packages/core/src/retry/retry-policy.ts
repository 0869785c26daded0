import { z } from 'zod';

const finiteNonNegative = z.number().finite().nonnegative();

/** Retry settings; every field is optional and merged over the defaults. */
export const retryOptionsSchema = z
  .object({
    /** Total attempts including the first. @default 3 */
    maxAttempts: z.number().int().min(1).optional(),
    /** Wait before the first retry, in ms. @default 200 */
    initialDelayMs: finiteNonNegative.optional(),
    /** Multiplier per retry; must be ≥ 1. @default 2 */
    backoffFactor: z.number().finite().min(1).optional(),
    /** Upper bound of any wait, applied after jitter too. @default 30_000 */
    maxDelayMs: finiteNonNegative.optional(),
    /** `full`: uniform in [0, d]; `equal`: uniform in [d/2, d]; `none`: exactly d. @default 'full' */
    jitter: z.enum(['none', 'full', 'equal']).optional(),
    /**
     * Longest wait a rate limit may ask for (Retry-After, `retry-after-ms`, `x-ratelimit-reset-*`), honoured in full
     * (never shortened to `maxDelayMs`). A longer request, or one that would end past the run's deadline or
     * `maxElapsedMs`, fails the step with `RetryAfterExceededError` (`rate_limited`) instead of retrying early.
     * @default 300_000 (5 minutes)
     */
    maxRetryAfterMs: finiteNonNegative.optional(),
    /**
     * No retry starts after this much time since the step's first attempt; it also bounds the wait for an agent's
     * concurrency slot (`agentLimits`), which then fails with `LimitWaitExceededError`. @default Infinity
     */
    maxElapsedMs: finiteNonNegative.optional(),
  })
  .strict();

/** Retry settings accepted by steps, workflows and supervisors. */
export type RetryOptions = z.input<typeof retryOptionsSchema>;

/** A retry policy with every default filled in. */
export interface ResolvedRetryPolicy {
  maxAttempts: number;
  initialDelayMs: number;
  backoffFactor: number;
  maxDelayMs: number;
  jitter: 'none' | 'full' | 'equal';
  maxRetryAfterMs: number;
  maxElapsedMs: number;
}

/** The documented defaults. */
export const DEFAULT_RETRY = Object.freeze({
  maxAttempts: 3,
  initialDelayMs: 200,
  backoffFactor: 2,
  maxDelayMs: 30_000,
  jitter: 'full' as const,
});

/** The default of `maxRetryAfterMs`: a server's requested wait is honoured up to 5 minutes. */
export const DEFAULT_MAX_RETRY_AFTER_MS = 300_000;

/** Merges retry layers (later wins) over the defaults. Inputs must already be validated. */
export function resolveRetryPolicy(...layers: (RetryOptions | undefined)[]): ResolvedRetryPolicy {
  const merged: RetryOptions = { ...DEFAULT_RETRY };
  for (const layer of layers) if (layer) Object.assign(merged, stripUndefined(layer));
  return {
    maxAttempts: merged.maxAttempts!,
    initialDelayMs: merged.initialDelayMs!,
    backoffFactor: merged.backoffFactor!,
    maxDelayMs: merged.maxDelayMs!,
    jitter: merged.jitter!,
    maxRetryAfterMs: merged.maxRetryAfterMs ?? DEFAULT_MAX_RETRY_AFTER_MS,
    maxElapsedMs: merged.maxElapsedMs ?? Number.POSITIVE_INFINITY,
  };
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  const out: Partial<T> = {};
  for (const key of Object.keys(value) as (keyof T)[]) if (value[key] !== undefined) out[key] = value[key];
  return out;
}

/**
 * The wait before retry number `retry` (1 = the first retry):
 * `min(maxDelayMs, initialDelayMs × backoffFactor^(retry−1))`, then jitter,
 * then the cap again. `random` returns a number in [0, 1).
 */
export function backoffDelay(policy: ResolvedRetryPolicy, retry: number, random: () => number = Math.random): number {
  const exponential = policy.initialDelayMs * policy.backoffFactor ** (retry - 1);
  const base = Math.min(policy.maxDelayMs, Number.isFinite(exponential) ? exponential : policy.maxDelayMs);
  let delay: number;
  switch (policy.jitter) {
    case 'none':
      delay = base;
      break;
    case 'full':
      delay = random() * base;
      break;
    case 'equal':
      delay = base / 2 + random() * (base / 2);
      break;
  }
  return Math.min(policy.maxDelayMs, Math.max(0, Math.round(delay)));
}
