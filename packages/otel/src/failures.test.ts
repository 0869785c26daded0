import { SpanStatusCode } from '@opentelemetry/api';
import { createSupervisor, defineWorkflow, RetryableError, type Agent, type StepContext } from '@baton/core';
import { describe, expect, it, vi } from 'vitest';
import {
  ATTR_BATON_BREAKER_CONSECUTIVE_FAILURES,
  ATTR_BATON_BREAKER_FROM,
  ATTR_BATON_BREAKER_KEY,
  ATTR_BATON_BREAKER_STATE,
  ATTR_BATON_ERROR_KIND,
  ATTR_BATON_LINK_TYPE,
  ATTR_BATON_RETRY_DELAY_MS,
  ATTR_BATON_RETRY_NEXT_ATTEMPT,
  ATTR_BATON_RUN_FAILED_STEP,
  ATTR_BATON_RUN_STATUS,
  ATTR_BATON_STEP_ATTEMPT,
  ATTR_BATON_STEP_ID,
  ATTR_BATON_STEP_STATUS,
  ATTR_BATON_STEP_TIMEOUT_MS,
  ATTR_BATON_RUN_ID,
  ATTR_ERROR_TYPE,
  ATTR_GEN_AI_AGENT_ID,
  ATTR_GEN_AI_WORKFLOW_NAME,
  EVENT_BREAKER_HALF_OPENED,
  EVENT_BREAKER_OPENED,
  EVENT_BREAKER_REFUSED,
  EVENT_STEP_CANCELLED,
  EVENT_STEP_RETRY,
  EVENT_STEP_TIMEOUT,
  METRIC_BREAKER_REFUSALS,
  METRIC_BREAKER_STATE,
  METRIC_BREAKER_TRIPS,
  METRIC_RUN_DURATION,
  METRIC_RUNS_ACTIVE,
  METRIC_STEP_DURATION,
  METRIC_STEP_RETRIES,
} from './attributes.js';
import { histogramCount, isChildOf, point, useOtel } from './test-harness.js';

const harness = useOtel();

/** Runs `start` under fake timers, firing every timer until it settles. */
async function withFakeTimers<T>(start: () => Promise<T>): Promise<T> {
  vi.useFakeTimers();
  const pending = start();
  await vi.runAllTimersAsync();
  const result = await pending;
  vi.useRealTimers();
  return result;
}

const waitForAbort = (_input: unknown, ctx: StepContext): Promise<never> =>
  new Promise((_resolve, reject) =>
    ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason), { once: true }),
  );

describe('a retried step', () => {
  it('gets one span per attempt, each failed one with the error and the chosen delay, each retry linked to the attempt before', async () => {
    const supervisor = harness.instrument(createSupervisor());
    let calls = 0;
    const workflow = defineWorkflow({
      name: 'retrying',
      version: '1',
      steps: {
        fetch: {
          run: () => {
            calls++;
            if (calls < 3) throw new RetryableError(`flaky call ${calls}`);
            return 'ok';
          },
          retry: { maxAttempts: 3, initialDelayMs: 100, backoffFactor: 2, jitter: 'none' },
        },
      },
    });
    const result = await withFakeTimers(() => supervisor.run(workflow, undefined, { runId: 'run-retry' }));
    expect(result.status).toBe('succeeded');

    const { otel } = harness;
    const run = otel.span('invoke_workflow retrying');
    const attempts = [1, 2, 3].map((attempt) =>
      otel.span('step fetch', (span) => span.attributes[ATTR_BATON_STEP_ATTEMPT] === attempt),
    );
    for (const attempt of attempts) expect(isChildOf(attempt, run)).toBe(true);

    for (const [index, delay] of [
      [0, 100],
      [1, 200],
    ] as const) {
      const failed = attempts[index]!;
      expect(failed.status).toEqual({ code: SpanStatusCode.ERROR, message: `flaky call ${index + 1}` });
      expect(failed.attributes).toMatchObject({
        [ATTR_ERROR_TYPE]: 'BATON_RETRYABLE',
        [ATTR_BATON_ERROR_KIND]: 'retryable',
        [ATTR_BATON_STEP_STATUS]: 'retrying',
      });
      const retry = failed.events.find((event) => event.name === EVENT_STEP_RETRY);
      expect(retry?.attributes).toEqual({
        [ATTR_BATON_RETRY_DELAY_MS]: delay,
        [ATTR_BATON_RETRY_NEXT_ATTEMPT]: index + 2,
        [ATTR_BATON_ERROR_KIND]: 'retryable',
      });
      expect(failed.events.find((event) => event.name === 'exception')?.attributes).toMatchObject({
        'exception.type': 'RetryableError',
        'exception.message': `flaky call ${index + 1}`,
      });
    }
    expect(attempts[2]!.status.code).toBe(SpanStatusCode.UNSET);
    expect(attempts[0]!.links).toEqual([]);
    // toMatchObject: SDK 3 also records `droppedAttributesCount` on each link, which Baton does not set.
    for (const index of [1, 2]) {
      expect(attempts[index]!.links).toMatchObject([
        { context: attempts[index - 1]!.spanContext(), attributes: { [ATTR_BATON_LINK_TYPE]: 'previous_attempt' } },
      ]);
    }

    const metrics = await otel.metrics();
    expect(
      point<number>(metrics.get(METRIC_STEP_RETRIES), {
        [ATTR_GEN_AI_WORKFLOW_NAME]: 'retrying',
        [ATTR_BATON_STEP_ID]: 'fetch',
        [ATTR_BATON_ERROR_KIND]: 'retryable',
      })?.value,
    ).toBe(2);
    expect(
      histogramCount(metrics.get(METRIC_STEP_DURATION), {
        [ATTR_BATON_STEP_ID]: 'fetch',
        [ATTR_BATON_STEP_STATUS]: 'succeeded',
      }),
    ).toBe(1);
  });
});

