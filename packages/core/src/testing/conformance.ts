/**
 * `@baton/core/testing/conformance`: the `CheckpointStore` conformance suite. It registers vitest
 * tests, so it imports vitest; the runtime-free helpers live in `@baton/core/testing`.
 * @packageDocumentation
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CHECKPOINT_FORMAT_VERSION, type CheckpointRecord, type CheckpointStore } from '../checkpoint/types.js';
import { defineWorkflow } from '../workflow/define-workflow.js';
import { createSupervisor } from '../supervisor/supervisor.js';
import { FatalError } from '../errors/errors.js';
import { uniqueRunId } from './unique-run-id.js';

export { uniqueRunId };

/**
 * How the conformance suite gets a store. Each test creates a fresh store;
 * stores may share backing storage across tests as long as run ids differ
 * (every test uses unique run ids).
 */
export interface CheckpointStoreInitializer {
  /** Shown in the suite's name. */
  name: string;
  create(): Promise<CheckpointStore> | CheckpointStore;
  /** Opens a second store over the same backing storage (for durability and multi-writer tests). */
  reopen?(store: CheckpointStore): Promise<CheckpointStore> | CheckpointStore;
  destroy?(store: CheckpointStore): Promise<void> | void;
  beforeAll?(): Promise<void> | void;
  afterAll?(): Promise<void> | void;
}

const WORKFLOW = { name: 'conformance', version: '1', hash: 'f'.repeat(64) };

function started(runId: string, input: unknown = { topic: 'x' }): CheckpointRecord {
  return {
    v: CHECKPOINT_FORMAT_VERSION,
    type: 'run.started',
    runId,
    seq: 0,
    at: Date.now(),
    workflow: WORKFLOW,
    input,
  };
}
function step(runId: string, seq: number, output: unknown = { n: seq }): CheckpointRecord {
  return {
    v: CHECKPOINT_FORMAT_VERSION,
    type: 'step',
    runId,
    seq,
    at: Date.now(),
    workflow: WORKFLOW,
    stepId: `s${seq}`,
    status: 'succeeded',
    attempt: 1,
    durationMs: 1,
    output,
  };
}
function finished(runId: string, seq: number, status: 'succeeded' | 'failed' = 'succeeded'): CheckpointRecord {
  return { v: CHECKPOINT_FORMAT_VERSION, type: 'run.finished', runId, seq, at: Date.now(), workflow: WORKFLOW, status };
}

/** Runs Baton's `CheckpointStore` contract against a store implementation. */
export function checkpointStoreConformance(initializer: CheckpointStoreInitializer): void {
  describe(`CheckpointStore conformance: ${initializer.name}`, () => {
    const stores: CheckpointStore[] = [];
    const open = async () => {
      const store = await initializer.create();
      stores.push(store);
      return store;
    };
    if (initializer.beforeAll) beforeAll(() => initializer.beforeAll!());
    if (initializer.afterAll) afterAll(() => initializer.afterAll!());
    afterEach(async () => {
      for (const store of stores.splice(0)) {
        await initializer.destroy?.(store);
      }
    });

    describeRecords(open);
    describeRuns(open);
    if (initializer.reopen) {
      describeDurability(open, async (store) => {
        const reopened = await initializer.reopen!(store);
        stores.push(reopened); // destroyed after the test like the rest
        return reopened;
      });
    }
    describeResume(open);
    describeOwnership(open);
  });
}

