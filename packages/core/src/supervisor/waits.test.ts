import { afterEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { MemoryCheckpointStore } from '../checkpoint/memory-store.js';
import type { CheckpointRecord } from '../checkpoint/types.js';
import { FatalError, RetryableError } from '../errors/errors.js';
import { InvalidInputError, RunNotSuspendedError, UnknownWaitError, WaitTimeoutError } from '../errors/wait-errors.js';
import type { SupervisorEvent } from '../events/types.js';
import { defineWorkflow } from '../workflow/define-workflow.js';
import { createSupervisor } from './supervisor.js';

const approval = z.object({ approved: z.boolean(), note: z.string().optional() });

/** draft -> review (a wait step) -> publish. `published` counts real publishes. */
function reviewWorkflow(
  published: string[] = [],
  waitExtra: { timeoutMs?: number; onTimeout?: 'fail' | { value: unknown } } = {},
) {
  return defineWorkflow({
    name: 'review',
    version: '1',
    steps: {
      draft: { run: () => ({ title: 'Hello' }) },
      review: {
        needs: ['draft'],
        waitFor: {
          schema: approval,
          prompt: (ctx) => `Publish "${(ctx.outputs.draft as { title: string }).title}"?`,
          ...(waitExtra as object),
        },
      },
      publish: {
        needs: ['review'],
        run: (answer: { approved: boolean }) => {
          published.push(String(answer.approved));
          return answer.approved ? 'published' : 'dropped';
        },
      },
    },
  });
}

/** A new store holding only the stored records, as a fresh process reading a durable store sees them. */
async function freshCopy(store: MemoryCheckpointStore, runId: string): Promise<MemoryCheckpointStore> {
  const copy = new MemoryCheckpointStore();
  for (const record of JSON.parse(JSON.stringify(await store.read(runId))) as CheckpointRecord[])
    await copy.append(record);
  return copy;
}

afterEach(() => {
  vi.useRealTimers();
});

describe('wait steps', () => {
  it('suspends with the pending wait (prompt, JSON Schema), then resumes from a fresh process with input (mastra#11270)', async () => {
    const store = new MemoryCheckpointStore();
    const events: SupervisorEvent['type'][] = [];
    const first = createSupervisor({ store });
    first.on('*', (event) => events.push(event.type));
    const r = await first.run(reviewWorkflow(), undefined, { runId: 'r1' });
    expect(r.status).toBe('suspended');
    expect(r.outputs).toEqual({ draft: { title: 'Hello' } });
    expect(r.steps.review?.status).toBe('suspended');
    expect(r.steps.publish?.status).toBe('pending');
    expect(r.waiting).toEqual([
      {
        stepId: 'review',
        key: 'review',
        prompt: 'Publish "Hello"?',
        schema: expect.objectContaining({ type: 'object', required: ['approved'] }),
      },
    ]);
    expect(events).toContain('step.suspended');
    expect(events.slice(-2)).toEqual(['run.suspended', 'run.completed']);
    const types = (await store.read('r1')).map((record) => record.type);
    expect(types).toEqual(['run.started', 'step', 'wait.started', 'run.finished']);
    await first.close();

    // Nothing of the first supervisor or workflow object survives: a new store copy, a new supervisor, a new definition.
    const published: string[] = [];
    const second = createSupervisor({ store: await freshCopy(store, 'r1') });
    const received: SupervisorEvent[] = [];
    second.on('input.received', (event) => received.push(event));
    const resumed = await second.resume(reviewWorkflow(published), 'r1', {
      inputs: { review: { approved: true } },
      by: 'ana',
    });
    expect(resumed.status).toBe('succeeded');
    expect(resumed.outputs.publish).toBe('published');
    expect(resumed.outputs.review).toEqual({ approved: true });
    expect(published).toEqual(['true']);
    expect(received).toMatchObject([{ type: 'input.received', key: 'review', by: 'ana' }]);
  });

  it('leaves the run unchanged on invalid input (InvalidInputError with the path), unknown key, or a run not suspended', async () => {
    const store = new MemoryCheckpointStore();
    const supervisor = createSupervisor({ store });
    const workflow = reviewWorkflow();
    await supervisor.run(workflow, undefined, { runId: 'r2' });
    const before = JSON.stringify(await store.read('r2'));
    const invalid = supervisor.resume(workflow, 'r2', { inputs: { review: { approved: 'yes' } } });
    await expect(invalid).rejects.toBeInstanceOf(InvalidInputError);
    await expect(invalid).rejects.toMatchObject({ code: 'BATON_INVALID_INPUT', issues: [{ path: ['approved'] }] });
    await expect(supervisor.resume(workflow, 'r2', { inputs: { nope: 1 } })).rejects.toBeInstanceOf(UnknownWaitError);
    // One valid and one invalid: validated first, so the valid one is not appended either.
    await expect(
      supervisor.resume(workflow, 'r2', { inputs: { review: { approved: true }, nope: 1 } }),
    ).rejects.toMatchObject({ code: 'BATON_UNKNOWN_WAIT' });
    expect(JSON.stringify(await store.read('r2'))).toBe(before);

    const done = defineWorkflow({ name: 'plain', version: '1', steps: { a: { run: () => 1 } } });
    await supervisor.run(done, undefined, { runId: 'r3' });
    await expect(supervisor.resume(done, 'r3', { inputs: { a: 1 } })).rejects.toBeInstanceOf(RunNotSuspendedError);
  });

  it('resuming without the input suspends again without a second wait.started', async () => {
    const store = new MemoryCheckpointStore();
    const supervisor = createSupervisor({ store });
    const workflow = reviewWorkflow();
    await supervisor.run(workflow, undefined, { runId: 'again' });
    const again = await supervisor.resume(workflow, 'again');
    expect(again.status).toBe('suspended');
    const types = (await store.read('again')).map((record) => record.type);
    expect(types.filter((type) => type === 'wait.started')).toHaveLength(1);
  });

  it('records the audit trail: input.received with value, time and by', async () => {
    const store = new MemoryCheckpointStore();
    const supervisor = createSupervisor({ store });
    const workflow = reviewWorkflow();
    await supervisor.run(workflow, undefined, { runId: 'audit' });
    await supervisor.resume(workflow, 'audit', { inputs: { review: { approved: false, note: 'no' } }, by: 'bo' });
    const input = (await store.read('audit')).find((record) => record.type === 'input.received');
    expect(input).toMatchObject({
      key: 'review',
      value: { approved: false, note: 'no' },
      by: 'bo',
      at: expect.any(Number),
    });
  });
});

describe('several waits', () => {
  const twoWaits = (order: string[] = []) =>
    defineWorkflow({
      name: 'two',
      version: '1',
      steps: {
        legal: { waitFor: { schema: approval, prompt: 'Legal OK?' } },
        brand: { waitFor: { schema: approval, prompt: 'Brand OK?' } },
        ship: {
          needs: ['legal', 'brand'],
          run: () => {
            order.push('ship');
            return 'shipped';
          },
        },
      },
    });

  it('parallel waits both pend; answering one leaves the run suspended on the other (mastra#6418)', async () => {
    const store = new MemoryCheckpointStore();
    const supervisor = createSupervisor({ store });
    const order: string[] = [];
    const workflow = twoWaits(order);
    const r = await supervisor.run(workflow, undefined, { runId: 'p1' });
    expect(r.status).toBe('suspended');
    expect(r.waiting?.map((wait) => wait.key).sort()).toEqual(['brand', 'legal']);
    const one = await supervisor.resume(workflow, 'p1', { inputs: { legal: { approved: true } } });
    expect(one.status).toBe('suspended');
    expect(one.waiting?.map((wait) => wait.key)).toEqual(['brand']);
    expect(order).toEqual([]);
    const two = await supervisor.resume(workflow, 'p1', { inputs: { brand: { approved: true } } });
    expect(two.status).toBe('succeeded');
    expect(order).toEqual(['ship']);
  });

  it('keeps early input for a declared wait not opened yet and uses it when asked (inngest#1433)', async () => {
    const store = new MemoryCheckpointStore();
    const supervisor = createSupervisor({ store });
    const workflow = defineWorkflow({
      name: 'chain',
      version: '1',
      steps: {
        first: { waitFor: { schema: approval, prompt: 'First?' } },
        second: { needs: ['first'], waitFor: { schema: approval, prompt: 'Second?' } },
        done: { needs: ['second'], run: (answer: unknown) => answer },
      },
    });
    const r = await supervisor.run(workflow, undefined, { runId: 'early' });
    expect(r.waiting?.map((wait) => wait.key)).toEqual(['first']);
    const resumed = await supervisor.resume(workflow, 'early', {
      inputs: { first: { approved: true }, second: { approved: false, note: 'early' } },
    });
    expect(resumed.status).toBe('succeeded');
    expect(resumed.outputs.done).toEqual({ approved: false, note: 'early' });
  });

  it('one branch waits and one fails: the run fails; one waits and one succeeds: the run is suspended with the output kept', async () => {
    const failing = defineWorkflow({
      name: 'wait-fail',
      version: '1',
      steps: {
        ask: { waitFor: { schema: approval, prompt: 'OK?' } },
        boom: {
          run: () => {
            throw new FatalError('boom');
          },
        },
      },
    });
    const supervisor = createSupervisor();
    const failed = await supervisor.run(failing);
    expect(failed.status).toBe('failed');
    expect(failed.failedStep).toBe('boom');

    const store = new MemoryCheckpointStore();
    const other = createSupervisor({ store });
    const succeeding = defineWorkflow({
      name: 'wait-ok',
      version: '1',
      steps: {
        ask: { waitFor: { schema: approval, prompt: 'OK?' } },
        work: { run: vi.fn(() => 'worked') },
      },
    });
    const suspended = await other.run(succeeding, undefined, { runId: 'ws' });
    expect(suspended.status).toBe('suspended');
    expect(suspended.outputs.work).toBe('worked');
    const resumed = await other.resume(succeeding, 'ws', { inputs: { ask: { approved: true } } });
    expect(resumed.status).toBe('succeeded');
    expect(resumed.steps.work?.restored).toBe(true);
    expect(succeeding.steps.work?.run).toHaveBeenCalledTimes(1);
  });
});

describe('ctx.waitFor', () => {
  it('suspends a retried agent step; on resume the step runs again from its start and waitFor returns the answer', async () => {
    const calls: string[] = [];
    const agent = {
      id: 'refunder',
      invoke: async (_input: unknown, ctx: import('../workflow/types.js').StepContext) => {
        calls.push(`attempt ${ctx.attempt}`);
        if (ctx.attempt === 1) throw new RetryableError('flaky');
        const ok = await ctx.waitFor('confirm-refund', { schema: approval, prompt: 'Refund 20 EUR?' });
        calls.push(`answered ${ok.approved}`);
        return ok.approved ? 'refunded' : 'kept';
      },
    };
    const workflow = defineWorkflow({
      name: 'refund',
      version: '1',
      steps: { refund: { run: agent, retry: { maxAttempts: 3, initialDelayMs: 1, jitter: 'none' } } },
    });
    const store = new MemoryCheckpointStore();
    const supervisor = createSupervisor({ store });
    const r = await supervisor.run(workflow, undefined, { runId: 'c1' });
    expect(r.status).toBe('suspended');
    expect(r.waiting).toMatchObject([{ stepId: 'refund', key: 'confirm-refund', prompt: 'Refund 20 EUR?' }]);
    expect(calls).toEqual(['attempt 1', 'attempt 2']);
    // The recorded JSON Schema checks ctx.waitFor answers at resume: nothing appended for a bad one.
    const before = (await store.read('c1')).length;
    await expect(
      supervisor.resume(workflow, 'c1', { inputs: { 'confirm-refund': { approved: 1 } } }),
    ).rejects.toMatchObject({ code: 'BATON_INVALID_INPUT', issues: [{ path: ['approved'] }] });
    expect((await store.read('c1')).length).toBe(before);
    calls.length = 0;
    const resumed = await supervisor.resume(workflow, 'c1', { inputs: { 'confirm-refund': { approved: true } } });
    expect(resumed.status).toBe('succeeded');
    expect(resumed.outputs.refund).toBe('refunded');
    expect(calls).toEqual(['attempt 1', 'attempt 2', 'answered true']);
  });
});

describe('deadlines', () => {
  it("past its deadline a wait fails the step with onTimeout 'fail' at the next resume", async () => {
    vi.useFakeTimers({ now: 1_000_000 });
    const supervisor = createSupervisor();
    const workflow = reviewWorkflow([], { timeoutMs: 60_000, onTimeout: 'fail' });
    const r = await supervisor.run(workflow, undefined, { runId: 'late' });
    expect(r.waiting?.[0]?.deadline).toBe(1_060_000);
    vi.setSystemTime(1_030_000);
    expect((await supervisor.resume(workflow, 'late')).status).toBe('suspended');
    vi.setSystemTime(1_060_000);
    const late = await supervisor.resume(workflow, 'late');
    expect(late.status).toBe('failed');
    expect(late.failedStep).toBe('review');
    expect(late.error).toBeInstanceOf(WaitTimeoutError);
  });

  it('past its deadline a wait with onTimeout { value } continues with that value', async () => {
    vi.useFakeTimers({ now: 5_000 });
    const supervisor = createSupervisor();
    const published: string[] = [];
    const workflow = reviewWorkflow(published, { timeoutMs: 10, onTimeout: { value: { approved: false } } });
    await supervisor.run(workflow, undefined, { runId: 'default' });
    vi.setSystemTime(5_010);
    const r = await supervisor.resume(workflow, 'default');
    expect(r.status).toBe('succeeded');
    expect(r.outputs.publish).toBe('dropped');
    expect(published).toEqual(['false']);
  });
});

describe('wait step definition', () => {
  it('refuses a step with both run and waitFor, or neither', () => {
    expect(() =>
      defineWorkflow({
        name: 'bad',
        version: '1',
        steps: { a: { run: () => 1, waitFor: { schema: approval, prompt: 'x' } } },
      }),
    ).toThrow(/exactly one of `run`/);
    expect(() => defineWorkflow({ name: 'bad', version: '1', steps: { a: {} } })).toThrow(/exactly one of `run`/);
  });
});