describe('a circuit breaker trip', () => {
  it('marks the attempt that tripped it, records a refusal as a run event (no call span, no retry), the probe as half-opened, and counts each', async () => {
    const supervisor = harness.instrument(
      createSupervisor({ breaker: { consecutiveFailures: 2, halfOpenAfterMs: 1000 } }),
    );
    const search: Agent = {
      id: 'search-api',
      name: 'Search',
      invoke: () => Promise.reject(new RetryableError('search is down')),
    };
    const workflow = defineWorkflow({
      name: 'breaking',
      version: '1',
      steps: { search: { run: search, retry: { maxAttempts: 4, initialDelayMs: 10, jitter: 'none' } } },
    });
    const result = await withFakeTimers(() => supervisor.run(workflow, undefined, { runId: 'run-breaker' }));
    expect(result.status).toBe('failed');

    const { otel } = harness;
    const attempt = (n: number) =>
      otel.span('invoke_agent Search', (span) => span.attributes[ATTR_BATON_STEP_ATTEMPT] === n);
    const names = (n: number) => attempt(n).events.map((event) => event.name);
    expect(names(1)).not.toContain(EVENT_BREAKER_OPENED);
    const opened = attempt(2).events.find((event) => event.name === EVENT_BREAKER_OPENED);
    expect(opened?.attributes).toMatchObject({
      [ATTR_BATON_BREAKER_KEY]: 'search-api',
      [ATTR_BATON_BREAKER_FROM]: 'closed',
      [ATTR_BATON_BREAKER_CONSECUTIVE_FAILURES]: 2,
    });
    // The third attempt never reached the agent: the open breaker refused it. No call span, an event on the run.
    expect(otel.spans().filter((span) => span.attributes[ATTR_BATON_STEP_ATTEMPT] === 3)).toEqual([]);
    const run = otel.span('invoke_workflow breaking');
    const refusals = run.events.filter((event) => event.name === EVENT_BREAKER_REFUSED);
    expect(refusals.map((event) => event.attributes)).toEqual([
      {
        [ATTR_BATON_STEP_ID]: 'search',
        [ATTR_BATON_STEP_ATTEMPT]: 3,
        [ATTR_GEN_AI_AGENT_ID]: 'search-api',
        [ATTR_BATON_BREAKER_KEY]: 'search-api',
        [ATTR_BATON_BREAKER_STATE]: 'open',
        [ATTR_BATON_RETRY_DELAY_MS]: 980,
      },
    ]);
    // The fourth attempt is the half-open probe: it carries the transition, fails, and reopens the breaker.
    expect(names(4)).toEqual(expect.arrayContaining([EVENT_BREAKER_HALF_OPENED, EVENT_BREAKER_OPENED]));
    expect(attempt(4).events.find((event) => event.name === EVENT_BREAKER_HALF_OPENED)?.attributes).toMatchObject({
      [ATTR_BATON_BREAKER_KEY]: 'search-api',
      [ATTR_BATON_BREAKER_FROM]: 'open',
    });
    expect(attempt(4).attributes).toMatchObject({
      [ATTR_ERROR_TYPE]: 'BATON_RETRYABLE',
      [ATTR_BATON_STEP_STATUS]: 'failed',
    });
    expect(run.status.code).toBe(SpanStatusCode.ERROR);
    expect(run.attributes).toMatchObject({
      [ATTR_BATON_RUN_STATUS]: 'failed',
      [ATTR_BATON_RUN_FAILED_STEP]: 'search',
      [ATTR_ERROR_TYPE]: 'BATON_RETRYABLE',
    });

    const metrics = await otel.metrics();
    expect(point<number>(metrics.get(METRIC_BREAKER_TRIPS), { [ATTR_BATON_BREAKER_KEY]: 'search-api' })?.value).toBe(2);
    expect(
      point<number>(metrics.get(METRIC_BREAKER_REFUSALS), {
        [ATTR_GEN_AI_WORKFLOW_NAME]: 'breaking',
        [ATTR_BATON_STEP_ID]: 'search',
        [ATTR_BATON_BREAKER_KEY]: 'search-api',
        [ATTR_BATON_BREAKER_STATE]: 'open',
      })?.value,
    ).toBe(1);
    // Attempts 1 and 2 were retried; the refusal of attempt 3 is not a retry.
    const retries = metrics.get(METRIC_STEP_RETRIES)?.dataPoints ?? [];
    expect(retries.reduce((sum, dataPoint) => sum + (dataPoint.value as number), 0)).toBe(2);
    const state = (value: string) =>
      point<number>(metrics.get(METRIC_BREAKER_STATE), {
        [ATTR_BATON_BREAKER_KEY]: 'search-api',
        [ATTR_BATON_BREAKER_STATE]: value,
      })?.value;
    expect([state('open'), state('closed'), state('half_open')]).toEqual([1, 0, 0]);
    expect(
      histogramCount(metrics.get(METRIC_RUN_DURATION), {
        [ATTR_BATON_RUN_STATUS]: 'failed',
        [ATTR_ERROR_TYPE]: 'BATON_RETRYABLE',
      }),
    ).toBe(1);
    expect(point<number>(metrics.get(METRIC_RUNS_ACTIVE), { [ATTR_GEN_AI_WORKFLOW_NAME]: 'breaking' })?.value).toBe(0);
  });

  it('records a refusal that ends the step as a run event, with the step failed and no call span', async () => {
    const supervisor = harness.instrument(
      createSupervisor({ breaker: { consecutiveFailures: 1, halfOpenAfterMs: 60_000 } }),
    );
    const search: Agent = { id: 'search-api', invoke: () => Promise.reject(new RetryableError('down')) };
    const workflow = defineWorkflow({
      name: 'refused',
      version: '1',
      steps: { search: { run: search, retry: { maxAttempts: 1 } } },
    });
    await supervisor.run(workflow, undefined, { runId: 'trip' });
    const result = await supervisor.run(workflow, undefined, { runId: 'refused' });
    expect(result.error).toMatchObject({ code: 'BATON_CIRCUIT_OPEN' });
    const { otel } = harness;
    const calls = otel.spans().filter((span) => span.name === 'invoke_agent search-api');
    expect(calls.map((span) => span.attributes[ATTR_BATON_RUN_ID])).toEqual(['trip']);
    const run = otel.span('invoke_workflow refused', (span) => span.attributes[ATTR_BATON_RUN_ID] === 'refused');
    expect(run.events.find((event) => event.name === EVENT_BREAKER_REFUSED)?.attributes).toEqual({
      [ATTR_BATON_STEP_ID]: 'search',
      [ATTR_BATON_STEP_ATTEMPT]: 1,
      [ATTR_GEN_AI_AGENT_ID]: 'search-api',
      [ATTR_BATON_BREAKER_KEY]: 'search-api',
      [ATTR_BATON_BREAKER_STATE]: 'open',
    });
    const metrics = await otel.metrics();
    expect(metrics.get(METRIC_STEP_RETRIES)).toBeUndefined();
    expect(
      histogramCount(metrics.get(METRIC_STEP_DURATION), {
        [ATTR_BATON_STEP_STATUS]: 'failed',
        [ATTR_ERROR_TYPE]: 'BATON_CIRCUIT_OPEN',
      }),
    ).toBe(1);
  });
});

