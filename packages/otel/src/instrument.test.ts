import { SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { createSupervisor, defineWorkflow, type Agent, type StepContext, type Supervisor } from '@baton/core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  ATTR_BATON_RUN_ID,
  ATTR_BATON_RUN_RESUMED,
  ATTR_BATON_RUN_STATUS,
  ATTR_BATON_RUN_STEP_COUNT,
  ATTR_BATON_STEP_ATTEMPT,
  ATTR_BATON_STEP_ID,
  ATTR_BATON_STEP_STATUS,
  ATTR_BATON_WORKFLOW_HASH,
  ATTR_BATON_WORKFLOW_VERSION,
  ATTR_GEN_AI_AGENT_ID,
  ATTR_GEN_AI_AGENT_NAME,
  ATTR_GEN_AI_OPERATION_NAME,
  ATTR_GEN_AI_PROVIDER_NAME,
  ATTR_GEN_AI_REQUEST_MODEL,
  ATTR_GEN_AI_TOKEN_TYPE,
  ATTR_GEN_AI_USAGE_INPUT_TOKENS,
  ATTR_GEN_AI_USAGE_OUTPUT_TOKENS,
  ATTR_GEN_AI_WORKFLOW_NAME,
  ATTR_BATON_CHECKPOINT_RECORD_TYPE,
  ATTR_BATON_BREAKER_KEY,
  ATTR_BATON_BREAKER_STATE,
  ATTR_BATON_AGENT_KEY,
  METRIC_CHECKPOINT_APPEND_DURATION,
  METRIC_GEN_AI_TOKEN_USAGE,
  METRIC_RUN_DURATION,
  METRIC_RUNS_ACTIVE,
  METRIC_STEP_DURATION,
  METRIC_BREAKER_STATE,
  METRIC_AGENT_HEALTH,
} from './attributes.js';
import { instrument, type Detach } from './instrument.js';
import { histogramCount, isChildOf, OtelHarness, point, useAsyncContext } from './test-harness.js';

let undoContext: () => void;
let otel: OtelHarness;
let detach: Detach | undefined;

beforeAll(() => {
  undoContext = useAsyncContext();
});
afterAll(() => undoContext());
beforeEach(() => {
  otel = new OtelHarness();
});
afterEach(async () => {
  detach?.();
  detach = undefined;
  await otel.shutdown();
});

function instrumented(supervisor: Supervisor = createSupervisor()): Supervisor {
  detach = instrument(supervisor, { tracerProvider: otel.tracerProvider, meterProvider: otel.meterProvider });
  return supervisor;
}

const writer: Agent<{ topic: string }, string> = {
  id: 'writer-1',
  name: 'Writer',
  provider: 'openai',
  async invoke(input, ctx: StepContext) {
    ctx.reportUsage({ inputTokens: 12, outputTokens: 30, model: 'gpt-test' });
    ctx.reportUsage({ inputTokens: 3, outputTokens: 5, model: 'gpt-test' });
    // A span made by user (or LangChain) code inside the step must nest under the step's span.
    await otel.tracerProvider.getTracer('user-code').startActiveSpan('user.work', async (span) => {
      await new Promise((resolve) => setImmediate(resolve));
      span.end();
    });
    return `draft about ${input.topic}`;
  },
};

const research = defineWorkflow({
  name: 'research',
  version: '1.0.0',
  steps: {
    plan: { run: (input: { topic: string }) => ({ topic: input.topic }) },
    write: { run: writer, needs: ['plan'] },
  },
});

