import { describe, expect, it } from 'vitest';
import { MemoryCheckpointStore } from '../checkpoint/memory-store.js';
import { FatalError } from '../errors/errors.js';
import type { SupervisorEvent } from '../events/types.js';
import { defineWorkflow } from '../workflow/define-workflow.js';
import { createSupervisor } from './supervisor.js';

describe('plugins', () => {
  it('wraps every attempt in middleware, first plugin outermost, with the input and a trace carrier the step sees', async () => {
    const supervisor = createSupervisor();
    const order: string[] = [];
    supervisor.use({
      name: 'outer',
      wrapStep: async (input, next) => {
        order.push(`outer>${input.stepId}`);
        input.carrier.traceparent = '00-abc-def-01';
        const out = await next();
        order.push('outer<');
        return out;
      },
    });
    const detach = supervisor.use({
      name: 'inner',
      wrapStep: async (input, next) => {
        order.push(`inner:${JSON.stringify(input.input)}`);
        return next();
      },
    });
    let seen: unknown;
    const workflow = defineWorkflow({
      name: 'p',
      version: '1',
      steps: { a: { run: (input: number, ctx) => ((seen = ctx.traceContext), input * 2) } },
    });
    const result = await supervisor.run(workflow, 21);
    expect(result.outputs.a).toBe(42);
    expect(order).toEqual(['outer>a', 'inner:21', 'outer<']);
    expect(seen).toEqual({ traceparent: '00-abc-def-01' });
    detach();
    order.length = 0;
    await supervisor.run(workflow, 1);
    expect(order).toEqual(['outer>a', 'outer<']);
  });

  it('stores runMeta in the start record and hands it back on resume', async () => {
    const store = new MemoryCheckpointStore();
    const infos: unknown[] = [];
    const plugin = {
      name: 'meta',
      runMeta: (info: { runId: string; resumed: boolean; resumedFrom?: Record<string, unknown> }) => (
        infos.push(info), { '@test/meta': { run: info.runId, resumed: info.resumed } }
      ),
    };
    const events: SupervisorEvent[] = [];
    let fail = true;
    const workflow = defineWorkflow({
      name: 'm',
      version: '1',
      steps: {
        a: {
          run: () => {
            if (fail) throw new FatalError('x');
            return 1;
          },
        },
      },
    });
    const first = createSupervisor({ store });
    first.use(plugin);
    await first.run(workflow, undefined, { runId: 'meta-1' });
    fail = false;
    const second = createSupervisor({ store });
    second.use(plugin);
    second.on('run.started', (event) => events.push(event));
    await second.resume(workflow, 'meta-1');
    expect((await store.read('meta-1'))[0]).toMatchObject({
      type: 'run.started',
      meta: { '@test/meta': { run: 'meta-1', resumed: false } },
    });
    expect(infos[1]).toMatchObject({ resumed: true, resumedFrom: { '@test/meta': { run: 'meta-1', resumed: false } } });
    expect(events[0]).toMatchObject({
      resumed: true,
      resumedFrom: { '@test/meta': { resumed: false } },
      meta: { '@test/meta': { resumed: true } },
    });
  });

  it('stores stepMeta in the record of a step that did not succeed and hands it back in resumedSteps', async () => {
    const store = new MemoryCheckpointStore();
    const infos: unknown[] = [];
    const plugin = {
      name: 'step-meta',
      stepMeta: (info: { stepId: string; status: string; attempt: number }) => (
        infos.push(info), info.stepId === 'b' ? { '@test/step': { last: info.attempt } } : undefined
      ),
    };
    let fail = true;
    const workflow = defineWorkflow({
      name: 'sm',
      version: '1',
      steps: {
        a: { run: () => 1 },
        b: {
          needs: ['a'],
          run: () => {
            if (fail) throw new FatalError('x');
            return 2;
          },
        },
      },
    });
    const first = createSupervisor({ store });
    first.use(plugin);
    await first.run(workflow, undefined, { runId: 'step-meta-1' });
    expect(infos).toEqual([
      { runId: 'step-meta-1', workflow: expect.any(Object), stepId: 'b', status: 'failed', attempt: 1 },
    ]);
    const records = await store.read('step-meta-1');
    expect(records.find((record) => record.type === 'step' && record.stepId === 'a')).not.toHaveProperty('meta');
    expect(records.find((record) => record.type === 'step' && record.stepId === 'b')).toMatchObject({
      status: 'failed',
      meta: { '@test/step': { last: 1 } },
    });
    fail = false;
    const second = createSupervisor({ store });
    const events: SupervisorEvent[] = [];
    second.on('run.started', (event) => events.push(event));
    await second.resume(workflow, 'step-meta-1');
    expect(events[0]).toMatchObject({ resumed: true, resumedSteps: { b: { '@test/step': { last: 1 } } } });
    const fresh = createSupervisor();
    fresh.on('run.started', (event) => events.push(event));
    await fresh.run(workflow, undefined);
    expect(events[1]).not.toHaveProperty('resumedSteps');
  });

  it('marks remote agents (Agent.remote) on step events and middleware input, and no others', async () => {
    const supervisor = createSupervisor();
    const seen: unknown[] = [];
    supervisor.use({ name: 'agents', wrapStep: (input, next) => (seen.push(input.agent), next()) });
    const started: SupervisorEvent[] = [];
    supervisor.on('step.started', (event) => started.push(event));
    const workflow = defineWorkflow({
      name: 'remote',
      version: '1',
      steps: {
        far: { run: { id: 'far', remote: true, invoke: () => 1 } },
        near: { run: { id: 'near', invoke: () => 2 } },
      },
    });
    await supervisor.run(workflow);
    expect(seen).toEqual(expect.arrayContaining([{ id: 'far', remote: true }, { id: 'near' }]));
    expect(started.find((event) => 'agentId' in event && event.agentId === 'far')).toMatchObject({ remote: true });
    expect(started.find((event) => 'agentId' in event && event.agentId === 'near')).not.toHaveProperty('remote');
  });

  it('emits run.rejected when the start record cannot be written', async () => {
    const supervisor = createSupervisor();
    const events: SupervisorEvent[] = [];
    supervisor.on('run.rejected', (event) => events.push(event));
    const workflow = defineWorkflow({ name: 'r', version: '1', steps: { a: { run: () => 1 } } });
    await supervisor.run(workflow, undefined, { runId: 'dup' });
    await expect(supervisor.run(workflow, undefined, { runId: 'dup' })).rejects.toMatchObject({
      code: 'BATON_RUN_EXISTS',
    });
    expect(events).toEqual([
      expect.objectContaining({
        type: 'run.rejected',
        runId: 'dup',
        error: expect.objectContaining({ code: 'BATON_CHECKPOINT_CONFLICT' }),
      }),
    ]);
  });

  it('fails a step (with a step.failed event) when its `when` callback throws', async () => {
    const supervisor = createSupervisor();
    const events: SupervisorEvent[] = [];
    supervisor.on('step.failed', (event) => events.push(event));
    const workflow = defineWorkflow({
      name: 'w',
      version: '1',
      steps: {
        a: {
          run: () => 1,
          when: () => {
            throw new TypeError('bad condition');
          },
        },
      },
    });
    const result = await supervisor.run(workflow);
    expect(result).toMatchObject({
      status: 'failed',
      failedStep: 'a',
      steps: { a: { status: 'failed', attempts: 0 } },
    });
    expect(events).toEqual([
      expect.objectContaining({
        stepId: 'a',
        attempt: 0,
        classification: { kind: 'fatal' },
        error: expect.objectContaining({ message: 'bad condition' }),
      }),
    ]);
  });
});

