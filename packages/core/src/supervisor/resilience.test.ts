import { getEventListeners } from 'node:events';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FatalError, RetryAfterExceededError, RetryableError } from '../errors/errors.js';
import type { SupervisorEvent } from '../events/types.js';
import { defineWorkflow } from '../workflow/define-workflow.js';
import type { Agent, StepContext, StepDefinition } from '../workflow/types.js';
import { createSupervisor } from './supervisor.js';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

function collect(supervisor: ReturnType<typeof createSupervisor>) {
  const events: SupervisorEvent[] = [];
  supervisor.on('*', (event) => events.push(event));
  return events;
}
const ofType = <T extends SupervisorEvent['type']>(events: SupervisorEvent[], type: T) =>
  events.filter((event) => event.type === type) as Extract<SupervisorEvent, { type: T }>[];
const single = (step: StepDefinition, extra = {}) =>
  defineWorkflow({ name: 'r', version: '1', steps: { s: step }, ...extra });
const failing = (errors: unknown[], value = 'ok') =>
  vi.fn(async () => {
    const error = errors.shift();
    if (error) throw error;
    return value;
  });

describe('retries', () => {
  it('waits exactly initialDelayMs × factor^(n−1) between attempts', async () => {
    const run = failing([new RetryableError('a'), new RetryableError('b')]);
    const supervisor = createSupervisor();
    const events = collect(supervisor);
    const done = supervisor.run(single({ run, retry: { jitter: 'none' } }));
    await vi.advanceTimersByTimeAsync(199);
    expect(run).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(run).toHaveBeenCalledTimes(2);
    await vi.advanceTimersByTimeAsync(399);
    expect(run).toHaveBeenCalledTimes(2);
    await vi.advanceTimersByTimeAsync(1);
    expect((await done).steps.s).toMatchObject({ status: 'succeeded', attempts: 3 });
    expect(
      ofType(events, 'step.retrying').map((event) => [
        event.attempt,
        event.delayMs,
        event.classification.kind,
        event.error.message,
      ]),
    ).toEqual([
      [1, 200, 'retryable', 'a'],
      [2, 400, 'retryable', 'b'],
    ]);
  });

  it('uses the injected random source for jitter and caps every delay', async () => {
    const run = failing(Array.from({ length: 5 }, () => new RetryableError('x')));
    const supervisor = createSupervisor({ random: () => 0.5 });
    const events = collect(supervisor);
    const done = supervisor.run(
      single({ run, retry: { maxAttempts: 6, initialDelayMs: 1000, maxDelayMs: 3000, jitter: 'equal' } }),
    );
    await vi.runAllTimersAsync();
    await done;
    expect(ofType(events, 'step.retrying').map((event) => event.delayMs)).toEqual([750, 1500, 2250, 2250, 2250]);
  });

  it('honours Retry-After from a 429 in full, beyond maxDelayMs (up to maxRetryAfterMs, 5 minutes by default)', async () => {
    const limited = () => Object.assign(new Error('slow down'), { status: 429, headers: { 'retry-after': '60' } });
    const run = failing([limited(), limited()]);
    const supervisor = createSupervisor();
    const events = collect(supervisor);
    const done = supervisor.run(single({ run }));
    await vi.advanceTimersByTimeAsync(59_999);
    expect(run).toHaveBeenCalledTimes(1); // not retried inside the server's window (the old cap was maxDelayMs, 30 s)
    await vi.runAllTimersAsync();
    expect((await done).status).toBe('succeeded');
    expect(ofType(events, 'step.retrying').map((event) => [event.classification, event.delayMs])).toEqual([
      [{ kind: 'rate_limited', retryAfterMs: 60_000 }, 60_000],
      [{ kind: 'rate_limited', retryAfterMs: 60_000 }, 60_000],
    ]);
  });

  it('fails with RetryAfterExceededError (rate_limited) instead of retrying early when Retry-After exceeds maxRetryAfterMs', async () => {
    const limited = Object.assign(new Error('quota exhausted'), { status: 429, headers: { 'retry-after': '600' } });
    const run = failing([limited]);
    const supervisor = createSupervisor();
    const events = collect(supervisor);
    const result = await supervisor.run(single({ run }));
    expect(run).toHaveBeenCalledTimes(1);
    expect(result).toMatchObject({
      status: 'failed',
      failedStep: 's',
      steps: {
        s: { status: 'failed', attempts: 1, error: { kind: 'rate_limited', code: 'BATON_RETRY_AFTER_EXCEEDED' } },
      },
    });
    expect(result.error).toBeInstanceOf(RetryAfterExceededError);
    expect(result.error).toMatchObject({
      code: 'BATON_RETRY_AFTER_EXCEEDED',
      retryAfterMs: 600_000,
      limit: 'maxRetryAfterMs',
      limitMs: 300_000,
      cause: limited,
      message:
        "Step 's' was asked to wait 600000 ms before retrying, beyond retry.maxRetryAfterMs (300000 ms); not retrying early",
    });
    expect(ofType(events, 'step.failed').map((event) => event.classification)).toEqual([
      { kind: 'rate_limited', retryAfterMs: 600_000 },
    ]);
    expect(ofType(events, 'step.retrying')).toHaveLength(0);
  });

  it('fails with RetryAfterExceededError when the requested wait would end past the run deadline', async () => {
    const limited = Object.assign(new Error('slow down'), { status: 429, headers: { 'retry-after': '20' } });
    const done = createSupervisor().run(single({ run: failing([limited]) }), undefined, { timeoutMs: 10_000 });
    await vi.advanceTimersByTimeAsync(0);
    const result = await done;
    expect(result).toMatchObject({
      status: 'failed',
      steps: { s: { status: 'failed', error: { kind: 'rate_limited' } } },
    });
    expect(result.error).toMatchObject({
      code: 'BATON_RETRY_AFTER_EXCEEDED',
      limit: 'deadline',
      limitMs: 10_000,
      retryAfterMs: 20_000,
    });
    expect(vi.getTimerCount()).toBe(0);
  });

  it('does not retry fatal errors', async () => {
    const run = failing([new FatalError('invalid prompt'), new FatalError('x')]);
    const result = await createSupervisor().run(single({ run }));
    expect(result).toMatchObject({
      status: 'failed',
      failedStep: 's',
      steps: { s: { status: 'failed', attempts: 1 } },
    });
    expect(run).toHaveBeenCalledTimes(1);
  });

  it('never sleeps past the run deadline: a retry that cannot start in time is not scheduled', async () => {
    const run = failing([new RetryableError('a'), new RetryableError('b'), new RetryableError('c')]);
    const supervisor = createSupervisor();
    const events = collect(supervisor);
    const done = supervisor.run(
      single({ run, retry: { jitter: 'none', maxAttempts: 5, initialDelayMs: 400 } }),
      undefined,
      { timeoutMs: 1000 },
    );
    await vi.advanceTimersByTimeAsync(400);
    const result = await done;
    expect(run).toHaveBeenCalledTimes(2); // the next wait (800 ms) would end past the 1000 ms deadline
    expect(result).toMatchObject({ status: 'failed', steps: { s: { status: 'failed', attempts: 2 } } });
    expect(result.error?.message).toBe('b');
    expect(ofType(events, 'step.retrying')).toHaveLength(1);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('bounds retries by maxElapsedMs', async () => {
    const run = failing(Array.from({ length: 10 }, () => new RetryableError('x')));
    const done = createSupervisor().run(
      single({ run, retry: { jitter: 'none', maxAttempts: 10, initialDelayMs: 100, maxElapsedMs: 350 } }),
    );
    await vi.runAllTimersAsync();
    await done;
    expect(run).toHaveBeenCalledTimes(3); // starts at 0, 100, 300; the next would be at 700
  });
});

describe('timeouts and cancellation', () => {
  const ignoresSignal = () => new Promise(() => {});

  it('times out each attempt of a step that ignores its signal, and fails the run with the step timed_out', async () => {
    const supervisor = createSupervisor();
    const events = collect(supervisor);
    const done = supervisor.run(
      single({ run: ignoresSignal, timeoutMs: 100, retry: { maxAttempts: 2, jitter: 'none', initialDelayMs: 10 } }),
    );
    await vi.advanceTimersByTimeAsync(210);
    const result = await done;
    expect(result).toMatchObject({
      status: 'failed',
      failedStep: 's',
      steps: { s: { status: 'timed_out', attempts: 2 } },
    });
    expect(result.error).toMatchObject({ code: 'BATON_STEP_TIMEOUT', message: "Step 's' timed out after 100 ms" });
    expect(ofType(events, 'step.timed_out').map((event) => event.attempt)).toEqual([1, 2]);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('ends the run at its deadline even when a step ignores its signal; the step.cancelled event says timed_out too', async () => {
    const supervisor = createSupervisor();
    const events = collect(supervisor);
    const done = supervisor.run(single({ run: ignoresSignal }), undefined, { timeoutMs: 500 });
    await vi.advanceTimersByTimeAsync(500);
    const result = await done;
    expect(result).toMatchObject({ status: 'timed_out', failedStep: 's', steps: { s: { status: 'timed_out' } } });
    expect(result.error).toMatchObject({ code: 'BATON_RUN_TIMEOUT' });
    expect(ofType(events, 'step.cancelled').map((event) => [event.stepId, event.status, event.reason.code])).toEqual([
      ['s', 'timed_out', 'BATON_RUN_TIMEOUT'],
    ]);
  });

  it('cancels through the caller signal and never retries a cancellation', async () => {
    const controller = new AbortController();
    let stepSignal: AbortSignal | undefined;
    const run = vi.fn((_input: unknown, ctx: StepContext) => {
      stepSignal = ctx.signal;
      return new Promise(() => {});
    });
    const done = createSupervisor().run(single({ run }), undefined, { signal: controller.signal });
    await vi.advanceTimersByTimeAsync(10);
    controller.abort(new Error('user pressed stop'));
    const result = await done;
    expect(result).toMatchObject({
      status: 'cancelled',
      failedStep: 's',
      steps: { s: { status: 'cancelled', attempts: 1 } },
    });
    expect(result.error).toMatchObject({ code: 'BATON_CANCELLED', cause: new Error('user pressed stop') });
    expect(stepSignal?.aborted).toBe(true);
    expect(run).toHaveBeenCalledTimes(1);
  });

  it('leaves no timer or listener behind after many cancelled and timed-out runs', async () => {
    const supervisor = createSupervisor();
    const signals: AbortSignal[] = [];
    const stepSignals: AbortSignal[] = [];
    const workflow = defineWorkflow({
      name: 'leak',
      version: '1',
      timeoutMs: 60_000,
      steps: {
        a: {
          run: (_i: unknown, ctx: StepContext) => (stepSignals.push(ctx.signal), new Promise(() => {})),
          timeoutMs: 30_000,
          retry: { maxAttempts: 3 },
        },
        b: { run: (_i: unknown, ctx: StepContext) => (stepSignals.push(ctx.signal), new Promise(() => {})) },
      },
    });
    const runs = Array.from({ length: 200 }, (_, i) => {
      const controller = new AbortController();
      signals.push(controller.signal);
      const done = supervisor.run(workflow, i, { signal: controller.signal, ...(i % 2 ? { timeoutMs: 50 } : {}) });
      return { controller, done };
    });
    await vi.advanceTimersByTimeAsync(10);
    runs.forEach((run, i) => {
      if (i % 2 === 0) run.controller.abort();
    });
    await vi.advanceTimersByTimeAsync(100);
    const results = await Promise.all(runs.map((run) => run.done));
    expect(new Set(results.map((result) => result.status))).toEqual(new Set(['cancelled', 'timed_out']));
    expect(vi.getTimerCount()).toBe(0);
    for (const signal of [...signals, ...stepSignals]) expect(getEventListeners(signal, 'abort')).toHaveLength(0);
  });
  it('leaves no listener on the run signal after successful runs that retried and waited', async () => {
    const runSignals: AbortSignal[] = [];
    let calls = 0;
    const workflow = defineWorkflow({
      name: 'leak-ok',
      version: '1',
      steps: {
        a: {
          run: (_i: unknown, ctx: StepContext) => {
            runSignals.push(ctx.signal);
            if (calls++ % 2 === 0) throw new RetryableError('once');
            return 1;
          },
          retry: { initialDelayMs: 5 },
        },
      },
    });
    const supervisor = createSupervisor();
    for (let i = 0; i < 20; i++) {
      const done = supervisor.run(workflow);
      await vi.advanceTimersByTimeAsync(10);
      expect((await done).status).toBe('succeeded');
    }
    expect(vi.getTimerCount()).toBe(0);
    for (const signal of runSignals) expect(getEventListeners(signal, 'abort')).toHaveLength(0);
  });
});

describe('circuit breakers in the supervisor', () => {
  const flaky = (errors: unknown[]): Agent & { calls: number } => {
    const agent = {
      id: 'llm',
      calls: 0,
      async invoke() {
        agent.calls++;
        const error = errors.shift();
        if (error) throw error;
        return 'ok';
      },
    };
    return agent;
  };

  it('opens after consecutive classified failures shared across runs, fails fast, then probes and closes', async () => {
    const agent = flaky(Array.from({ length: 5 }, () => new RetryableError('503')));
    const supervisor = createSupervisor({ breaker: { halfOpenAfterMs: 10_000 } });
    const events = collect(supervisor);
    const workflow = single({ run: agent, retry: { maxAttempts: 1 } });
    for (let i = 0; i < 5; i++) await supervisor.run(workflow);
    expect(ofType(events, 'breaker.opened')).toEqual([
      expect.objectContaining({ key: 'llm', from: 'closed', reason: '5 consecutive failures' }),
    ]);
    const refused = await supervisor.run(workflow);
    expect(refused.error).toMatchObject({ code: 'BATON_CIRCUIT_OPEN' });
    expect(agent.calls).toBe(5);
    // Only the refused attempt says so: the calls that failed carry no `refused`.
    expect(ofType(events, 'step.failed').map((event) => event.refused)).toEqual([
      ...Array.from({ length: 5 }, () => undefined),
      { key: 'llm', state: 'open' },
    ]);
    expect(supervisor.health().llm).toMatchObject({ score: 0, status: 'unhealthy', breaker: { state: 'open' } });
    vi.advanceTimersByTime(10_000);
    expect((await supervisor.run(workflow)).status).toBe('succeeded');
    expect(ofType(events, 'breaker.half_opened')).toHaveLength(1);
    expect(ofType(events, 'breaker.closed')).toHaveLength(1);
  });

  it('does not count fatal errors or cancellations', async () => {
    const agent = flaky(Array.from({ length: 10 }, () => new FatalError('bad request')));
    const supervisor = createSupervisor({ breaker: { consecutiveFailures: 2 } });
    const events = collect(supervisor);
    for (let i = 0; i < 4; i++) await supervisor.run(single({ run: agent }));
    expect(ofType(events, 'breaker.opened')).toHaveLength(0);
  });

  it('a step refused by a half-open breaker waits instead of burning its attempts at 0 ms while the probe is in flight', async () => {
    let calls = 0;
    const agent: Agent = {
      id: 'llm',
      invoke: async () => {
        if (calls++ === 0) throw new RetryableError('503');
        await new Promise((r) => setTimeout(r, 500));
        return 'ok';
      },
    };
    const supervisor = createSupervisor({ breaker: { consecutiveFailures: 1, halfOpenAfterMs: 1000 } });
    const events = collect(supervisor);
    const workflow = single({ run: agent, retry: { maxAttempts: 1 } });
    await supervisor.run(workflow); // opens the breaker
    vi.advanceTimersByTime(1000);
    const probe = supervisor.run(workflow);
    const concurrent = supervisor.run(single({ run: agent, retry: { maxAttempts: 3, jitter: 'none' } }));
    await vi.advanceTimersByTimeAsync(0);
    const refusals = ofType(events, 'step.retrying').filter((event) => event.error.code === 'BATON_CIRCUIT_OPEN');
    expect(refusals.map((event) => event.delayMs)).toEqual([1000]);
    expect(refusals.map((event) => event.refused)).toEqual([{ key: 'llm', state: 'half_open' }]);
    await vi.advanceTimersByTimeAsync(2000);
    expect((await probe).status).toBe('succeeded');
    expect(await concurrent).toMatchObject({ status: 'succeeded', steps: { s: { attempts: 2 } } });
  });

  it('waits out an open breaker within the retry budget (CircuitOpenError carries the remaining time)', async () => {
    const agent = flaky([new RetryableError('x')]);
    const supervisor = createSupervisor({ breaker: { consecutiveFailures: 1, halfOpenAfterMs: 2000 } });
    const events = collect(supervisor);
    const done = supervisor.run(single({ run: agent, retry: { jitter: 'none', initialDelayMs: 100, maxAttempts: 3 } }));
    await vi.runAllTimersAsync();
    expect((await done).status).toBe('succeeded');
    expect(
      ofType(events, 'step.retrying').map((event) => [event.error.code ?? event.error.name, event.delayMs]),
    ).toEqual([
      ['BATON_RETRYABLE', 100],
      ['BATON_CIRCUIT_OPEN', 1900],
    ]);
  });
});

describe('limits', () => {
  it('rejects at once with SupervisorOverloadedError beyond the run queue', async () => {
    const supervisor = createSupervisor({ maxConcurrentRuns: 1, maxQueuedRuns: 1 });
    const workflow = single({ run: () => new Promise((resolve) => setTimeout(resolve, 100, 'ok')) });
    const first = supervisor.run(workflow);
    const second = supervisor.run(workflow);
    await expect(supervisor.run(workflow)).rejects.toMatchObject({
      code: 'BATON_SUPERVISOR_OVERLOADED',
      message: 'Supervisor is overloaded: 1 runs active and 1 queued (maxQueuedRuns: 1)',
    });
    await vi.advanceTimersByTimeAsync(200);
    expect((await first).status).toBe('succeeded');
    expect((await second).status).toBe('succeeded');
  });

  it('emits run.queued (with the queue length) for a run that waits for admission, not for one admitted at once', async () => {
    const supervisor = createSupervisor({ maxConcurrentRuns: 1 });
    const queued: SupervisorEvent[] = [];
    supervisor.on('run.queued', (event) => queued.push(event));
    const workflow = single({ run: () => new Promise((resolve) => setTimeout(resolve, 100, 'ok')) });
    const runs = [
      supervisor.run(workflow, undefined, { runId: 'first' }),
      supervisor.run(workflow, undefined, { runId: 'second' }),
      supervisor.resume(workflow, 'missing'), // a resume waits for admission too (then finds no such run)
    ];
    expect(queued).toEqual([
      {
        type: 'run.queued',
        runId: 'second',
        workflow: { name: workflow.name, version: workflow.version, hash: workflow.hash },
        at: expect.any(Number),
        queued: 1,
      },
      expect.objectContaining({ type: 'run.queued', runId: 'missing', queued: 2 }),
    ]);
    const settled = Promise.allSettled(runs);
    await vi.advanceTimersByTimeAsync(300);
    expect((await settled).map((run) => run.status)).toEqual(['fulfilled', 'fulfilled', 'rejected']);
  });

  it('a queued run leaves the queue at once when its signal aborts (rejects with CancelledError, takes no slot)', async () => {
    const supervisor = createSupervisor({ maxConcurrentRuns: 1, maxQueuedRuns: 1 });
    const store = supervisor.store;
    const workflow = single({ run: () => new Promise((resolve) => setTimeout(resolve, 100, 'ok')) });
    const first = supervisor.run(workflow);
    const controller = new AbortController();
    const queued = supervisor.run(workflow, undefined, { runId: 'queued', signal: controller.signal });
    const outcome = queued.then(
      () => 'resolved',
      (error: unknown) => error,
    );
    await vi.advanceTimersByTimeAsync(10);
    controller.abort(new Error('user gave up'));
    await vi.advanceTimersByTimeAsync(0);
    expect(await outcome).toMatchObject({
      code: 'BATON_CANCELLED',
      message: "Run 'queued' was cancelled while queued for admission",
      cause: new Error('user gave up'),
    });
    const third = supervisor.run(workflow); // the queue has room again
    await vi.advanceTimersByTimeAsync(300);
    expect((await first).status).toBe('succeeded');
    expect((await third).status).toBe('succeeded');
    expect(await store.read('queued')).toEqual([]);
  });

  it("counts a queued run's deadline from the run() call: it leaves the queue when the deadline passes", async () => {
    const supervisor = createSupervisor({ maxConcurrentRuns: 1 });
    const workflow = single({ run: () => new Promise((resolve) => setTimeout(resolve, 100, 'ok')) });
    const first = supervisor.run(workflow);
    const queued = supervisor.run(workflow, undefined, { runId: 'late', timeoutMs: 50 }).then(
      () => 'resolved',
      (error: unknown) => error,
    );
    await vi.advanceTimersByTimeAsync(50);
    expect(await queued).toMatchObject({ code: 'BATON_RUN_TIMEOUT', message: "Run 'late' timed out after 50 ms" });
    await vi.advanceTimersByTimeAsync(50);
    expect((await first).status).toBe('succeeded');
    expect(vi.getTimerCount()).toBe(0);
  });

  it('a run admitted after waiting in the queue has only the rest of its deadline', async () => {
    const supervisor = createSupervisor({ maxConcurrentRuns: 1 });
    const slow = single({ run: () => new Promise((resolve) => setTimeout(resolve, 80, 'ok')) });
    const first = supervisor.run(slow);
    const second = supervisor.run(slow, undefined, { timeoutMs: 100 });
    await vi.advanceTimersByTimeAsync(300);
    expect((await first).status).toBe('succeeded');
    const result = await second;
    expect(result).toMatchObject({ status: 'timed_out', error: { code: 'BATON_RUN_TIMEOUT' } });
    expect(result.durationMs).toBe(20); // admitted at 80 ms, stopped at the 100 ms deadline (not at 180 ms)
  });

  it('caps concurrent calls per agent across runs and reports the wait', async () => {
    let inFlight = 0;
    let peak = 0;
    const agent: Agent = {
      id: 'gpu',
      invoke: async () => {
        peak = Math.max(peak, ++inFlight);
        await new Promise((r) => setTimeout(r, 10));
        inFlight--;
        return 1;
      },
    };
    const supervisor = createSupervisor({ agentLimits: { gpu: { maxConcurrency: 2 } } });
    const events = collect(supervisor);
    const runs = Array.from({ length: 5 }, () => supervisor.run(single({ run: agent })));
    await vi.advanceTimersByTimeAsync(100);
    await Promise.all(runs);
    expect(peak).toBe(2);
    expect(ofType(events, 'step.waiting').map((event) => event.reason)).toEqual([
      'concurrency',
      'concurrency',
      'concurrency',
    ]);
  });

  it("bounds the wait for an agent's concurrency slot by maxElapsedMs (LimitWaitExceededError, not counted against the agent)", async () => {
    const agent: Agent = { id: 'gpu', invoke: () => new Promise((resolve) => setTimeout(resolve, 10_000, 'done')) };
    const supervisor = createSupervisor({
      agentLimits: { gpu: { maxConcurrency: 1 } },
      breaker: { consecutiveFailures: 1 },
    });
    const events = collect(supervisor);
    const holder = supervisor.run(single({ run: agent }));
    const waiter = supervisor.run(single({ run: agent, retry: { maxElapsedMs: 1000 } }));
    await vi.advanceTimersByTimeAsync(1000);
    const result = await waiter;
    expect(result).toMatchObject({
      status: 'failed',
      steps: { s: { status: 'failed', error: { kind: 'rate_limited', code: 'BATON_LIMIT_WAIT_EXCEEDED' } } },
    });
    expect(result.error).toMatchObject({
      key: 'gpu',
      waitedMs: 1000,
      message:
        "Gave up waiting for a concurrency slot of agent 'gpu' after 1000 ms: the step's deadline (retry.maxElapsedMs or the run's timeout) passed",
    });
    expect(supervisor.health().gpu?.calls ?? 0).toBe(0); // the call never happened
    expect(ofType(events, 'breaker.opened')).toHaveLength(0); // nor is it a breaker failure
    await vi.advanceTimersByTimeAsync(9000);
    expect((await holder).status).toBe('succeeded');
    expect(supervisor.health().gpu).toMatchObject({ calls: 1, successRate: 1 });
    expect(vi.getTimerCount()).toBe(0);
  });

  it('rate-limits calls per agent with a token bucket', async () => {
    const startedAt: number[] = [];
    const agent: Agent = { id: 'api', invoke: () => (startedAt.push(Date.now()), 1) };
    const supervisor = createSupervisor({ agentLimits: { api: { rate: { limit: 2, intervalMs: 1000 } } } });
    const t0 = Date.now();
    const runs = Array.from({ length: 4 }, () => supervisor.run(single({ run: agent })));
    await vi.advanceTimersByTimeAsync(2000);
    await Promise.all(runs);
    expect(startedAt.map((t) => t - t0)).toEqual([0, 0, 500, 1000]);
  });
});

describe('agent health', () => {
  it("probes agents' own health() on an interval and reports status changes", async () => {
    let healthy = true;
    const health = vi.fn(async () => ({ ok: healthy, detail: healthy ? 'pong' : 'connection refused' }));
    const agent: Agent = { id: 'bridge', invoke: () => 1, health };
    const supervisor = createSupervisor({ healthCheckIntervalMs: 1000 });
    const events = collect(supervisor);
    await supervisor.run(single({ run: agent }));
    await vi.advanceTimersByTimeAsync(1000);
    expect(health).toHaveBeenCalledTimes(1);
    expect(supervisor.health().bridge).toMatchObject({
      score: 1,
      status: 'healthy',
      calls: 1,
      lastProbe: { ok: true, detail: 'pong' },
    });
    healthy = false;
    await vi.advanceTimersByTimeAsync(1000);
    expect(supervisor.health().bridge).toMatchObject({
      score: 0,
      status: 'unhealthy',
      lastProbe: { ok: false, detail: 'connection refused' },
    });
    expect(ofType(events, 'agent.health_changed').map((event) => `${event.from}->${event.to}`)).toEqual([
      'unknown->healthy',
      'healthy->unhealthy',
    ]);
    await supervisor.close();
    await vi.advanceTimersByTimeAsync(5000);
    expect(health).toHaveBeenCalledTimes(2);
  });

  it('keeps one health entry per agent id when breaker.key is set: calls, probes and the breaker state together', async () => {
    const health = vi.fn(async () => ({ ok: true, detail: 'pong' }));
    const agent: Agent = {
      id: 'llm',
      invoke: () => {
        throw new RetryableError('503');
      },
      health,
    };
    const supervisor = createSupervisor({ healthCheckIntervalMs: 1000, breaker: { consecutiveFailures: 1 } });
    await supervisor.run(single({ run: agent, breaker: { key: 'shared-llm' }, retry: { maxAttempts: 1 } }));
    await vi.advanceTimersByTimeAsync(1000);
    expect(Object.keys(supervisor.health())).toEqual(['llm']);
    expect(supervisor.health().llm).toMatchObject({
      calls: 1,
      successRate: 0,
      breaker: { state: 'open' },
      lastProbe: { ok: true, detail: 'pong' },
    });
  });

  it('counts a call once when its output cannot be stored', async () => {
    const agent: Agent = { id: 'big', invoke: () => 'x'.repeat(100) };
    const supervisor = createSupervisor({ maxOutputBytes: 10 });
    const result = await supervisor.run(single({ run: agent, retry: { maxAttempts: 1 } }));
    expect(result.error).toMatchObject({ code: 'BATON_OUTPUT_NOT_STORABLE' });
    expect(supervisor.health().big).toMatchObject({ calls: 1 });
  });

  it('tracks success rate, consecutive failures and latency percentiles', async () => {
    const agent: Agent = {
      id: 'svc',
      invoke: async (n: number) => {
        await new Promise((r) => setTimeout(r, n));
        if (n === 30) throw new FatalError('no');
        return n;
      },
    };
    const supervisor = createSupervisor();
    for (const n of [10, 20, 30]) {
      const done = supervisor.run(single({ run: agent }), n);
      await vi.advanceTimersByTimeAsync(n);
      await done;
    }
    expect(supervisor.health().svc).toMatchObject({
      calls: 3,
      successRate: 2 / 3,
      consecutiveFailures: 1,
      latencyP95Ms: 30,
    });
  });
});
