import { getEventListeners } from 'node:events';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { MemoryCheckpointStore } from '../checkpoint/memory-store.js';
import { FatalError, RetryableError } from '../errors/errors.js';
import type { SupervisorEvent } from '../events/types.js';
import { defineWorkflow } from '../workflow/define-workflow.js';
import type { StepContext, StepDefinition } from '../workflow/types.js';
import { createSupervisor } from './supervisor.js';

// Plain function steps (no timeout, breaker or middleware) take a fast path on their
// first attempt (plain-attempt.ts). These tests pin that it behaves like the general path.

afterEach(() => {
  vi.useRealTimers();
});

function collect(supervisor: ReturnType<typeof createSupervisor>): SupervisorEvent[] {
  const events: SupervisorEvent[] = [];
  supervisor.on('*', (event) => events.push(event));
  return events;
}
const single = (step: StepDefinition) => defineWorkflow({ name: 'fast', version: '1', steps: { s: step } });
const types = (events: SupervisorEvent[]) => events.map((event) => event.type);
const never = () => new Promise<never>(() => {});

describe('plain steps', () => {
  it('treats a synchronous throw like a rejection: classified, retried, then succeeded', async () => {
    let calls = 0;
    const supervisor = createSupervisor({ retry: { initialDelayMs: 0, jitter: 'none' } });
    const events = collect(supervisor);
    const result = await supervisor.run(
      single({
        run: () => {
          if (calls++ === 0) throw new RetryableError('flaky');
          return 'ok';
        },
      }),
    );
    expect(result).toMatchObject({
      status: 'succeeded',
      outputs: { s: 'ok' },
      steps: { s: { status: 'succeeded', attempts: 2 } },
    });
    expect(types(events).filter((type) => type.startsWith('step.'))).toEqual([
      'step.started',
      'step.retrying',
      'step.started',
      'step.succeeded',
    ]);
    expect(events.find((event) => event.type === 'step.retrying')).toMatchObject({
      attempt: 1,
      classification: { kind: 'retryable' },
      error: { message: 'flaky' },
    });
  });

  it('fails the run on a synchronous fatal throw and records the failed step', async () => {
    const store = new MemoryCheckpointStore();
    const result = await createSupervisor({ store }).run(
      single({
        run: () => {
          throw new FatalError('no');
        },
      }),
      undefined,
      { runId: 'sync-throw' },
    );
    expect(result).toMatchObject({
      status: 'failed',
      failedStep: 's',
      error: { message: 'no' },
      steps: { s: { status: 'failed', attempts: 1, error: { kind: 'fatal' } } },
    });
    expect((await store.read('sync-throw')).map((record) => record.type)).toEqual([
      'run.started',
      'step',
      'run.finished',
    ]);
  });

  it('delivers a synchronous result asynchronously, with the usual events and records', async () => {
    const store = new MemoryCheckpointStore();
    const supervisor = createSupervisor({ store });
    const events = collect(supervisor);
    let returned = false;
    const pending = supervisor.run(single({ run: (input: number) => ((returned = true), input + 1) }), 1, {
      runId: 'sync-value',
    });
    expect(returned).toBe(false); // nothing runs before the start record is stored
    const result = await pending;
    expect(result).toMatchObject({ status: 'succeeded', outputs: { s: 2 } });
    expect(types(events)).toEqual([
      'checkpoint.appended',
      'run.started',
      'step.started',
      'step.succeeded',
      'checkpoint.appended',
      'checkpoint.appended',
      'run.completed',
    ]);
    expect((await store.read('sync-value'))[1]).toMatchObject({
      type: 'step',
      stepId: 's',
      status: 'succeeded',
      attempt: 1,
      output: 2,
    });
  });

  it('adopts a thenable that is not a Promise, resolving or rejecting', async () => {
    const resolving = { then: (resolve: (value: string) => void) => resolve('from thenable') };
    const rejecting = {
      then: (_resolve: unknown, reject: (error: unknown) => void) => reject(new FatalError('thenable said no')),
    };
    const supervisor = createSupervisor();
    expect((await supervisor.run(single({ run: () => resolving }))).outputs).toEqual({ s: 'from thenable' });
    expect(await supervisor.run(single({ run: () => rejecting }))).toMatchObject({
      status: 'failed',
      error: { message: 'thenable said no' },
    });
  });

  it('leaves out the output of a step that returns undefined', async () => {
    const store = new MemoryCheckpointStore();
    await createSupervisor({ store }).run(single({ run: () => undefined }), undefined, { runId: 'no-output' });
    expect('output' in (await store.read('no-output'))[1]!).toBe(false);
  });

  it('ends a step that ignores its signal when a sibling fails, and ignores its late result', async () => {
    let finishLate: ((value: string) => void) | undefined;
    const supervisor = createSupervisor();
    const events = collect(supervisor);
    const workflow = defineWorkflow({
      name: 'ignore',
      version: '1',
      steps: {
        stubborn: { run: () => new Promise<string>((resolve) => (finishLate = resolve)) },
        bad: {
          run: async () => {
            throw new FatalError('boom');
          },
        },
      },
    });
    const result = await supervisor.run(workflow);
    expect(result).toMatchObject({
      status: 'failed',
      failedStep: 'bad',
      steps: { stubborn: { status: 'cancelled', attempts: 1 }, bad: { status: 'failed' } },
    });
    const count = events.length;
    finishLate!('too late');
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(events).toHaveLength(count);
    expect(result.outputs).toEqual({});
  });

  it('cancels promptly when a step aborts the caller signal itself and then ignores it', async () => {
    const controller = new AbortController();
    const workflow = single({ run: () => (controller.abort(new Error('stop from inside')), never()) });
    const result = await createSupervisor().run(workflow, undefined, { signal: controller.signal });
    expect(result).toMatchObject({ status: 'cancelled', failedStep: 's', steps: { s: { status: 'cancelled' } } });
    expect(result.error).toMatchObject({ code: 'BATON_CANCELLED', cause: new Error('stop from inside') });
  });
});

