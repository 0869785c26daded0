import { RunTimeoutError } from '../errors/errors.js';
import { sleep } from '../internal/abort.js';
import type { ErrorClassification } from '../retry/classify-error.js';
import { backoffDelay, type ResolvedRetryPolicy } from '../retry/retry-policy.js';
import type { PlannedStep } from './compile-plan.js';
import type { RunHost } from './run-host.js';
import { emitStep, runAttempt } from './step-attempt.js';
import { serializeError } from './serialize.js';

/** How a step ended. */
export type StepOutcome =
  | { status: 'succeeded'; output: unknown; attempts: number; durationMs: number }
  | { status: 'failed' | 'timed_out' | 'cancelled'; error: unknown; classification: ErrorClassification; attempts: number; durationMs: number };

/**
 * Runs a step's attempts under its retry policy. Never rejects. Retries stop
 * at `maxAttempts`, on a fatal or cancelled classification, or when the next
 * attempt could not start before the deadline (run deadline or `maxElapsedMs`).
 */
export async function runStep(host: RunHost, step: PlannedStep, input: unknown): Promise<StepOutcome> {
  const startedAt = Date.now();
  const deadline = Math.min(host.deadline, startedAt + step.retry.maxElapsedMs);
  for (let attempt = 1; ; attempt++) {
    const result = await runAttempt(host, step, input, attempt, deadline);
    if (result.ok) {
      emitStep(host, step, step.agent, { type: 'step.succeeded', attempt, durationMs: Date.now() - startedAt });
      return { status: 'succeeded', output: result.output, attempts: attempt, durationMs: Date.now() - startedAt };
    }
    const { error, classification } = result;
    if (host.signal.aborted || classification.kind === 'cancelled') return stopped(host, step, attempt, startedAt, error);
    const delay = classification.kind === 'fatal' || attempt >= step.retry.maxAttempts
      ? undefined
      : retryDelay(step.retry, classification, attempt, host.services.random);
    if (delay === undefined || Date.now() + delay >= deadline) return failed(host, step, attempt, startedAt, error, classification);
    emitStep(host, step, step.agent, { type: 'step.retrying', attempt, delayMs: delay, classification, error: serializeError(error) });
    try {
      await sleep(delay, host.signal);
    } catch {
      return stopped(host, step, attempt, startedAt, host.signal.reason);
    }
  }
}

/** The wait before the retry after `attempt`: Retry-After when the error gives one (capped), else backoff. */
export function retryDelay(policy: ResolvedRetryPolicy, classification: ErrorClassification, attempt: number, random: () => number): number {
  if (classification.retryAfterMs !== undefined) return Math.min(Math.max(0, classification.retryAfterMs), policy.maxRetryAfterMs);
  return backoffDelay(policy, attempt, random);
}

function failed(host: RunHost, step: PlannedStep, attempt: number, startedAt: number, error: unknown, classification: ErrorClassification): StepOutcome {
  const durationMs = Date.now() - startedAt;
  const status = classification.kind === 'timeout' ? 'timed_out' : 'failed';
  emitStep(host, step, step.agent, { type: 'step.failed', attempt, durationMs, status, classification, error: serializeError(error) });
  return { status, error, classification, attempts: attempt, durationMs };
}

/** The run is stopping (cancelled, timed out, or a sibling failed): the step ends without retrying. */
function stopped(host: RunHost, step: PlannedStep, attempt: number, startedAt: number, error: unknown): StepOutcome {
  const durationMs = Date.now() - startedAt;
  const reason = host.signal.aborted ? host.signal.reason : error;
  const status = reason instanceof RunTimeoutError ? 'timed_out' : 'cancelled';
  emitStep(host, step, step.agent, { type: 'step.cancelled', attempt, durationMs, reason: serializeError(reason) });
  return { status, error: reason, classification: { kind: status === 'timed_out' ? 'timeout' : 'cancelled' }, attempts: attempt, durationMs };
}