describe('run ownership', () => {
  it('fails a run whose lease signal aborts (ownership lost mid-run) with LeaseLostError, cancels its steps and appends nothing more', async () => {
    const base = new MemoryCheckpointStore();
    const lost = new AbortController();
    const store = Object.assign(Object.create(base) as MemoryCheckpointStore, {
      acquire: async (runId: string) => ({ ...(await base.acquire(runId)), signal: lost.signal }),
    });
    let stepSignal: AbortSignal | undefined;
    const workflow = defineWorkflow({
      name: 'own',
      version: '1',
      steps: {
        a: {
          run: (_i: unknown, ctx) => {
            stepSignal = ctx.signal;
            setTimeout(() => lost.abort(new Error('lease taken over by worker-2')), 1);
            return new Promise(() => {});
          },
        },
      },
    });
    const result = await createSupervisor({ store }).run(workflow, undefined, { runId: 'owned' });
    expect(result).toMatchObject({ status: 'failed', steps: { a: { status: 'cancelled' } } });
    expect(result.error).toMatchObject({
      code: 'BATON_LEASE_LOST',
      cause: new Error('lease taken over by worker-2'),
      message:
        "Lease on run 'owned' lost: the store's lease signal aborted (lease taken over by worker-2); this execution appends nothing more",
    });
    expect(stepSignal?.aborted).toBe(true);
    // Only the start record: no step record and no run.finished written after the loss.
    expect((await base.read('owned')).map((record) => record.type)).toEqual(['run.started']);
  });
});

describe('store warnings', () => {
  it('re-emits store warnings as checkpoint.warning and unsubscribes on close', async () => {
    const listeners = new Set<(warning: { code: string; message: string }) => void>();
    const store = Object.assign(new MemoryCheckpointStore(), {
      onWarning: (listener: (warning: { code: string; message: string }) => void) => (
        listeners.add(listener), () => listeners.delete(listener)
      ),
    });
    const supervisor = createSupervisor({ store });
    const events: SupervisorEvent[] = [];
    supervisor.on('checkpoint.warning', (event) => events.push(event));
    for (const listener of listeners) listener({ code: 'torn_tail', message: 'ignored a partial last line' });
    expect(events).toEqual([expect.objectContaining({ type: 'checkpoint.warning', code: 'torn_tail' })]);
    await supervisor.close();
    expect(listeners.size).toBe(0);
  });
});