function describeRecords(open: () => Promise<CheckpointStore>): void {
  it('reads back appended records in order, equal to what was written', async () => {
    const store = await open();
    const runId = uniqueRunId('order');
    const records = [started(runId), ...Array.from({ length: 9 }, (_, i) => step(runId, i + 1))];
    for (const record of records) await store.append(record);
    expect(await store.read(runId)).toEqual(records);
  });

  it('returns [] for an unknown run', async () => {
    const store = await open();
    expect(await store.read(uniqueRunId('unknown'))).toEqual([]);
  });

  it('rejects a duplicate or out-of-order seq with BATON_CHECKPOINT_CONFLICT and keeps the log intact', async () => {
    const store = await open();
    const runId = uniqueRunId('conflict');
    await store.append(started(runId));
    await expect(store.append(started(runId))).rejects.toMatchObject({ code: 'BATON_CHECKPOINT_CONFLICT' });
    await expect(store.append(step(runId, 5))).rejects.toMatchObject({ code: 'BATON_CHECKPOINT_CONFLICT' });
    expect((await store.read(runId)).map((record) => record.seq)).toEqual([0]);
  });

  it('applies appends issued without awaiting in call order', async () => {
    const store = await open();
    const runId = uniqueRunId('pipelined');
    const records = [started(runId), ...Array.from({ length: 49 }, (_, i) => step(runId, i + 1))];
    await Promise.all(records.map((record) => store.append(record)));
    expect((await store.read(runId)).map((record) => record.seq)).toEqual(records.map((record) => record.seq));
  });

  it('round-trips large and unusual outputs exactly', async () => {
    const store = await open();
    const runId = uniqueRunId('large');
    const big = 'é🎉x'.repeat(256 * 1024);
    const odd = {
      nested: { deep: [1, null, true, 'ünïcødé', { '2': 'b', '1': 'a' }] },
      empty: {},
      list: [],
      quote: '"\n\\',
    };
    await store.append(started(runId, odd));
    await store.append(step(runId, 1, big));
    const read = await store.read(runId);
    expect(read[0]).toMatchObject({ input: odd });
    expect((read[1] as { output: string }).output).toBe(big);
  });

  it('rejects invalid run ids with BATON_INVALID_RUN_ID', async () => {
    const store = await open();
    for (const bad of ['../etc/passwd', 'a/b', '', 'x'.repeat(200), '..']) {
      await expect(store.read(bad)).rejects.toMatchObject({ code: 'BATON_INVALID_RUN_ID' });
    }
    await expect(store.append(started('../escape'))).rejects.toMatchObject({ code: 'BATON_INVALID_RUN_ID' });
  });
}

function describeRuns(open: () => Promise<CheckpointStore>): void {
  it('keeps runs isolated, also under concurrent appends to many runs', async () => {
    const store = await open();
    const runIds = Array.from({ length: 20 }, () => uniqueRunId('iso'));
    await Promise.all(
      runIds.map(async (runId) => {
        await store.append(started(runId, { runId }));
        for (let seq = 1; seq <= 10; seq++) await store.append(step(runId, seq, { runId, seq }));
      }),
    );
    for (const runId of runIds) {
      const records = await store.read(runId);
      expect(records).toHaveLength(11);
      expect(records.every((record) => record.runId === runId)).toBe(true);
      expect(records.slice(1).map((record) => (record as { output: { seq: number } }).output.seq)).toEqual([
        1, 2, 3, 4, 5, 6, 7, 8, 9, 10,
      ]);
    }
  });

  it('lists runs with status and timestamps, filtered by status and workflow', async () => {
    const store = await open();
    const done = uniqueRunId('list-done');
    const failed = uniqueRunId('list-failed');
    const running = uniqueRunId('list-running');
    for (const runId of [done, failed, running]) await store.append(started(runId));
    await store.append(finished(done, 1, 'succeeded'));
    await store.append(finished(failed, 1, 'failed'));
    const all = await store.listRuns();
    const byId = new Map(all.map((summary) => [summary.runId, summary]));
    expect(byId.get(done)).toMatchObject({ status: 'succeeded', records: 2, workflow: WORKFLOW });
    expect(byId.get(failed)).toMatchObject({ status: 'failed' });
    expect(byId.get(running)).toMatchObject({ status: 'running', records: 1 });
    expect(byId.get(done)!.updatedAt).toBeGreaterThanOrEqual(byId.get(done)!.startedAt);
    const succeeded = (await store.listRuns({ status: 'succeeded' })).map((summary) => summary.runId);
    expect(succeeded).toContain(done);
    expect(succeeded).not.toContain(failed);
    expect((await store.listRuns({ workflow: 'no-such-workflow' })).length).toBe(0);
  });

  it('deletes a run', async () => {
    const store = await open();
    const runId = uniqueRunId('delete');
    await store.append(started(runId));
    await store.append(step(runId, 1));
    await store.deleteRun(runId);
    expect(await store.read(runId)).toEqual([]);
    expect((await store.listRuns()).some((summary) => summary.runId === runId)).toBe(false);
    await store.append(started(runId)); // the id is free again
  });

  it('grants a run to one owner at a time when it supports acquire()', async () => {
    const store = await open();
    if (!store.acquire) return;
    const runId = uniqueRunId('lease');
    const lease = await store.acquire(runId);
    await expect(store.acquire(runId)).rejects.toMatchObject({ code: 'BATON_CHECKPOINT_CONFLICT' });
    await lease.release();
    const again = await store.acquire(runId);
    await again.release();
  });
}

