import { createSupervisor, defineWorkflow } from '@baton/core';
import { describe, expect, it } from 'vitest';
import { useOtel } from './test-harness.js';

const harness = useOtel();

describe('trace context propagation to other processes', () => {
  it("gives each step attempt its own span's traceparent as ctx.traceContext", async () => {
    const seen: (Readonly<Record<string, string>> | undefined)[] = [];
    const workflow = defineWorkflow({
      name: 'prop',
      version: '1',
      steps: { call: { run: (_input: unknown, ctx) => (seen.push(ctx.traceContext), 'ok') } },
    });
    await harness.instrument(createSupervisor()).run(workflow);
    const step = harness.otel
      .spans()
      .find((span) => span.parentSpanContext?.spanId && span.name !== 'invoke_workflow prop')!;
    const { traceId, spanId } = step.spanContext();
    expect(seen).toEqual([{ traceparent: `00-${traceId}-${spanId}-01` }]);
  });

  it('leaves ctx.traceContext unset without instrumentation', async () => {
    let seen: unknown = 'unset';
    const workflow = defineWorkflow({
      name: 'plain',
      version: '1',
      steps: { call: { run: (_input: unknown, ctx) => ((seen = ctx.traceContext), 1) } },
    });
    await createSupervisor().run(workflow);
    expect(seen).toBeUndefined();
  });
});
