import { describe, expect, it, vi } from 'vitest';
import { MemoryCheckpointStore } from '../checkpoint/memory-store.js';
import { BatonError } from '../errors/baton-error.js';
import { CancelledError, RunActiveError } from '../errors/errors.js';
import type { SupervisorEvent } from '../events/types.js';
import { defineWorkflow } from '../workflow/define-workflow.js';
import type { StepContext } from '../workflow/types.js';
import { DEFAULT_STREAM_BUFFER_SIZE, DROPPABLE_EVENT_TYPES } from './run-handle.js';
import { createSupervisor, type Supervisor } from './supervisor.js';

const untilAborted = (_input: unknown, ctx: StepContext) =>
  new Promise((_resolve, reject) =>
    ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason), { once: true }),
  );

/** Event types without `checkpoint.appended` (a store's append timings, which depend on the store). */
const typesOf = (events: SupervisorEvent[]) =>
  events.filter((event) => event.type !== 'checkpoint.appended').map((event) => event.type);

async function collect(events: AsyncIterable<SupervisorEvent>): Promise<SupervisorEvent[]> {
  const seen: SupervisorEvent[] = [];
  for await (const event of events) seen.push(event);
  return seen;
}

/** Counts the supervisor's live `*` subscriptions made through `on`. */
function countSubscriptions(supervisor: Supervisor): { readonly live: number } {
  const counter = { live: 0 };
  const on = supervisor.on.bind(supervisor);
  vi.spyOn(supervisor, 'on').mockImplementation((type, listener) => {
    const off = on(type, listener);
    counter.live++;
    let active = true;
    return () => {
      if (active) counter.live--;
      active = false;
      off();
    };
  });
  return counter;
}

const twoSteps = defineWorkflow({
  name: 'two',
  version: '1',
  steps: {
    a: { run: (input: unknown, ctx: StepContext) => (ctx.emit({ input }), 'A') },
    b: { run: (a: unknown) => `${String(a)}B`, needs: ['a'] },
  },
});