function describeDurability(
  open: () => Promise<CheckpointStore>,
  reopen: (store: CheckpointStore) => Promise<CheckpointStore> | CheckpointStore,
): void {
  it('keeps records across store instances, and a second instance cannot append the same seq', async () => {
    const store = await open();
    const runId = uniqueRunId('reopen');
    await store.append(started(runId));
    await store.append(step(runId, 1));
    const other = await reopen(store);
    expect((await other.read(runId)).map((record) => record.seq)).toEqual([0, 1]);
    await expect(other.append(step(runId, 1))).rejects.toMatchObject({ code: 'BATON_CHECKPOINT_CONFLICT' });
  });

  it('does not let a second store instance acquire a run the first one holds', async () => {
    const store = await open();
    if (!store.acquire) return;
    const runId = uniqueRunId('lease-two');
    const lease = await store.acquire(runId);
    const other = await reopen(store);
    await expect(other.acquire!(runId)).rejects.toMatchObject({ code: 'BATON_CHECKPOINT_CONFLICT' });
    await lease.release();
    await (await other.acquire!(runId)).release();
  });
}

function describeOwnership(open: () => Promise<CheckpointStore>): void {
  it('reports a live owner while a run is acquired and none once released (stores with acquire and ownerOf)', async () => {
    const store = await open();
    if (!store.acquire || !store.ownerOf) return; // both are optional: nothing to check
    const runId = uniqueRunId('owner');
    expect(await store.ownerOf(runId)).toBeUndefined();
    const lease = await store.acquire(runId);
    await store.append(started(runId));
    const owner = await store.ownerOf(runId);
    expect(owner).toMatchObject({ alive: true });
    expect(typeof owner?.description).toBe('string');
    await lease.release();
    expect(await store.ownerOf(runId)).toBeUndefined();
  });
}

function describeResume(open: () => Promise<CheckpointStore>): void {
  it('resumes through a supervisor: finished steps are restored, not run again', async () => {
    const store = await open();
    const calls: string[] = [];
    let failWrite = true;
    const workflow = defineWorkflow({
      name: 'conformance-resume',
      version: '1',
      steps: {
        plan: { run: (input: { topic: string }) => (calls.push('plan'), `plan:${input.topic}`) },
        write: {
          needs: ['plan'],
          run: (plan: string) => {
            calls.push('write');
            if (failWrite) throw new FatalError('writer down');
            return `${plan}:written`;
          },
        },
      },
    });
    const supervisor = createSupervisor({ store });
    const runId = uniqueRunId('resume');
    const first = await supervisor.run(workflow, { topic: 't' }, { runId });
    expect(first.status).toBe('failed');
    failWrite = false;
    const second = await supervisor.resume(workflow, runId);
    expect(second).toMatchObject({ status: 'succeeded', outputs: { plan: 'plan:t', write: 'plan:t:written' } });
    expect(second.steps.plan).toMatchObject({ status: 'succeeded', restored: true });
    expect(calls).toEqual(['plan', 'write', 'write']);
    const third = await supervisor.resume(workflow, runId);
    expect(third.outputs).toEqual(second.outputs);
    expect(calls).toHaveLength(3);
  });

  it('keeps wait.started and input.received in the chain: a suspended run lists as suspended and resumes with input', async () => {
    const store = await open();
    const answer = {
      '~standard': {
        version: 1 as const,
        vendor: 'conformance',
        validate: (value: unknown) =>
          typeof value === 'object' && value !== null && typeof (value as { ok?: unknown }).ok === 'boolean'
            ? { value: value as { ok: boolean } }
            : { issues: [{ message: 'expected { ok: boolean }', path: ['ok'] }] },
      },
    };
    const workflow = defineWorkflow({
      name: 'conformance-wait',
      version: '1',
      steps: {
        draft: { run: () => 'text' },
        review: { needs: ['draft'], waitFor: { schema: answer, prompt: 'Publish?' } },
        publish: { needs: ['review'], run: (review: { ok: boolean }) => (review.ok ? 'published' : 'dropped') },
      },
    });
    const supervisor = createSupervisor({ store });
    const runId = uniqueRunId('wait');
    const first = await supervisor.run(workflow, undefined, { runId });
    expect(first.status).toBe('suspended');
    expect((await store.listRuns({ status: 'suspended' })).map((summary) => summary.runId)).toContain(runId);
    const wait = (await store.read(runId)).find((record) => record.type === 'wait.started');
    expect(wait).toMatchObject({ stepId: 'review', key: 'review', prompt: 'Publish?' });
    const second = await supervisor.resume(workflow, runId, { inputs: { review: { ok: true } }, by: 'conformance' });
    expect(second).toMatchObject({ status: 'succeeded', outputs: { publish: 'published' } });
    const records = await store.read(runId);
    expect(records.map((record) => record.type)).toEqual([
      'run.started',
      'step',
      'wait.started',
      'run.finished',
      'input.received',
      'run.resumed',
      'step',
      'step',
      'run.finished',
    ]);
    expect(records[4]).toMatchObject({ key: 'review', value: { ok: true }, by: 'conformance' });
  });
}