describe('a successful run', () => {
  it('emits a workflow span with a child span per step, nesting user spans under the step', async () => {
    const supervisor = instrumented();
    const requestTracer = otel.tracerProvider.getTracer('http-server');
    const result = await requestTracer.startActiveSpan('POST /research', async (request) => {
      try {
        return await supervisor.run(research, { topic: 'otel' }, { runId: 'run-ok' });
      } finally {
        request.end();
      }
    });
    expect(result.status).toBe('succeeded');

    const request = otel.span('POST /research');
    const run = otel.span('invoke_workflow research');
    expect(isChildOf(run, request)).toBe(true);
    expect(run.kind).toBe(SpanKind.INTERNAL);
    expect(run.status.code).toBe(SpanStatusCode.UNSET);
    expect(run.attributes).toEqual({
      [ATTR_GEN_AI_OPERATION_NAME]: 'invoke_workflow',
      [ATTR_GEN_AI_WORKFLOW_NAME]: 'research',
      [ATTR_GEN_AI_AGENT_NAME]: 'research',
      [ATTR_BATON_WORKFLOW_VERSION]: '1.0.0',
      [ATTR_BATON_WORKFLOW_HASH]: research.hash,
      [ATTR_BATON_RUN_ID]: 'run-ok',
      [ATTR_BATON_RUN_RESUMED]: false,
      [ATTR_BATON_RUN_STEP_COUNT]: 2,
      [ATTR_BATON_RUN_STATUS]: 'succeeded',
    });

    const plan = otel.span('step plan');
    expect(isChildOf(plan, run)).toBe(true);
    expect(plan.attributes).toEqual({
      [ATTR_BATON_STEP_ID]: 'plan',
      [ATTR_BATON_STEP_ATTEMPT]: 1,
      [ATTR_BATON_RUN_ID]: 'run-ok',
      [ATTR_GEN_AI_WORKFLOW_NAME]: 'research',
      [ATTR_BATON_STEP_STATUS]: 'succeeded',
    });
    expect(plan.attributes[ATTR_GEN_AI_OPERATION_NAME]).toBeUndefined();

    const write = otel.span('invoke_agent Writer');
    expect(isChildOf(write, run)).toBe(true);
    expect(write.kind).toBe(SpanKind.INTERNAL);
    expect(write.status.code).toBe(SpanStatusCode.UNSET);
    expect(write.attributes).toMatchObject({
      [ATTR_GEN_AI_OPERATION_NAME]: 'invoke_agent',
      [ATTR_GEN_AI_AGENT_NAME]: 'Writer',
      [ATTR_GEN_AI_AGENT_ID]: 'writer-1',
      [ATTR_GEN_AI_PROVIDER_NAME]: 'openai',
      [ATTR_GEN_AI_REQUEST_MODEL]: 'gpt-test',
      [ATTR_GEN_AI_USAGE_INPUT_TOKENS]: 15,
      [ATTR_GEN_AI_USAGE_OUTPUT_TOKENS]: 35,
      [ATTR_BATON_STEP_ID]: 'write',
      [ATTR_BATON_STEP_ATTEMPT]: 1,
    });
    expect(isChildOf(otel.span('user.work'), write)).toBe(true);
    expect(otel.spans().every((span) => span.spanContext().traceId === request.spanContext().traceId)).toBe(true);
  });

  it('records run, step, checkpoint, token, breaker and health metrics with bounded attributes', async () => {
    const supervisor = instrumented();
    await supervisor.run(research, { topic: 'otel' }, { runId: 'run-metrics' });
    const metrics = await otel.metrics();

    const runDuration = metrics.get(METRIC_RUN_DURATION);
    expect(runDuration?.descriptor.unit).toBe('s');
    expect(
      histogramCount(runDuration, { [ATTR_GEN_AI_WORKFLOW_NAME]: 'research', [ATTR_BATON_RUN_STATUS]: 'succeeded' }),
    ).toBe(1);
    expect(
      histogramCount(metrics.get(METRIC_STEP_DURATION), {
        [ATTR_BATON_STEP_ID]: 'plan',
        [ATTR_BATON_STEP_STATUS]: 'succeeded',
      }),
    ).toBe(1);
    expect(
      histogramCount(metrics.get(METRIC_STEP_DURATION), {
        [ATTR_BATON_STEP_ID]: 'write',
        [ATTR_BATON_STEP_STATUS]: 'succeeded',
      }),
    ).toBe(1);
    expect(point<number>(metrics.get(METRIC_RUNS_ACTIVE), { [ATTR_GEN_AI_WORKFLOW_NAME]: 'research' })?.value).toBe(0);
    // run.started, two step records, run.finished
    expect(histogramCount(metrics.get(METRIC_CHECKPOINT_APPEND_DURATION))).toBe(4);
    expect(
      histogramCount(metrics.get(METRIC_CHECKPOINT_APPEND_DURATION), { [ATTR_BATON_CHECKPOINT_RECORD_TYPE]: 'step' }),
    ).toBe(2);

    const tokens = metrics.get(METRIC_GEN_AI_TOKEN_USAGE);
    expect(tokens?.descriptor.unit).toBe('{token}');
    const input = point<{ sum: number; count: number }>(tokens, { [ATTR_GEN_AI_TOKEN_TYPE]: 'input' });
    expect(input?.value).toMatchObject({ sum: 15, count: 2 });
    expect(input?.attributes).toEqual({
      [ATTR_GEN_AI_OPERATION_NAME]: 'invoke_agent',
      [ATTR_GEN_AI_PROVIDER_NAME]: 'openai',
      [ATTR_GEN_AI_REQUEST_MODEL]: 'gpt-test',
      [ATTR_GEN_AI_AGENT_NAME]: 'Writer',
      [ATTR_GEN_AI_TOKEN_TYPE]: 'input',
    });
    expect(point<{ sum: number }>(tokens, { [ATTR_GEN_AI_TOKEN_TYPE]: 'output' })?.value.sum).toBe(35);

    expect(
      point<number>(metrics.get(METRIC_BREAKER_STATE), {
        [ATTR_BATON_BREAKER_KEY]: 'writer-1',
        [ATTR_BATON_BREAKER_STATE]: 'closed',
      })?.value,
    ).toBe(1);
    expect(
      point<number>(metrics.get(METRIC_BREAKER_STATE), {
        [ATTR_BATON_BREAKER_KEY]: 'writer-1',
        [ATTR_BATON_BREAKER_STATE]: 'open',
      })?.value,
    ).toBe(0);
    expect(point<number>(metrics.get(METRIC_AGENT_HEALTH), { [ATTR_BATON_AGENT_KEY]: 'writer-1' })?.value).toBe(1);

    for (const metric of metrics.values()) {
      for (const dataPoint of metric.dataPoints) {
        expect(Object.keys(dataPoint.attributes)).not.toContain(ATTR_BATON_RUN_ID);
        expect(Object.values(dataPoint.attributes)).not.toContain('run-metrics');
      }
    }
  });

  it('keeps concurrent runs apart', async () => {
    const supervisor = instrumented();
    await Promise.all([
      supervisor.run(research, { topic: 'a' }, { runId: 'run-a' }),
      supervisor.run(research, { topic: 'b' }, { runId: 'run-b' }),
    ]);
    for (const runId of ['run-a', 'run-b']) {
      const run = otel.span('invoke_workflow research', (span) => span.attributes[ATTR_BATON_RUN_ID] === runId);
      const steps = otel
        .spans()
        .filter(
          (span) => span.attributes[ATTR_BATON_STEP_ID] !== undefined && span.attributes[ATTR_BATON_RUN_ID] === runId,
        );
      expect(steps.map((span) => span.name).sort()).toEqual(['invoke_agent Writer', 'step plan']);
      for (const step of steps) expect(isChildOf(step, run)).toBe(true);
    }
  });
});

