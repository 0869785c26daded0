import { describe, expect, it } from 'vitest';
import { MemoryCheckpointStore } from '../checkpoint/memory-store.js';
import type { CheckpointRecord, CheckpointStore } from '../checkpoint/types.js';
import { LeaseLostError } from '../errors/errors.js';
import { defineWorkflow } from '../workflow/define-workflow.js';
import type { StepContext } from '../workflow/types.js';
import { createSupervisor } from './supervisor.js';

/** Every append this execution asked for, whether the store took it or not. */
function spyStore(base: CheckpointStore, refuse?: (record: CheckpointRecord) => unknown) {
  const asked: string[] = [];
  const store: CheckpointStore = {
    append: (record) => {
      asked.push(`${record.seq}:${record.type === 'step' ? `step ${record.stepId}` : record.type}`);
      const error = refuse?.(record);
      return error ? Promise.reject(error) : base.append(record);
    },
    read: (runId) => base.read(runId),
    listRuns: (options) => base.listRuns(options),
    deleteRun: (runId) => base.deleteRun(runId),
  };
  return { store, asked };
}

function takeoverWorkflow(onSlowStart: (ctx: StepContext) => void, sideEffects: string[]) {
  return defineWorkflow({
    name: 'fenced',
    version: '1',
    steps: {
      fast: {
        run: async () => {
          await new Promise((resolve) => setTimeout(resolve, 5));
          return 'fast';
        },
      },
      slow: {
        run: (_input: unknown, ctx: StepContext) => {
          onSlowStart(ctx);
          return new Promise((_resolve, reject) =>
            ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason), { once: true }),
          );
        },
      },
      after: { run: () => (sideEffects.push('after ran'), 'after'), needs: ['fast'] },
    },
  });
}

describe('fencing: after a refused append the execution never appends again', () => {
  it("after a CheckpointConflictError it stops appending (no run.finished in the new owner's chain), aborts running steps, fails with the conflict", async () => {
    const base = new MemoryCheckpointStore();
    const { store, asked } = spyStore(base);
    const sideEffects: string[] = [];
    let slowSignal: AbortSignal | undefined;
    // While our steps run, a new owner takes the run over and appends its own record at seq 1.
    const workflow = takeoverWorkflow((ctx) => {
      slowSignal = ctx.signal;
      void base.append({
        v: 1,
        type: 'run.resumed',
        runId: 'taken',
        seq: 1,
        at: 1,
        workflow: { name: 'fenced', version: '1', hash: 'new-owner' },
      } as CheckpointRecord);
    }, sideEffects);
    const result = await createSupervisor({ store }).run(workflow, undefined, { runId: 'taken' });

    expect(result).toMatchObject({
      status: 'failed',
      error: { code: 'BATON_CHECKPOINT_CONFLICT' },
      steps: { slow: { status: 'cancelled' }, after: { status: 'pending' } },
    });
    expect(slowSignal?.aborted).toBe(true);
    expect(sideEffects).toEqual([]); // the dependent never started
    // We asked for seq 1 once (refused); nothing after it: no step record of `slow`, no run.finished at seq 2.
    expect(asked).toEqual(['0:run.started', '1:step fast']);
    const chain = await base.read('taken');
    expect(chain.map((record) => `${record.seq}:${record.type}`)).toEqual(['0:run.started', '1:run.resumed']);
  });

  it('after a LeaseLostError from store.append it stops appending and ends with that LeaseLostError', async () => {
    const base = new MemoryCheckpointStore();
    const lost = new LeaseLostError('paused', 'lease expired at 12:00:00 while this worker was paused; fenced');
    const { store, asked } = spyStore(base, (record) => (record.type === 'step' ? lost : undefined));
    const sideEffects: string[] = [];
    let slowSignal: AbortSignal | undefined;
    const result = await createSupervisor({ store }).run(
      takeoverWorkflow((ctx) => (slowSignal = ctx.signal), sideEffects),
      undefined,
      { runId: 'paused' },
    );

    expect(result.status).toBe('failed');
    expect(result.error).toBe(lost);
    expect(result.error).toMatchObject({
      code: 'BATON_LEASE_LOST',
      message: "Lease on run 'paused' lost: lease expired at 12:00:00 while this worker was paused; fenced",
    });
    expect(slowSignal?.aborted).toBe(true);
    expect(sideEffects).toEqual([]);
    expect(asked).toEqual(['0:run.started', '1:step fast']);
    expect((await base.read('paused')).map((record) => record.type)).toEqual(['run.started']);
  });

  it('a resume after the fence continues from the chain as stored (the refused seq was never advanced past)', async () => {
    const base = new MemoryCheckpointStore();
    let refuse = true;
    const { store, asked } = spyStore(base, (record) =>
      refuse && record.type === 'step' ? new LeaseLostError('again', 'fenced') : undefined,
    );
    const workflow = defineWorkflow({
      name: 'again',
      version: '1',
      steps: { a: { run: () => 'A' }, b: { run: (x: unknown) => `${String(x)}B`, needs: ['a'] } },
    });
    const supervisor = createSupervisor({ store });
    expect((await supervisor.run(workflow, undefined, { runId: 'again' })).error).toMatchObject({
      code: 'BATON_LEASE_LOST',
    });
    expect(asked).toEqual(['0:run.started', '1:step a']);
    refuse = false;
    const resumed = await supervisor.resume(workflow, 'again');
    expect(resumed).toMatchObject({ status: 'succeeded', outputs: { a: 'A', b: 'AB' } });
    expect(asked.slice(2)).toEqual(['1:run.resumed', '2:step a', '3:step b', '4:run.finished']);
  });
});
