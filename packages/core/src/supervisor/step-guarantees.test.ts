import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { MemoryCheckpointStore } from '../checkpoint/memory-store.js';
import type { CheckpointRecord } from '../checkpoint/types.js';
import { RetryableError, StepTimeoutError } from '../errors/errors.js';
import type { SupervisorEvent } from '../events/types.js';
import { defineWorkflow } from '../workflow/define-workflow.js';
import type { Agent, StepContext } from '../workflow/types.js';
import { createSupervisor } from './supervisor.js';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('a step timeout', () => {
  it('aborts ctx.signal with a StepTimeoutError (not only stops waiting for the step)', async () => {
    const signals: AbortSignal[] = [];
    const reasons: unknown[] = [];
    const workflow = defineWorkflow({
      name: 'timeout-signal',
      version: '1',
      steps: {
        s: {
          timeoutMs: 100,
          retry: { maxAttempts: 2, initialDelayMs: 10, jitter: 'none' },
          run: (_input: unknown, ctx: StepContext) => {
            signals.push(ctx.signal);
            ctx.signal.addEventListener('abort', () => reasons.push(ctx.signal.reason), { once: true });
            return new Promise(() => {}); // ignores its signal: only the abort tells it to stop
          },
        },
      },
    });
    const done = createSupervisor().run(workflow);
    await vi.advanceTimersByTimeAsync(99);
    expect(signals).toHaveLength(1);
    expect(signals[0]!.aborted).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(signals[0]!.aborted).toBe(true);
    expect(reasons[0]).toBeInstanceOf(StepTimeoutError);
    await vi.advanceTimersByTimeAsync(110);
    expect(await done).toMatchObject({ status: 'failed', steps: { s: { status: 'timed_out', attempts: 2 } } });
    expect(signals.map((signal) => signal.aborted)).toEqual([true, true]); // every attempt's signal, each its own
    expect(signals[0]).not.toBe(signals[1]);
  });
});

describe('checkpoint order', () => {
  it("a dependent step never starts before its predecessor's record is appended (slow store)", async () => {
    const log: string[] = [];
    const base = new MemoryCheckpointStore();
    const slowStore = Object.assign(Object.create(base) as MemoryCheckpointStore, {
      append: (record: CheckpointRecord) =>
        new Promise<void>((resolve, reject) =>
          setTimeout(() => {
            base.append(record).then(() => {
              if (record.type === 'step') log.push(`stored ${record.stepId}`);
              resolve();
            }, reject);
          }, 50),
        ),
    });
    const step = (id: string) => () => (log.push(`start ${id}`), id);
    const workflow = defineWorkflow({
      name: 'order',
      version: '1',
      steps: { a: { run: step('a') }, b: { run: step('b'), needs: ['a'] }, c: { run: step('c'), needs: ['a', 'b'] } },
    });
    const done = createSupervisor({ store: slowStore }).run(workflow);
    await vi.advanceTimersByTimeAsync(1000);
    expect((await done).status).toBe('succeeded');
    expect(log).toEqual(['start a', 'stored a', 'start b', 'stored b', 'start c', 'stored c']);
  });
});

describe('fallback agents', () => {
  const agent = (id: string, behaviour: () => unknown): Agent & { calls: number } => {
    const created = {
      id,
      calls: 0,
      invoke: async () => {
        created.calls++;
        return behaviour();
      },
    };
    return created;
  };

  it("runs the first fallback whose breaker admits the call while the primary's is open, with a step.fallback event", async () => {
    const primary = agent('primary', () => {
      throw new RetryableError('503');
    });
    const spare = agent('spare', () => 'from spare');
    const supervisor = createSupervisor({ breaker: { consecutiveFailures: 1, halfOpenAfterMs: 60_000 } });
    const events: SupervisorEvent[] = [];
    supervisor.on('step.fallback', (event) => events.push(event));
    const workflow = defineWorkflow({
      name: 'fb',
      version: '1',
      steps: { s: { run: primary, fallback: [spare], retry: { maxAttempts: 2, initialDelayMs: 0 } } },
    });
    const done = supervisor.run(workflow);
    await vi.advanceTimersByTimeAsync(10);
    const result = await done;
    expect(result).toMatchObject({ status: 'succeeded', outputs: { s: 'from spare' }, steps: { s: { attempts: 2 } } });
    expect(primary.calls).toBe(1); // its breaker opened after the first failure
    expect(spare.calls).toBe(1);
    expect(events).toEqual([
      expect.objectContaining({ stepId: 's', attempt: 2, from: 'primary', to: 'spare', agentId: 'spare' }),
    ]);
    expect(supervisor.health()).toMatchObject({
      primary: { calls: 1, successRate: 0 },
      spare: { calls: 1, successRate: 1 },
    });
  });

  it('skips a fallback whose own breaker is open and fails with CircuitOpenError when every breaker is open', async () => {
    const primary = agent('p', () => {
      throw new RetryableError('down');
    });
    const first = agent('f1', () => {
      throw new RetryableError('down too');
    });
    const second = agent('f2', () => 'second spare');
    const supervisor = createSupervisor({ breaker: { consecutiveFailures: 1, halfOpenAfterMs: 60_000 } });
    const chain = defineWorkflow({
      name: 'fb2',
      version: '1',
      steps: { s: { run: primary, fallback: [first, second], retry: { maxAttempts: 3, initialDelayMs: 0 } } },
    });
    const done = supervisor.run(chain);
    await vi.advanceTimersByTimeAsync(10);
    expect(await done).toMatchObject({ status: 'succeeded', outputs: { s: 'second spare' } });
    expect([primary.calls, first.calls, second.calls]).toEqual([1, 1, 1]);

    const onlyOpen = defineWorkflow({
      name: 'fb3',
      version: '1',
      steps: { s: { run: primary, fallback: [first], retry: { maxAttempts: 1 } } },
    });
    const refused = await supervisor.run(onlyOpen);
    expect(refused).toMatchObject({ status: 'failed', error: { code: 'BATON_CIRCUIT_OPEN', key: 'p' } });
    expect([primary.calls, first.calls]).toEqual([1, 1]); // neither was called
  });
});
