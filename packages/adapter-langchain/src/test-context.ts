import type { StepContext, TokenUsage } from '@baton/core';

/** A hand-made `StepContext` for unit tests that records what the adapter emits. */
export function testContext(overrides: Partial<StepContext> = {}): StepContext & { progress: unknown[]; usage: TokenUsage[] } {
  const progress: unknown[] = [];
  const usage: TokenUsage[] = [];
  return {
    runId: 'run-1', stepId: 'step-1', attempt: 1, signal: new AbortController().signal,
    idempotencyKey: 'run-1:step-1', outputs: {}, input: undefined,
    workflow: { name: 'test', version: '0', hash: 'x' },
    emit: (data) => progress.push(data),
    reportUsage: (value) => usage.push(value),
    progress, usage,
    ...overrides,
  };
}
