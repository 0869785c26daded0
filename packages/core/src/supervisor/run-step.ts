import { RetryAfterExceededError, RunTimeoutError } from '../errors/errors.js';
import { sleep } from '../internal/abort.js';
import type { ErrorClassification } from '../retry/classify-error.js';
import { backoffDelay, type ResolvedRetryPolicy } from '../retry/retry-policy.js';
import type { PlannedStep } from './compile-plan.js';
import type { RunHost } from './run-host.js';
import { runAttempt, type AttemptResult, type BreakerRefusal } from './step-attempt.js';
import { emitStep, emitStepSucceeded } from './step-events.js';
import { serializeError } from './serialize.js';
import { type PendingWait, WaitSuspension } from './waits.js';

/** How a step ended. */
export type StepOutcome =
  | { status: 'succeeded'; output: unknown; attempts: number; durationMs: number }
  | {
      status: 'failed' | 'timed_out' | 'cancelled';
      error: unknown;
      classification: ErrorClassification;
      attempts: number;
      durationMs: number;
    }
  /** The step waits for input (`ctx.waitFor` or a wait step): it is not retried; `isNew` when its wait opens now. */
  | { status: 'suspended'; wait: PendingWait; isNew: boolean; attempts: number; durationMs: number };

/**
 * Runs a step's attempts under its retry policy. Never rejects. Retries stop
 * at `maxAttempts`, on a fatal or cancelled classification (the step then fails;
 * it is `cancelled` only when the run itself is stopping), or when the next
 * attempt could not start before the deadline (run deadline or `maxElapsedMs`).
 */
export function runStep(host: RunHost, step: PlannedStep, input: unknown): Promise<StepOutcome> {
  return attempts(host, step, input, Date.now(), undefined);
}

/**
 * Continues a step whose first attempt, started at `startedAt`, already failed
 * (the plain-step fast path): the same decisions and events as if `runStep` had made it.
 */
export function continueStep(
  host: RunHost,
  step: PlannedStep,
  input: unknown,
  startedAt: number,
  first: AttemptResult & { ok: false },
): Promise<StepOutcome> {
  return attempts(host, step, input, startedAt, first);
}

async function attempts(
  host: RunHost,
  step: PlannedStep,
  input: unknown,
  startedAt: number,
  first: AttemptResult | undefined,
): Promise<StepOutcome> {
  const deadline = Math.min(host.deadline, startedAt + step.retry.maxElapsedMs);
  for (let attempt = 1; ; attempt++) {
    let result = attempt === 1 && first ? first : await runAttempt(host, step, input, attempt, deadline);
    // A crossed budget ends the step whatever the attempt returned (an agent may have swallowed the thrown breach).
    const breach = host.breachOf(step.index);
    if (breach !== undefined) result = { ok: false, error: breach, classification: { kind: 'fatal' } };
    if (result.ok) {
      const now = Date.now();
      emitStepSucceeded(host, step, step.agent, attempt, now - startedAt, now);
      return { status: 'succeeded', output: result.output, attempts: attempt, durationMs: now - startedAt };
    }
    const { error, classification, refused: refusal } = result;
    if (host.aborted) return stopped(host, step, attempt, startedAt, error);
    if (error instanceof WaitSuspension) return suspended(host, step, attempt, startedAt, error);
    // A `cancelled` verdict while the run is not stopping (an AbortError of the step's own making) is a failure
    // of the step, not a cancellation of the run; like a fatal error it is not retried.
    if (classification.kind === 'fatal' || classification.kind === 'cancelled' || attempt >= step.retry.maxAttempts) {
      return failed(host, step, attempt, startedAt, error, classification, refusal);
    }
    const delay = retryDelay(step.retry, classification, attempt, host.services.random);
    const refused = refuseWait(step, classification, delay, deadline - Date.now(), error);
    if (refused) return failed(host, step, attempt, startedAt, refused, classification, refusal);
    if (Date.now() + delay >= deadline) return failed(host, step, attempt, startedAt, error, classification, refusal);
    emitStep(host, step, step.agent, {
      type: 'step.retrying',
      attempt,
      delayMs: delay,
      classification,
      error: serializeError(error),
      ...(refusal ? { refused: refusal } : {}),
    });
    try {
      await sleep(delay, host.signal);
    } catch {
      return stopped(host, step, attempt, startedAt, host.abortReason);
    }
  }
}