describe('a remote (bridge) agent', () => {
  it('gets a CLIENT span, and the provider its worker reports with the usage on the span and token metric', async () => {
    const supervisor = instrumented();
    const bridged: Agent = {
      id: 'crew',
      remote: true,
      invoke: (_input, ctx) => {
        ctx.reportUsage({ inputTokens: 7, outputTokens: 2, model: 'gpt-4o-mini', provider: 'openai' });
        return 'done';
      },
    };
    const local: Agent = { id: 'local', invoke: () => 'ok' };
    await supervisor.run(
      defineWorkflow({ name: 'bridged', version: '1', steps: { crew: { run: bridged }, local: { run: local } } }),
      undefined,
    );
    const span = otel.span('invoke_agent crew');
    expect(span.kind).toBe(SpanKind.CLIENT);
    expect(span.attributes).toMatchObject({
      [ATTR_GEN_AI_PROVIDER_NAME]: 'openai',
      [ATTR_GEN_AI_REQUEST_MODEL]: 'gpt-4o-mini',
    });
    expect(otel.span('invoke_agent local').kind).toBe(SpanKind.INTERNAL);
    expect(otel.span('invoke_agent local').attributes).not.toHaveProperty(ATTR_GEN_AI_PROVIDER_NAME);
    const metrics = await otel.metrics();
    expect(
      histogramCount(metrics.get(METRIC_GEN_AI_TOKEN_USAGE), {
        [ATTR_GEN_AI_PROVIDER_NAME]: 'openai',
        [ATTR_GEN_AI_AGENT_NAME]: 'crew',
        [ATTR_GEN_AI_TOKEN_TYPE]: 'input',
      }),
    ).toBe(1);
  });
});

describe('detach', () => {
  it('stops emitting, removes the plugin, and is idempotent', async () => {
    const supervisor = instrumented();
    detach!();
    detach!();
    await supervisor.run(research, { topic: 'x' }, { runId: 'run-detached' });
    expect(otel.spans().filter((span) => span.instrumentationScope.name === '@baton/otel')).toEqual([]);
    const records = await supervisor.store.read('run-detached');
    expect(records[0]).not.toHaveProperty('meta');
  });

  it('works with the global (no-op) providers and stores no trace context then', async () => {
    const supervisor = createSupervisor();
    detach = instrument(supervisor);
    expect(trace.getTracerProvider()).toBeDefined();
    const result = await supervisor.run(research, { topic: 'x' }, { runId: 'run-noop' });
    expect(result.status).toBe('succeeded');
    const records = await supervisor.store.read('run-noop');
    expect(records[0]).not.toHaveProperty('meta');
  });
});