describe('supervisor.start', () => {
  it("yields only its run's events, in order, and ends after the run's last event", async () => {
    const supervisor = createSupervisor();
    const all: SupervisorEvent[] = [];
    supervisor.on('*', (event) => all.push(event));
    const handle = supervisor.start(twoSteps, 'in', { runId: 'mine' });
    const other = supervisor.start(twoSteps, 'other', { runId: 'theirs' });
    expect(handle.runId).toBe('mine');
    const seen = await collect(handle.events);
    await other.result;
    expect(seen.every((event) => 'runId' in event && event.runId === 'mine')).toBe(true);
    expect(seen).toEqual(all.filter((event) => 'runId' in event && event.runId === 'mine'));
    expect(typesOf(seen)).toEqual([
      'run.started',
      'step.started',
      'step.progress',
      'step.succeeded',
      'step.started',
      'step.succeeded',
      'run.completed',
    ]);
    const result = await handle.result;
    expect(result).toMatchObject({ runId: 'mine', status: 'succeeded', outputs: { a: 'A', b: 'AB' } });
    expect(handle.dropped).toBe(0);
  });

  it('generates a run id before the run starts', async () => {
    const handle = createSupervisor().start(twoSteps);
    expect(handle.runId).toMatch(/^[0-9a-f-]{36}$/);
    expect((await handle.result).runId).toBe(handle.runId);
  });

  it('keeps lifecycle events and drops the oldest progress events when a slow consumer lets the buffer fill', async () => {
    const total = 10_000;
    const noisy = defineWorkflow({
      name: 'noisy',
      version: '1',
      steps: {
        talk: {
          run: async (_input: unknown, ctx: StepContext) => {
            for (let i = 0; i < total; i++) {
              ctx.emit(i);
              if (i % 1000 === 0) await Promise.resolve(); // the consumer could read here, but does not
            }
            return 'done';
          },
        },
        after: { run: () => 'after', needs: ['talk'] },
      },
    });
    const bufferSize = 16;
    const supervisor = createSupervisor();
    let appended = 0;
    supervisor.on('checkpoint.appended', () => appended++);
    const handle = supervisor.start(noisy, undefined, { bufferSize });
    await handle.result; // the consumer reads nothing until the run has ended
    const seen = await collect(handle.events);
    const lifecycle = seen.filter((event) => !DROPPABLE_EVENT_TYPES.has(event.type)).map((event) => event.type);
    expect(lifecycle).toEqual([
      'run.started',
      'step.started',
      'step.succeeded',
      'step.started',
      'step.succeeded',
      'run.completed',
    ]);
    // Everything the consumer got sat in the buffer at once: it never held more than its size.
    expect(seen.length).toBe(bufferSize);
    const progress = seen.flatMap((event) => (event.type === 'step.progress' ? [event.data as number] : []));
    const keptAppends = seen.filter((event) => event.type === 'checkpoint.appended').length;
    expect(progress.length + keptAppends).toBe(bufferSize - lifecycle.length);
    expect(progress.length + keptAppends + handle.dropped).toBe(total + appended);
    expect(progress.length).toBeGreaterThan(0);
    // Newer progress survives, in order: the buffer dropped the oldest first.
    expect(progress).toEqual([...progress].sort((x, y) => x - y));
    expect(progress.at(-1)).toBe(total - 1);
  });

  it('keeps a slow reader in step: only what does not fit is dropped', async () => {
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    const bursts = defineWorkflow({
      name: 'bursts',
      version: '1',
      steps: {
        talk: {
          run: async (_input: unknown, ctx: StepContext) => {
            for (let i = 0; i < 100; i++) ctx.emit(i);
            await gate;
            return 'done';
          },
        },
      },
    });
    const supervisor = createSupervisor();
    let appended = 0;
    supervisor.on('checkpoint.appended', () => appended++);
    const handle = supervisor.start(bursts, undefined, { bufferSize: 50 });
    const seen: SupervisorEvent[] = [];
    for await (const event of handle.events) {
      seen.push(event);
      if (event.type === 'run.started') release(); // the reader catches up only after the burst
    }
    expect(typesOf(seen).filter((type) => type !== 'step.progress')).toEqual([
      'run.started',
      'step.started',
      'step.succeeded',
      'run.completed',
    ]);
    const progress = seen.flatMap((event) => (event.type === 'step.progress' ? [event.data as number] : []));
    // What survived is the newest part of the burst, in order, and every missing event is counted.
    expect(progress.at(-1)).toBe(99);
    expect(progress).toEqual(Array.from({ length: progress.length }, (_, i) => 100 - progress.length + i));
    expect(progress.length).toBeLessThan(50);
    const keptAppends = seen.filter((event) => event.type === 'checkpoint.appended').length;
    expect(progress.length + keptAppends + handle.dropped).toBe(100 + appended);
    expect(handle.dropped).toBeGreaterThan(50);
  });

  it('never drops lifecycle events, even when they alone exceed the buffer', async () => {
    const steps = Object.fromEntries(
      Array.from({ length: 5 }, (_, i) => [`s${i}`, { run: (_input: unknown, ctx: StepContext) => ctx.emit(i) }]),
    );
    const wide = defineWorkflow({ name: 'wide', version: '1', steps });
    const handle = createSupervisor().start(wide, undefined, { bufferSize: 1 });
    await handle.result;
    const seen = await collect(handle.events);
    expect(seen.filter((event) => event.type === 'step.succeeded')).toHaveLength(5);
    expect(seen.filter((event) => event.type === 'step.started')).toHaveLength(5);
    expect(seen[0]?.type).toBe('run.started');
    expect(seen.at(-1)?.type).toBe('run.completed');
    expect(seen.filter((event) => DROPPABLE_EVENT_TYPES.has(event.type))).toHaveLength(0);
    expect(handle.dropped).toBeGreaterThanOrEqual(5);
  });

  it('uses a default buffer of DEFAULT_STREAM_BUFFER_SIZE events', async () => {
    const flood = defineWorkflow({
      name: 'flood',
      version: '1',
      steps: { a: { run: (_input: unknown, ctx: StepContext) => void ctx.emit(null) } },
    });
    const many = defineWorkflow({
      name: 'many',
      version: '1',
      steps: {
        a: {
          run: (_input: unknown, ctx: StepContext) => {
            for (let i = 0; i < 2 * DEFAULT_STREAM_BUFFER_SIZE; i++) ctx.emit(i);
          },
        },
      },
    });
    const supervisor = createSupervisor();
    const small = supervisor.start(flood);
    await small.result;
    expect(small.dropped).toBe(0);
    const big = supervisor.start(many);
    await big.result;
    expect((await collect(big.events)).length).toBe(DEFAULT_STREAM_BUFFER_SIZE);
  });

  it('unsubscribes when a loop breaks early, and the run goes on', async () => {
    const supervisor = createSupervisor();
    const subscriptions = countSubscriptions(supervisor);
    const handle = supervisor.start(twoSteps);
    expect(subscriptions.live).toBe(1);
    for await (const event of handle.events) {
      expect(event.type).toBe('checkpoint.appended');
      break;
    }
    expect(subscriptions.live).toBe(0);
    expect(await handle.events.next()).toEqual({ done: true, value: undefined });
    expect((await handle.result).status).toBe('succeeded');
  });

  it('unsubscribes when the run ends even if nobody iterates', async () => {
    const supervisor = createSupervisor();
    const subscriptions = countSubscriptions(supervisor);
    const handles = Array.from({ length: 20 }, () => supervisor.start(twoSteps));
    expect(subscriptions.live).toBe(20);
    await Promise.all(handles.map((handle) => handle.result));
    expect(subscriptions.live).toBe(0);
  });

  it('cancel(reason) cancels the run with a CancelledError whose cause is the reason', async () => {
    const stuck = defineWorkflow({ name: 'stuck', version: '1', steps: { wait: { run: untilAborted } } });
    const handle = createSupervisor().start(stuck);
    const seen: SupervisorEvent[] = [];
    for await (const event of handle.events) {
      seen.push(event);
      if (event.type === 'step.started') handle.cancel('user pressed stop');
    }
    const result = await handle.result;
    expect(result.status).toBe('cancelled');
    expect(result.error).toMatchObject({ code: 'BATON_CANCELLED' });
    expect(seen.at(-1)).toMatchObject({ type: 'run.completed', status: 'cancelled' });
    handle.cancel('after the end'); // a no-op
  });

  it('cancel() without a reason and the caller signal both cancel', async () => {
    const stuck = defineWorkflow({ name: 'stuck', version: '1', steps: { wait: { run: untilAborted } } });
    const supervisor = createSupervisor();
    let reason: unknown;
    supervisor.on('step.cancelled', (event) => (reason = event.reason));
    const byHandle = supervisor.start(stuck);
    await byHandle.events.next();
    byHandle.cancel();
    expect((await byHandle.result).status).toBe('cancelled');
    expect(reason).toMatchObject({ name: 'CancelledError' });

    const controller = new AbortController();
    const bySignal = supervisor.start(stuck, undefined, { signal: controller.signal });
    await bySignal.events.next();
    controller.abort(new Error('caller'));
    expect((await bySignal.result).status).toBe('cancelled');
    expect(new CancelledError('x').code).toBe('BATON_CANCELLED');
  });

  it('ends the events and rejects the result when the run cannot start', async () => {
    const stuck = defineWorkflow({ name: 'stuck', version: '1', steps: { wait: { run: untilAborted } } });
    const supervisor = createSupervisor();
    const first = supervisor.start(stuck, undefined, { runId: 'same' });
    const second = supervisor.start(stuck, undefined, { runId: 'same' });
    await expect(second.result).rejects.toBeInstanceOf(RunActiveError);
    expect(await collect(second.events)).toEqual([]);
    first.cancel();
    await first.result;
    const invalid = supervisor.start(stuck, undefined, { runId: 'not valid!' });
    await expect(invalid.result).rejects.toMatchObject({ code: 'BATON_INVALID_RUN_ID' });
  });

  it('refuses a bad bufferSize before starting anything', () => {
    const supervisor = createSupervisor();
    const started = vi.fn();
    supervisor.on('run.started', started);
    for (const bufferSize of [0, -1, 1.5, Number.NaN]) {
      let caught: unknown;
      try {
        supervisor.start(twoSteps, undefined, { bufferSize });
      } catch (error) {
        caught = error;
      }
      expect(BatonError.isInstance(caught) && caught.code).toBe('BATON_STREAM_OPTIONS_INVALID');
      expect((caught as Error).message).toContain(String(bufferSize));
    }
    expect(started).not.toHaveBeenCalled();
  });
});