/**
 * The wait before the retry after `attempt`: the wait the error asks for (Retry-After, an open breaker's
 * remaining time) in full, never shortened; else backoff. `refuseWait` decides whether it may be waited at all.
 */
export function retryDelay(
  policy: ResolvedRetryPolicy,
  classification: ErrorClassification,
  attempt: number,
  random: () => number,
): number {
  if (classification.retryAfterMs !== undefined) return Math.max(0, classification.retryAfterMs);
  return backoffDelay(policy, attempt, random);
}

/**
 * A rate limit's requested wait beyond `maxRetryAfterMs`, or ending past the deadline, is not shortened
 * (that would retry inside the server's window): the step fails with `RetryAfterExceededError`.
 * Other requested waits (an open breaker's) beyond the cap fail the step with its own error (undefined here
 * means: no refusal error; the caller's deadline check still applies).
 */
function refuseWait(
  step: PlannedStep,
  classification: ErrorClassification,
  delay: number,
  leftMs: number,
  error: unknown,
): unknown {
  const requested = classification.retryAfterMs;
  if (requested === undefined) return undefined;
  const limit = delay > step.retry.maxRetryAfterMs ? 'maxRetryAfterMs' : delay >= leftMs ? 'deadline' : undefined;
  if (limit === undefined) return undefined;
  if (classification.kind !== 'rate_limited') return limit === 'maxRetryAfterMs' ? error : undefined;
  const limitMs = limit === 'maxRetryAfterMs' ? step.retry.maxRetryAfterMs : Math.max(0, leftMs);
  return new RetryAfterExceededError(step.id, delay, limit, limitMs, { cause: error });
}

function failed(
  host: RunHost,
  step: PlannedStep,
  attempt: number,
  startedAt: number,
  error: unknown,
  classification: ErrorClassification,
  refusal?: BreakerRefusal,
): StepOutcome {
  const durationMs = Date.now() - startedAt;
  const status = classification.kind === 'timeout' ? 'timed_out' : 'failed';
  emitStep(host, step, step.agent, {
    type: 'step.failed',
    attempt,
    durationMs,
    status,
    classification,
    error: serializeError(error),
    ...(refusal ? { refused: refusal } : {}),
  });
  return { status, error, classification, attempts: attempt, durationMs };
}

/** The step asked for input it does not have yet: it ends suspended, without a step record. */
function suspended(
  host: RunHost,
  step: PlannedStep,
  attempt: number,
  startedAt: number,
  suspension: WaitSuspension,
): StepOutcome {
  const durationMs = Date.now() - startedAt;
  const { wait } = suspension;
  emitStep(host, step, step.agent, {
    type: 'step.suspended',
    attempt,
    key: wait.key,
    prompt: wait.prompt,
    ...(wait.deadline === undefined ? {} : { deadline: wait.deadline }),
  });
  return { status: 'suspended', wait, isNew: suspension.isNew, attempts: attempt, durationMs };
}

/** The run is stopping (cancelled, timed out, or a sibling failed): the step ends without retrying. */
function stopped(host: RunHost, step: PlannedStep, attempt: number, startedAt: number, error: unknown): StepOutcome {
  const durationMs = Date.now() - startedAt;
  const reason = host.aborted ? host.abortReason : error;
  const status = reason instanceof RunTimeoutError ? 'timed_out' : 'cancelled';
  emitStep(host, step, step.agent, {
    type: 'step.cancelled',
    attempt,
    durationMs,
    status,
    reason: serializeError(reason),
  });
  return {
    status,
    error: reason,
    classification: { kind: status === 'timed_out' ? 'timeout' : 'cancelled' },
    attempts: attempt,
    durationMs,
  };
}
