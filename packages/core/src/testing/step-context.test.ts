import { describe, expect, it } from 'vitest';
import { createTestStepContext } from './step-context.js';

describe('createTestStepContext', () => {
  it('has test defaults and records what is emitted and reported', () => {
    const ctx = createTestStepContext();
    expect(ctx).toMatchObject({
      runId: 'run-1',
      stepId: 'step-1',
      attempt: 1,
      idempotencyKey: 'run-1:step-1',
      outputs: {},
      input: undefined,
    });
    expect(ctx.signal.aborted).toBe(false);
    expect(ctx.traceContext).toBeUndefined();
    ctx.emit({ type: 'token', text: 'a' });
    ctx.reportUsage({ inputTokens: 1, outputTokens: 2, totalTokens: 3 });
    expect(ctx.progress).toEqual([{ type: 'token', text: 'a' }]);
    expect(ctx.usage).toEqual([{ inputTokens: 1, outputTokens: 2, totalTokens: 3 }]);
  });

  it('lets overrides win, deriving the idempotency key from overridden ids unless given', () => {
    const controller = new AbortController();
    const emitted: unknown[] = [];
    const ctx = createTestStepContext({
      stepId: 'crew',
      signal: controller.signal,
      emit: (data) => emitted.push(data),
      traceContext: { traceparent: 'tp' },
    });
    expect(ctx).toMatchObject({
      runId: 'run-1',
      stepId: 'crew',
      idempotencyKey: 'run-1:crew',
      traceContext: { traceparent: 'tp' },
    });
    expect(ctx.signal).toBe(controller.signal);
    ctx.emit('x');
    expect(emitted).toEqual(['x']);
    expect(ctx.progress).toEqual([]);
    expect(createTestStepContext({ runId: 'r', idempotencyKey: 'custom' }).idempotencyKey).toBe('custom');
  });

  it('gives each context its own records', () => {
    const first = createTestStepContext();
    first.emit(1);
    expect(createTestStepContext().progress).toEqual([]);
  });
});
