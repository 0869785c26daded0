// The per-step shortcuts of issue 21 (latest-attempt lookup, nested metric attribute caches, the carrier
// written in place, no checkpoint.appended listener without metrics) must record exactly what the general
// path records: these tests pin the cases where a shortcut would give a wrong answer.
import { createTraceState, TraceFlags, trace, type SpanContext } from '@opentelemetry/api';
import { createSupervisor, defineWorkflow, type StepContext, type SupervisorEventType } from '@baton/core';
import { describe, expect, it } from 'vitest';
import {
  ATTR_BATON_STEP_ID,
  ATTR_BATON_STEP_STATUS,
  ATTR_GEN_AI_WORKFLOW_NAME,
  METRIC_STEP_DURATION,
} from './attributes.js';
import { instrument } from './instrument.js';
import { histogramCount, isChildOf, useOtel } from './test-harness.js';
import { assignStoredTraceContext, toStoredTraceContext } from './trace-context.js';

const harness = useOtel();

/** A promise and its resolver, to finish concurrent steps in a chosen order. */
function gate(): { promise: Promise<void>; open: () => void } {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { promise, open };
}

describe('concurrent attempts of one run', () => {
  it('end their own spans, in their own context, when they finish out of their start order', async () => {
    const gates = { a: gate(), b: gate(), c: gate() };
    const seen: Record<string, unknown> = {};
    const branch = (id: 'a' | 'b' | 'c') => ({
      needs: ['start'],
      run: async (_input: unknown, ctx: StepContext) => {
        await gates[id].promise;
        // User code after an await: the attempt's context must still be the one the step runs in.
        const user = harness.otel.tracerProvider.getTracer('user').startSpan(`user ${id}`);
        seen[id] = ctx.traceContext;
        user.end();
        return id;
      },
    });
    const workflow = defineWorkflow({
      name: 'fan',
      version: '1',
      steps: { start: { run: () => 0 }, a: branch('a'), b: branch('b'), c: branch('c') },
    });
    const running = harness.instrument(createSupervisor()).run(workflow);
    // Let all three start (the latest attempt is then c), then finish them a (while c is the latest), c, b.
    await new Promise((resolve) => setImmediate(resolve));
    for (const id of ['a', 'c', 'b'] as const) {
      gates[id].open();
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect((await running).status).toBe('succeeded');
    const run = harness.otel.span('invoke_workflow fan');
    for (const id of ['a', 'b', 'c']) {
      const step = harness.otel.span(`step ${id}`);
      expect(step.attributes[ATTR_BATON_STEP_ID]).toBe(id);
      expect(step.attributes[ATTR_BATON_STEP_STATUS]).toBe('succeeded');
      expect(isChildOf(step, run)).toBe(true);
      expect(isChildOf(harness.otel.span(`user ${id}`), step)).toBe(true);
      expect(seen[id]).toEqual({
        traceparent: `00-${step.spanContext().traceId}-${step.spanContext().spanId}-01`,
      });
    }
  });
});

describe('step duration series', () => {
  it('keep workflows that share step ids apart', async () => {
    const supervisor = harness.instrument(createSupervisor());
    for (const name of ['first', 'second'])
      await supervisor.run(defineWorkflow({ name, version: '1', steps: { same: { run: () => 1 } } }));
    const duration = (await harness.otel.metrics()).get(METRIC_STEP_DURATION);
    for (const name of ['first', 'second'])
      expect(histogramCount(duration, { [ATTR_GEN_AI_WORKFLOW_NAME]: name, [ATTR_BATON_STEP_ID]: 'same' })).toBe(1);
    expect(histogramCount(duration)).toBe(2);
  });
});

describe('subscriptions', () => {
  function subscribedTypes(metrics: boolean): SupervisorEventType[] {
    const types: SupervisorEventType[] = [];
    const detach = instrument(
      {
        on: ((type: SupervisorEventType) => {
          types.push(type);
          return () => {};
        }) as never,
        use: () => () => {},
      },
      { tracerProvider: harness.otel.tracerProvider, meterProvider: harness.otel.meterProvider, metrics },
    );
    detach();
    return types;
  }

  it('listen to checkpoint.appended only when recording metrics (it feeds a metric and nothing else)', () => {
    expect(subscribedTypes(true)).toContain('checkpoint.appended');
    const tracesOnly = subscribedTypes(false);
    expect(tracesOnly).not.toContain('checkpoint.appended');
    expect(tracesOnly).toEqual(expect.arrayContaining(['run.started', 'step.started', 'step.succeeded']));
  });
});

describe('assignStoredTraceContext', () => {
  const ids = { traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331' };
  const cases: [string, SpanContext][] = [
    ['sampled', { ...ids, traceFlags: TraceFlags.SAMPLED }],
    ['not sampled', { ...ids, traceFlags: TraceFlags.NONE }],
    ['other flag bits', { ...ids, traceFlags: 0x03 }],
    ['with tracestate', { ...ids, traceFlags: TraceFlags.SAMPLED, traceState: createTraceState('vendor=value') }],
    [
      'invalid',
      trace.wrapSpanContext({ traceId: '0'.repeat(32), spanId: '0'.repeat(16), traceFlags: 0 }).spanContext(),
    ],
  ];

  it.each(cases)('writes what toStoredTraceContext returns (%s)', (_label, spanContext) => {
    const target: Record<string, string> = { kept: 'yes' };
    assignStoredTraceContext(target, spanContext);
    expect(target).toEqual({ kept: 'yes', ...toStoredTraceContext(spanContext) });
  });

  it('formats the flags as two hex digits', () => {
    const target: Record<string, string> = {};
    assignStoredTraceContext(target, { ...ids, traceFlags: 0x03 });
    expect(target.traceparent).toBe(`00-${ids.traceId}-${ids.spanId}-03`);
  });
});