describe('supervisor.startResume', () => {
  it('streams the resumed run: restored steps, then the rest', async () => {
    const store = new MemoryCheckpointStore();
    let failB = true;
    const flaky = defineWorkflow({
      name: 'flaky',
      version: '1',
      retry: { maxAttempts: 1 },
      steps: {
        a: { run: () => 'A' },
        b: {
          run: (a: unknown) => {
            if (failB) throw new Error('not yet');
            return `${String(a)}B`;
          },
          needs: ['a'],
        },
      },
    });
    const supervisor = createSupervisor({ store });
    const first = await supervisor.run(flaky, undefined, { runId: 'r1' });
    expect(first.status).toBe('failed');
    failB = false;
    const handle = supervisor.startResume(flaky, 'r1', { bufferSize: 8 });
    expect(handle.runId).toBe('r1');
    const seen = await collect(handle.events);
    expect(typesOf(seen)).toEqual(['run.started', 'step.restored', 'step.started', 'step.succeeded', 'run.completed']);
    expect(seen.find((event) => event.type === 'run.started')).toMatchObject({ resumed: true });
    expect((await handle.result).outputs).toEqual({ a: 'A', b: 'AB' });
  });

  it('ends at once for a run that already succeeded (its stored result)', async () => {
    const supervisor = createSupervisor();
    await supervisor.run(twoSteps, undefined, { runId: 'done' });
    const handle = supervisor.startResume(twoSteps, 'done');
    expect(await collect(handle.events)).toEqual([]);
    expect((await handle.result).status).toBe('succeeded');
  });
});