describe('timeouts and cancellation', () => {
  it('records a step timeout as an event and a timed_out, failed span', async () => {
    const supervisor = harness.instrument(createSupervisor());
    const workflow = defineWorkflow({
      name: 'slow',
      version: '1',
      steps: { wait: { run: waitForAbort, timeoutMs: 50, retry: { maxAttempts: 1 } } },
    });
    const result = await withFakeTimers(() => supervisor.run(workflow, undefined, { runId: 'run-step-timeout' }));
    expect(result.status).toBe('failed');

    const step = harness.otel.span('step wait');
    expect(step.events.find((event) => event.name === EVENT_STEP_TIMEOUT)?.attributes).toEqual({
      [ATTR_BATON_STEP_TIMEOUT_MS]: 50,
    });
    expect(step.attributes).toMatchObject({
      [ATTR_ERROR_TYPE]: 'BATON_STEP_TIMEOUT',
      [ATTR_BATON_STEP_STATUS]: 'timed_out',
      [ATTR_BATON_ERROR_KIND]: 'timeout',
    });
    expect(step.status).toEqual({ code: SpanStatusCode.ERROR, message: "Step 'wait' timed out after 50 ms" });
    const metrics = await harness.otel.metrics();
    expect(
      histogramCount(metrics.get(METRIC_STEP_DURATION), {
        [ATTR_BATON_STEP_ID]: 'wait',
        [ATTR_BATON_STEP_STATUS]: 'timed_out',
        [ATTR_ERROR_TYPE]: 'BATON_STEP_TIMEOUT',
      }),
    ).toBe(1);
  });

  it('records the run deadline as a timed_out run whose running step is timed_out, as in the run result', async () => {
    const supervisor = harness.instrument(createSupervisor());
    const workflow = defineWorkflow({ name: 'deadline', version: '1', steps: { wait: { run: waitForAbort } } });
    const result = await withFakeTimers(() =>
      supervisor.run(workflow, undefined, { runId: 'run-deadline', timeoutMs: 30 }),
    );
    expect(result.status).toBe('timed_out');

    const run = harness.otel.span('invoke_workflow deadline');
    expect(run.attributes).toMatchObject({
      [ATTR_BATON_RUN_STATUS]: 'timed_out',
      [ATTR_ERROR_TYPE]: 'BATON_RUN_TIMEOUT',
    });
    expect(run.status.code).toBe(SpanStatusCode.ERROR);
    const step = harness.otel.span('step wait');
    expect(isChildOf(step, run)).toBe(true);
    expect(step.events.find((event) => event.name === EVENT_STEP_CANCELLED)?.attributes).toEqual({
      [ATTR_ERROR_TYPE]: 'BATON_RUN_TIMEOUT',
    });
    expect(result.steps.wait?.status).toBe('timed_out');
    expect(step.attributes).toMatchObject({
      [ATTR_BATON_STEP_STATUS]: 'timed_out',
      [ATTR_BATON_ERROR_KIND]: 'timeout',
    });
  });

  it('records a caller cancellation', async () => {
    const supervisor = harness.instrument(createSupervisor());
    const workflow = defineWorkflow({ name: 'cancellable', version: '1', steps: { wait: { run: waitForAbort } } });
    const controller = new AbortController();
    const pending = supervisor.run(workflow, undefined, { runId: 'run-cancel', signal: controller.signal });
    await new Promise((resolve) => setImmediate(resolve));
    controller.abort(new Error('user pressed stop'));
    expect((await pending).status).toBe('cancelled');

    const run = harness.otel.span('invoke_workflow cancellable');
    expect(run.attributes).toMatchObject({
      [ATTR_BATON_RUN_STATUS]: 'cancelled',
      [ATTR_ERROR_TYPE]: 'BATON_CANCELLED',
    });
    const step = harness.otel.span('step wait');
    expect(step.events.map((event) => event.name)).toContain(EVENT_STEP_CANCELLED);
    expect(step.attributes[ATTR_ERROR_TYPE]).toBe('BATON_CANCELLED');
  });
});
