import { FatalError } from '../errors/errors.js';
import type { StepContext, TokenUsage } from '../workflow/types.js';

/** A `StepContext` made by {@link createTestStepContext}, with what the code under test emitted and reported. */
export type TestStepContext = StepContext & {
  /** Every `ctx.emit(data)`, in order (unless `emit` was overridden). */
  readonly progress: unknown[];
  /** Every `ctx.reportUsage(usage)`, in order (unless `reportUsage` was overridden). */
  readonly usage: TokenUsage[];
};

/**
 * A hand-made `StepContext` for unit-testing an agent or step function without a supervisor:
 * run `run-1`, step `step-1`, attempt 1, a signal that never aborts, no upstream outputs, input
 * `undefined`, workflow `test@0`. `emit` and `reportUsage` record into `progress` and `usage`;
 * `waitFor` rejects with a `FatalError` naming the key (override it to give answers).
 *
 * `overrides` replace any field (pass `signal` to test cancellation, `traceContext` to test
 * propagation). `idempotencyKey` follows an overridden `runId`/`stepId` (`${runId}:${stepId}`,
 * as the supervisor builds it) unless given too.
 *
 * @example
 * const ctx = createTestStepContext();
 * await myAgent.invoke('question', ctx);
 * expect(ctx.progress).toContainEqual({ type: 'model-finish' });
 */
export function createTestStepContext(overrides: Partial<StepContext> = {}): TestStepContext {
  const progress: unknown[] = [];
  const usage: TokenUsage[] = [];
  const runId = overrides.runId ?? 'run-1';
  const stepId = overrides.stepId ?? 'step-1';
  return {
    runId,
    stepId,
    attempt: 1,
    signal: new AbortController().signal,
    idempotencyKey: `${runId}:${stepId}`,
    outputs: {},
    input: undefined,
    workflow: { name: 'test', version: '0', hash: 'x' },
    emit: (data) => progress.push(data),
    reportUsage: (value) => usage.push(value),
    waitFor: (key) =>
      Promise.reject(new FatalError(`createTestStepContext: no answer for wait '${key}' (pass waitFor in overrides)`)),
    progress,
    usage,
    ...overrides,
  };
}