describe('RunHandle.events', () => {
  it('serves readers that call next() again before the last call settled, in order', async () => {
    const handle = createSupervisor().start(twoSteps);
    const reads = Array.from({ length: 30 }, () => handle.events.next());
    const results = await Promise.all(reads);
    const events = results.flatMap((result) => (result.done ? [] : [result.value]));
    expect(typesOf(events)).toEqual([
      'run.started',
      'step.started',
      'step.progress',
      'step.succeeded',
      'step.started',
      'step.succeeded',
      'run.completed',
    ]);
    expect(results.at(-1)).toEqual({ done: true, value: undefined });
  });

  it('keeps order across many evictions and compactions under a slow consumer', async () => {
    const total = 50_000;
    const interleaved = defineWorkflow({
      name: 'interleaved',
      version: '1',
      steps: {
        talk: {
          run: async (_input: unknown, ctx: StepContext) => {
            for (let i = 0; i < total; i++) {
              ctx.emit(i);
              if (i % 5000 === 0) await Promise.resolve();
            }
          },
        },
      },
    });
    const handle = createSupervisor().start(interleaved, undefined, { bufferSize: 100 });
    const progress: number[] = [];
    let reads = 0;
    for await (const event of handle.events) {
      if (event.type === 'step.progress') progress.push(event.data as number);
      // A consumer slower than the run: it yields to the run between reads now and then.
      if (++reads % 7 === 0) await new Promise<void>((resolve) => setImmediate(resolve));
    }
    expect(progress).toEqual([...progress].sort((x, y) => x - y));
    expect(new Set(progress).size).toBe(progress.length);
    expect(progress.at(-1)).toBe(total - 1);
    expect(handle.dropped).toBeGreaterThan(0);
  });
});