describe('the step context', () => {
  it('gives one real run signal, aborted on cancellation even when read after the abort', async () => {
    const controller = new AbortController();
    const signals: AbortSignal[] = [];
    let readLate: (() => AbortSignal) | undefined;
    const workflow = defineWorkflow({
      name: 'signals',
      version: '1',
      steps: {
        early: { run: (_i: unknown, ctx: StepContext) => (signals.push(ctx.signal), never()) },
        late: { run: (_i: unknown, ctx: StepContext) => ((readLate = () => ctx.signal), never()) },
      },
    });
    const done = createSupervisor().run(workflow, undefined, { signal: controller.signal });
    await vi.waitFor(() => expect(readLate).toBeDefined());
    expect(signals[0]).toBeInstanceOf(AbortSignal);
    expect(signals[0]!.aborted).toBe(false);
    controller.abort();
    const result = await done;
    expect(result.status).toBe('cancelled');
    expect(signals[0]!.aborted).toBe(true);
    expect(readLate!()).toBe(signals[0]); // the same run signal, created once
    expect(signals[0]!.reason).toMatchObject({ code: 'BATON_CANCELLED' });
  });

  it('supports destructuring emit, reportUsage, signal and idempotencyKey', async () => {
    const supervisor = createSupervisor();
    const events = collect(supervisor);
    let seen: { key: string; aborted: boolean } | undefined;
    const workflow = single({
      run: (_input: unknown, { emit, reportUsage, signal, idempotencyKey }: StepContext) => {
        emit({ pct: 50 });
        reportUsage({ inputTokens: 3, outputTokens: 4 });
        seen = { key: idempotencyKey, aborted: signal.aborted };
        return 1;
      },
    });
    await supervisor.run(workflow, undefined, { runId: 'destructure' });
    expect(seen).toEqual({ key: 'destructure:s', aborted: false });
    expect(events.find((event) => event.type === 'step.progress')).toMatchObject({
      runId: 'destructure',
      stepId: 's',
      attempt: 1,
      data: { pct: 50 },
    });
    expect(events.find((event) => event.type === 'step.usage')).toMatchObject({
      stepId: 's',
      attempt: 1,
      usage: { inputTokens: 3, outputTokens: 4 },
    });
  });

  it('has only its data fields as own keys (no internals; signal, idempotencyKey, emit, reportUsage are getters)', async () => {
    let keys: string[] = [];
    await createSupervisor().run(single({ run: (_i: unknown, ctx: StepContext) => ((keys = Object.keys(ctx)), 1) }));
    expect(keys.sort()).toEqual(['attempt', 'input', 'outputs', 'runId', 'stepId', 'workflow']);
  });
});

describe('cleanup', () => {
  it('leaves no timer or listener behind after successful runs whose steps read their signal', async () => {
    vi.useFakeTimers();
    const callerSignals: AbortSignal[] = [];
    const stepSignals: AbortSignal[] = [];
    const supervisor = createSupervisor();
    const workflow = defineWorkflow({
      name: 'clean',
      version: '1',
      timeoutMs: 60_000,
      steps: {
        a: { run: (_i: unknown, ctx: StepContext) => (stepSignals.push(ctx.signal), 'A') },
        b: { run: async (input: string) => `${input}B`, needs: ['a'] },
      },
    });
    for (let i = 0; i < 20; i++) {
      const controller = new AbortController();
      callerSignals.push(controller.signal);
      expect((await supervisor.run(workflow, i, { signal: controller.signal })).outputs).toEqual({ a: 'A', b: 'AB' });
    }
    expect(vi.getTimerCount()).toBe(0);
    for (const signal of [...callerSignals, ...stepSignals]) expect(getEventListeners(signal, 'abort')).toHaveLength(0);
  });

  it('close() waits for active runs and refuses new ones', async () => {
    let finish: (() => void) | undefined;
    const supervisor = createSupervisor();
    const workflow = single({ run: () => new Promise<void>((resolve) => (finish = resolve)) });
    const running = supervisor.run(workflow);
    await vi.waitFor(() => expect(finish).toBeDefined());
    let closed = false;
    const closing = supervisor.close().then(() => (closed = true));
    await expect(supervisor.run(workflow)).rejects.toMatchObject({ code: 'BATON_SUPERVISOR_CLOSED' });
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(closed).toBe(false);
    finish!();
    await closing;
    expect((await running).status).toBe('succeeded');
  });
});
