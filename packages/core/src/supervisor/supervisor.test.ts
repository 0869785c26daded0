import { describe, expect, it, vi } from 'vitest';
import { MemoryCheckpointStore } from '../checkpoint/memory-store.js';
import { FatalError } from '../errors/errors.js';
import type { SupervisorEvent } from '../events/types.js';
import { defineWorkflow } from '../workflow/define-workflow.js';
import type { StepContext } from '../workflow/types.js';
import { createSupervisor } from './supervisor.js';

/** A step that waits until its signal aborts (a long-running call that honours cancellation). */
const untilAborted = (_input: unknown, ctx: StepContext) =>
  new Promise((_resolve, reject) =>
    ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason), { once: true }),
  );

describe('supervisor.run', () => {
  it('passes the run input, one dependency output, or an object of several', async () => {
    const seen: Record<string, unknown> = {};
    const record = (id: string, value: unknown) => (input: unknown) => ((seen[id] = input), value);
    const workflow = defineWorkflow({
      name: 'inputs',
      version: '1',
      steps: {
        a: { run: record('a', 'A') },
        b: { run: record('b', 'B'), needs: ['a'] },
        c: { run: record('c', 'C'), needs: ['a', 'b'] },
        d: { run: record('d', 'D'), needs: ['c'], input: (ctx) => ({ fromRun: ctx.input, fromA: ctx.outputs.a }) },
      },
    });
    const result = await createSupervisor().run(workflow, { topic: 't' });
    expect(seen).toEqual({
      a: { topic: 't' },
      b: 'A',
      c: { a: 'A', b: 'B' },
      d: { fromRun: { topic: 't' }, fromA: 'A' },
    });
    expect(result).toMatchObject({ status: 'succeeded', outputs: { a: 'A', b: 'B', c: 'C', d: 'D' } });
    expect(result.runId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('skips a step whose `when` is false, and steps that depend only on skipped steps', async () => {
    const ran: string[] = [];
    const step = (id: string) => () => (ran.push(id), id);
    const workflow = defineWorkflow({
      name: 'skip',
      version: '1',
      steps: {
        check: { run: () => ({ ok: false }) },
        write: { run: step('write'), needs: ['check'], when: (ctx) => (ctx.outputs.check as { ok: boolean }).ok },
        publish: { run: step('publish'), needs: ['write'] },
        report: { run: step('report'), needs: ['write', 'check'] },
      },
    });
    const result = await createSupervisor().run(workflow);
    expect(result.status).toBe('succeeded');
    expect(result.steps).toMatchObject({
      write: { status: 'skipped' },
      publish: { status: 'skipped' },
      report: { status: 'succeeded' },
    });
    expect(ran).toEqual(['report']);
  });

  it('fails the run when a step fails for good and cancels running siblings through their signal', async () => {
    let siblingSignal: AbortSignal | undefined;
    const workflow = defineWorkflow({
      name: 'fail',
      version: '1',
      steps: {
        slow: { run: (input, ctx) => ((siblingSignal = ctx.signal), untilAborted(input, ctx)) },
        bad: {
          run: async () => {
            await Promise.resolve();
            throw new FatalError('bad input: 42');
          },
        },
        after: { run: () => 'never', needs: ['bad'] },
      },
    });
    const result = await createSupervisor().run(workflow);
    expect(result.status).toBe('failed');
    expect(result.failedStep).toBe('bad');
    expect(result.error).toMatchObject({ code: 'BATON_FATAL', message: 'bad input: 42' });
    expect(result.steps).toMatchObject({
      bad: { status: 'failed', attempts: 1 },
      slow: { status: 'cancelled' },
      after: { status: 'pending' },
    });
    expect(siblingSignal?.aborted).toBe(true);
  });

  it('respects the per-run concurrency limit', async () => {
    let inFlight = 0;
    let peak = 0;
    const steps: Record<string, { run: () => Promise<number> }> = {};
    for (let i = 0; i < 20; i++) {
      steps[`s${i}`] = {
        run: async () => {
          peak = Math.max(peak, ++inFlight);
          await new Promise((r) => setTimeout(r, 1));
          inFlight--;
          return i;
        },
      };
    }
    const result = await createSupervisor().run(defineWorkflow({ name: 'c', version: '1', concurrency: 3, steps }));
    expect(result.status).toBe('succeeded');
    expect(peak).toBe(3);
  });

  it('fails a step whose output cannot be checkpointed, without retrying', async () => {
    let calls = 0;
    const workflow = defineWorkflow({
      name: 'big',
      version: '1',
      steps: { a: { run: () => (calls++, 'x'.repeat(100)) }, b: { run: () => () => 1 } },
    });
    const result = await createSupervisor({ maxOutputBytes: 50 }).run(workflow);
    expect(result.status).toBe('failed');
    expect(calls).toBe(1);
    expect(result.error?.message).toMatch(/Output of step '(a|b)' cannot be checkpointed/);
  });

  it('emits typed events with run id, step id, attempt and timestamps; a throwing listener never breaks the run', async () => {
    const onListenerError = vi.fn();
    const supervisor = createSupervisor({ onListenerError });
    const events: SupervisorEvent[] = [];
    supervisor.on('step.started', () => {
      throw new Error('listener bug');
    });
    const off = supervisor.on('*', (event) => events.push(event));
    const workflow = defineWorkflow({
      name: 'ev',
      version: '1',
      steps: { a: { run: (_i, ctx) => (ctx.emit({ pct: 50 }), 1) } },
    });
    const result = await supervisor.run(workflow, undefined, { runId: 'events-1' });
    expect(result.status).toBe('succeeded');
    expect(onListenerError).toHaveBeenCalledTimes(1);
    expect(events.map((event) => event.type)).toEqual([
      'checkpoint.appended',
      'run.started',
      'step.started',
      'step.progress',
      'step.succeeded',
      'checkpoint.appended',
      'checkpoint.appended',
      'run.completed',
    ]);
    expect(events[3]).toMatchObject({
      type: 'step.progress',
      runId: 'events-1',
      stepId: 'a',
      attempt: 1,
      data: { pct: 50 },
      at: expect.any(Number),
    });
    off();
    await supervisor.run(workflow);
    expect(events).toHaveLength(8);
  });

  it('validates run ids and refuses to start a run id twice', async () => {
    const supervisor = createSupervisor();
    const workflow = defineWorkflow({ name: 'ids', version: '1', steps: { a: { run: () => 1 } } });
    await expect(supervisor.run(workflow, undefined, { runId: '../x' })).rejects.toMatchObject({
      code: 'BATON_INVALID_RUN_ID',
    });
    await supervisor.run(workflow, undefined, { runId: 'once' });
    await expect(supervisor.run(workflow, undefined, { runId: 'once' })).rejects.toMatchObject({
      code: 'BATON_RUN_EXISTS',
    });
  });

  it('rejects bad supervisor options naming the option and value', () => {
    expect(() => createSupervisor({ maxConcurrentRuns: 0 })).toThrow(/maxConcurrentRuns: .*\(got 0\)/);
  });
});

describe('supervisor.resume', () => {
  it('after a mid-run abort, restores finished steps and re-runs unfinished ones with the same idempotency key', async () => {
    const store = new MemoryCheckpointStore();
    const calls: { step: string; key: string }[] = [];
    let block = true;
    const workflow = defineWorkflow({
      name: 'crash',
      version: '1',
      steps: {
        a: { run: (_i, ctx) => (calls.push({ step: 'a', key: ctx.idempotencyKey }), 'A') },
        b: {
          needs: ['a'],
          run: (input, ctx) => (
            calls.push({ step: 'b', key: ctx.idempotencyKey }), block ? untilAborted(input, ctx) : `${input}B`
          ),
        },
        c: { needs: ['b'], run: (input: string) => `${input}C` },
      },
    });
    const controller = new AbortController();
    const supervisor = createSupervisor({ store });
    supervisor.on('step.started', (event) => {
      if (event.stepId === 'b') controller.abort();
    });
    const first = await supervisor.run(workflow, 'in', { runId: 'crash-1', signal: controller.signal });
    expect(first).toMatchObject({
      status: 'cancelled',
      failedStep: 'b',
      steps: { a: { status: 'succeeded' }, b: { status: 'cancelled' } },
    });

    block = false;
    const resumed = await createSupervisor({ store }).resume(workflow, 'crash-1');
    expect(resumed).toMatchObject({
      status: 'succeeded',
      outputs: { a: 'A', b: 'AB', c: 'ABC' },
      steps: { a: { restored: true } },
    });
    expect(calls).toEqual([
      { step: 'a', key: 'crash-1:a' },
      { step: 'b', key: 'crash-1:b' },
      { step: 'b', key: 'crash-1:b' },
    ]);
    const types = (await store.read('crash-1')).map(
      (record) => `${record.type}${'status' in record ? `:${record.status}` : ''}`,
    );
    expect(types).toEqual([
      'run.started',
      'step:succeeded',
      'step:cancelled',
      'run.finished:cancelled',
      'run.resumed',
      'step:succeeded',
      'step:succeeded',
      'run.finished:succeeded',
    ]);
  });

  it('returns the stored result of a succeeded run without running anything', async () => {
    const store = new MemoryCheckpointStore();
    const run = vi.fn(() => 'once');
    const workflow = defineWorkflow({ name: 'done', version: '1', steps: { a: { run } } });
    await createSupervisor({ store }).run(workflow, undefined, { runId: 'done-1' });
    const again = await createSupervisor({ store }).resume(workflow, 'done-1');
    expect(again).toMatchObject({ status: 'succeeded', outputs: { a: 'once' } });
    expect(run).toHaveBeenCalledTimes(1);
  });

  it('refuses a changed workflow unless allowed', async () => {
    const store = new MemoryCheckpointStore();
    const v1 = defineWorkflow({
      name: 'w',
      version: '1',
      steps: {
        a: {
          run: () => {
            throw new FatalError('no');
          },
        },
      },
    });
    const v2 = defineWorkflow({ name: 'w', version: '2', steps: { a: { run: () => 'ok' } } });
    await createSupervisor({ store }).run(v1, undefined, { runId: 'changed' });
    const supervisor = createSupervisor({ store });
    await expect(supervisor.resume(v2, 'changed')).rejects.toMatchObject({
      code: 'BATON_WORKFLOW_CHANGED',
      message: expect.stringContaining(
        `recorded with workflow hash ${v1.hash} but the workflow now hashes to ${v2.hash}`,
      ),
    });
    expect((await supervisor.resume(v2, 'changed', { allowChangedWorkflow: true })).status).toBe('succeeded');
  });

  it("stores the supervisor's classification in failed step records, including an agent's own classifier", async () => {
    const store = new MemoryCheckpointStore();
    const agent = {
      id: 'llm',
      classifyError: () => ({ kind: 'fatal' as const }),
      invoke: () => {
        throw new Error('context window exceeded');
      },
    };
    await createSupervisor({ store }).run(
      defineWorkflow({ name: 'k', version: '1', steps: { a: { run: agent } } }),
      undefined,
      { runId: 'kind-1' },
    );
    expect((await store.read('kind-1'))[1]).toMatchObject({
      type: 'step',
      status: 'failed',
      error: { name: 'Error', message: 'context window exceeded', kind: 'fatal' },
    });
  });

  it('reports an unknown run', async () => {
    const workflow = defineWorkflow({ name: 'w', version: '1', steps: { a: { run: () => 1 } } });
    await expect(createSupervisor().resume(workflow, 'nope')).rejects.toMatchObject({ code: 'BATON_RUN_NOT_FOUND' });
  });
});
