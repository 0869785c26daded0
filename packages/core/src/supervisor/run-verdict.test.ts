import { describe, expect, it, vi } from 'vitest';
import { MemoryCheckpointStore } from '../checkpoint/memory-store.js';
import { defineWorkflow } from '../workflow/define-workflow.js';
import type { Agent } from '../workflow/types.js';
import { createSupervisor } from './supervisor.js';

/** What `fetch` (or an SDK with its own AbortController) throws when its own timer aborts it. */
const ownAbortError = () => new DOMException('This operation was aborted', 'AbortError');

describe('run verdict: a run succeeds only when every step that was not skipped succeeded', () => {
  it('fails the run (not a false success) when a step throws its own AbortError while the run goes on', async () => {
    const store = new MemoryCheckpointStore();
    const fetchLike = vi.fn(async () => {
      throw ownAbortError();
    });
    const after = vi.fn(() => 'after');
    const workflow = defineWorkflow({
      name: 'own-abort',
      version: '1',
      steps: { call: { run: fetchLike }, next: { run: after, needs: ['call'] } },
    });
    const result = await createSupervisor({ store }).run(workflow, undefined, { runId: 'own-abort' });
    expect(result).toMatchObject({
      status: 'failed',
      failedStep: 'call',
      steps: { call: { status: 'failed', attempts: 1 }, next: { status: 'pending' } },
    });
    expect(result.error).toMatchObject({ name: 'AbortError' });
    expect(fetchLike).toHaveBeenCalledTimes(1); // a cancelled verdict is not retried
    expect(after).not.toHaveBeenCalled();
    const records = await store.read('own-abort');
    expect(records.at(-1)).toMatchObject({ type: 'run.finished', status: 'failed' });
  });

  it('resume of such a run runs the step again instead of returning a stored success', async () => {
    const store = new MemoryCheckpointStore();
    let aborts = 1;
    const workflow = defineWorkflow({
      name: 'own-abort-resume',
      version: '1',
      steps: {
        call: {
          run: async () => {
            if (aborts-- > 0) throw ownAbortError();
            return 'ok';
          },
        },
        next: { run: (x: unknown) => `${String(x)}!`, needs: ['call'] },
      },
    });
    const supervisor = createSupervisor({ store });
    expect((await supervisor.run(workflow, undefined, { runId: 'r1' })).status).toBe('failed');
    const resumed = await supervisor.resume(workflow, 'r1');
    expect(resumed).toMatchObject({ status: 'succeeded', outputs: { call: 'ok', next: 'ok!' } });
  });

  it("fails the run when an agent's classifier labels its error cancelled while the run is not stopping", async () => {
    const agent: Agent & { calls: number } = {
      id: 'sdk',
      calls: 0,
      invoke: async () => {
        agent.calls++;
        throw new Error('sdk stream closed');
      },
      classifyError: () => ({ kind: 'cancelled' }),
    };
    const result = await createSupervisor().run(
      defineWorkflow({ name: 'cls', version: '1', steps: { a: { run: agent, retry: { maxAttempts: 3 } } } }),
    );
    expect(result).toMatchObject({
      status: 'failed',
      failedStep: 'a',
      steps: { a: { status: 'failed', attempts: 1, error: { kind: 'cancelled' } } },
    });
    expect(agent.calls).toBe(1);
  });

  it('retries an AbortError when the classifier says it is retryable', async () => {
    let calls = 0;
    const supervisor = createSupervisor({
      classifiers: [(error) => ((error as Error).name === 'AbortError' ? { kind: 'retryable' } : undefined)],
      retry: { initialDelayMs: 0 },
    });
    const result = await supervisor.run(
      defineWorkflow({
        name: 'retry-abort',
        version: '1',
        steps: {
          a: {
            run: async () => {
              if (calls++ === 0) throw ownAbortError();
              return 1;
            },
          },
        },
      }),
    );
    expect(result).toMatchObject({ status: 'succeeded', steps: { a: { status: 'succeeded', attempts: 2 } } });
  });

  it('still reports a cancelled run when the caller cancels (the step cancelled, not failed)', async () => {
    const controller = new AbortController();
    const workflow = defineWorkflow({
      name: 'caller-cancel',
      version: '1',
      steps: {
        a: {
          run: (_i: unknown, ctx) =>
            new Promise((_r, reject) => ctx.signal.addEventListener('abort', () => reject(ownAbortError()))),
        },
      },
    });
    const done = createSupervisor().run(workflow, undefined, { signal: controller.signal });
    setTimeout(() => controller.abort(), 1);
    expect(await done).toMatchObject({ status: 'cancelled', steps: { a: { status: 'cancelled' } } });
  });
});
