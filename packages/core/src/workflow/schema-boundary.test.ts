import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { MemoryCheckpointStore } from '../checkpoint/memory-store.js';
import type { CheckpointRecord, StepRecord } from '../checkpoint/types.js';
import { SchemaValidationError } from '../errors/schema-validation-error.js';
import { createSupervisor } from '../supervisor/supervisor.js';
import { workflow } from './builder.js';
import type { StandardSchemaV1 } from './standard-schema.js';

/**
 * A hand-written Standard Schema (no library): an object `{ title: string }`, reporting
 * the path as a PathSegment object the way some libraries do; `async` makes `validate`
 * return a promise, as async refinements do.
 */
function titleSchema(options: { async?: boolean } = {}): StandardSchemaV1<unknown, { title: string }> {
  const validate = (value: unknown): StandardSchemaV1.Result<{ title: string }> => {
    const title = (value as { title?: unknown } | null)?.title;
    if (typeof title === 'string') return { value: { title: title.trim() } };
    return { issues: [{ message: 'expected a string', path: [{ key: 'title' }] }] };
  };
  return {
    '~standard': {
      version: 1,
      vendor: 'hand-written',
      validate: options.async ? (value) => Promise.resolve().then(() => validate(value)) : validate,
    },
  };
}

function stepRecords(records: CheckpointRecord[]): StepRecord[] {
  return records.filter((record): record is StepRecord => 'stepId' in record);
}

async function failure(promise: Promise<unknown>): Promise<SchemaValidationError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(SchemaValidationError);
  return error as SchemaValidationError;
}

describe('run input schema', () => {
  for (const [label, schema] of [
    ['zod 4', z.object({ title: z.string().trim() })],
    ['a hand-written Standard Schema', titleSchema()],
    ['an async Standard Schema', titleSchema({ async: true })],
  ] as const) {
    it(`${label}: a match reaches the steps as the schema's output`, async () => {
      const wf = workflow({ name: 'in', version: '1', input: schema })
        .step('echo', (input) => input.title)
        .build();
      const result = await createSupervisor().run(wf, { title: '  spaced  ' });
      expect(result.status).toBe('succeeded');
      expect(result.outputs.echo).toBe('spaced');
    });

    it(`${label}: a mismatch rejects run() before anything is recorded, naming the path`, async () => {
      const store = new MemoryCheckpointStore();
      let ran = false;
      const wf = workflow({ name: 'in', version: '1', input: schema })
        .step('echo', () => {
          ran = true;
        })
        .build();
      // A wrong input on purpose (the cast gets it past the types): the run-time check is what is tested.
      const error = await failure(createSupervisor({ store }).run(wf, { title: 7 } as never, { runId: 'bad' }));
      expect(error.code).toBe('BATON_SCHEMA_MISMATCH');
      expect(error.boundary).toBe('run-input');
      expect(error.stepId).toBeUndefined();
      expect(error.issues.map((issue) => issue.path)).toEqual([['title']]);
      expect(error.message).toMatch(
        /^Input of workflow 'in' does not match its schema \(got \{"title":7\}\):\n {2}- title: /,
      );
      expect(ran).toBe(false);
      expect(await store.read('bad')).toEqual([]);
    });
  }
});

describe('step output schema', () => {
  for (const [label, schema] of [
    ['zod 4', z.object({ title: z.string().trim() })],
    ['a hand-written Standard Schema', titleSchema()],
    ['an async Standard Schema', titleSchema({ async: true })],
  ] as const) {
    it(`${label}: the checkpoint holds the schema's output`, async () => {
      const store = new MemoryCheckpointStore();
      const wf = workflow({ name: 'out', version: '1' })
        .step('draft', { run: () => ({ title: ' t ' }) as unknown, output: schema })
        .step('read', { needs: ['draft'], run: (draft) => draft.title.length })
        .build();
      const result = await createSupervisor({ store }).run(wf, undefined, { runId: 'ok' });
      expect(result.outputs).toEqual({ draft: { title: 't' }, read: 1 });
      const records = stepRecords(await store.read('ok'));
      expect(records.find((record) => record.stepId === 'draft' && record.status === 'succeeded')).toMatchObject({
        output: { title: 't' },
      });
    });

    it(`${label}: a mismatch fails the step and the run, fatal (one attempt), naming step and path`, async () => {
      const store = new MemoryCheckpointStore();
      let calls = 0;
      let downstream = false;
      const wf = workflow({ name: 'out', version: '1', retry: { maxAttempts: 3, initialDelayMs: 1 } })
        .step('draft', {
          run: () => {
            calls++;
            return { title: 42 } as unknown;
          },
          output: schema,
        })
        .step('read', {
          needs: ['draft'],
          run: () => {
            downstream = true;
          },
        })
        .build();
      const result = await createSupervisor({ store }).run(wf, undefined, { runId: 'bad' });
      expect(result.status).toBe('failed');
      expect(result.failedStep).toBe('draft');
      expect(result.steps.draft).toMatchObject({ status: 'failed', attempts: 1 });
      expect(calls).toBe(1);
      expect(downstream).toBe(false);
      const error = result.error as SchemaValidationError;
      expect(error).toBeInstanceOf(SchemaValidationError);
      expect(error).toMatchObject({ code: 'BATON_SCHEMA_MISMATCH', boundary: 'step-output', stepId: 'draft' });
      expect(error.issues.map((issue) => issue.path)).toEqual([['title']]);
      expect(error.message).toContain(`Output of step 'draft' does not match its schema (got {"title":42})`);
      // Nothing of the bad output was checkpointed as a success.
      const records = stepRecords(await store.read('bad'));
      expect(records.some((record) => record.stepId === 'draft' && record.status === 'succeeded')).toBe(false);
    });
  }

  it('names nested paths with indexes (zod 4)', async () => {
    const wf = workflow({ name: 'deep', version: '1' })
      .step('list', {
        run: () => ({ items: [{ title: 'a' }, { title: 2 }] }) as unknown,
        output: z.object({ items: z.array(z.object({ title: z.string() })) }),
      })
      .build();
    const result = await createSupervisor().run(wf);
    const error = result.error as SchemaValidationError;
    expect(error.issues.map((issue) => issue.path)).toEqual([['items', 1, 'title']]);
    expect(error.message).toContain('  - items.1.title: ');
  });

  it('a rejected async validation is a step failure, not an unhandled rejection', async () => {
    const broken: StandardSchemaV1 = {
      '~standard': { version: 1, vendor: 'hand-written', validate: () => Promise.reject(new Error('validator down')) },
    };
    const wf = workflow({ name: 'broken', version: '1', retry: { maxAttempts: 1 } })
      .step('a', { run: () => 1, output: broken })
      .build();
    const result = await createSupervisor().run(wf);
    expect(result.status).toBe('failed');
    expect(result.error!.message).toBe('validator down');
  });

  it('resume after an output schema failure runs the failed step again, not the finished ones', async () => {
    const store = new MemoryCheckpointStore();
    const calls = { plan: 0, draft: 0 };
    const wf = workflow({ name: 'resume', version: '1' })
      .step('plan', () => {
        calls.plan++;
        return 'topic';
      })
      .step('draft', {
        needs: ['plan'],
        // The first attempt returns a bad shape (e.g. a model's malformed answer); the next is fine.
        run: (topic) => (++calls.draft === 1 ? { title: null } : { title: topic }) as unknown,
        output: z.object({ title: z.string() }),
      })
      .build();
    const supervisor = createSupervisor({ store });
    const first = await supervisor.run(wf, undefined, { runId: 'r1' });
    expect(first.status).toBe('failed');
    expect(first.error).toBeInstanceOf(SchemaValidationError);
    const resumed = await supervisor.resume(wf, 'r1');
    expect(resumed.status).toBe('succeeded');
    expect(resumed.outputs).toEqual({ plan: 'topic', draft: { title: 'topic' } });
    expect(calls).toEqual({ plan: 1, draft: 2 });
  });
});

describe('step input schema', () => {
  it('checks the default input (async too) and passes the schema output to the step', async () => {
    const wf = workflow({ name: 'step-in', version: '1' })
      .step('a', () => ({ title: ' x ' }))
      .step('b', { needs: ['a'], input: titleSchema({ async: true }), run: (input) => input.title })
      .build();
    expect((await createSupervisor().run(wf)).outputs.b).toBe('x');
  });

  it('a mismatch fails the step before it runs, naming it', async () => {
    let ran = false;
    const wf = workflow({ name: 'step-in', version: '1' })
      .step('a', () => ({ title: 3 }) as unknown)
      .step('b', {
        needs: ['a'],
        input: titleSchema(),
        run: () => {
          ran = true;
        },
      })
      .build();
    const result = await createSupervisor().run(wf);
    expect(result.failedStep).toBe('b');
    expect(result.error).toMatchObject({ boundary: 'step-input', stepId: 'b' });
    expect(ran).toBe(false);
  });
});

describe('workflow output schema', () => {
  const outputs = z.object({ plan: z.string(), count: z.number().int() });

  it('a succeeded run whose outputs match stays succeeded', async () => {
    const wf = workflow({ name: 'wf-out', version: '1', output: outputs })
      .step('plan', () => 'p')
      .step('count', { needs: ['plan'], run: (plan) => plan.length })
      .build();
    const result = await createSupervisor().run(wf);
    expect(result.status).toBe('succeeded');
    expect(result.outputs).toEqual({ plan: 'p', count: 1 });
  });

  for (const async of [false, true]) {
    it(`outputs that do not match fail the run before run.finished is recorded (${async ? 'async' : 'sync'})`, async () => {
      const store = new MemoryCheckpointStore();
      const schema: StandardSchemaV1 = async
        ? { '~standard': { ...outputs['~standard'], validate: async (value) => outputs['~standard'].validate(value) } }
        : outputs;
      const wf = workflow({ name: 'wf-out', version: '1', output: schema })
        .step('plan', () => 'p')
        .step('count', { needs: ['plan'], run: (plan) => plan.length + 0.5 })
        .build();
      const result = await createSupervisor({ store }).run(wf, undefined, { runId: 'r' });
      expect(result.status).toBe('failed');
      expect(result.failedStep).toBeUndefined();
      const error = result.error as SchemaValidationError;
      expect(error).toBeInstanceOf(SchemaValidationError);
      expect(error).toMatchObject({ code: 'BATON_SCHEMA_MISMATCH', boundary: 'run-output', stepId: undefined });
      expect(error.issues.map((issue) => issue.path)).toEqual([['count']]);
      expect(error.message).toContain(`Outputs of workflow 'wf-out' do not match its schema`);
      const records = await store.read('r');
      expect(records.at(-1)).toMatchObject({ type: 'run.finished', status: 'failed' });
      // Each step's own output was stored as a success before the run's outputs were checked.
      expect(stepRecords(records).filter((record) => record.status === 'succeeded')).toHaveLength(2);
    });
  }

  it('a run failed by its output schema resumes under a changed schema (not hashed) without running steps', async () => {
    const store = new MemoryCheckpointStore();
    let calls = 0;
    const build = (schema: StandardSchemaV1) =>
      workflow({ name: 'wf-out', version: '1', output: schema })
        .step('count', () => {
          calls++;
          return 1.5;
        })
        .build();
    const strict = build(z.object({ count: z.number().int() }));
    const loose = build(z.object({ count: z.number() }));
    expect(loose.hash).toBe(strict.hash);
    const supervisor = createSupervisor({ store });
    expect((await supervisor.run(strict, undefined, { runId: 'r' })).status).toBe('failed');
    // The same schema fails the same way again; the restored step does not run.
    expect((await supervisor.resume(strict, 'r')).error).toBeInstanceOf(SchemaValidationError);
    const resumed = await supervisor.resume(loose, 'r');
    expect(resumed.status).toBe('succeeded');
    expect(resumed.outputs).toEqual({ count: 1.5 });
    expect(calls).toBe(1);
  });

  it('is not checked when the run did not succeed', async () => {
    let checked = false;
    const spy: StandardSchemaV1 = {
      '~standard': {
        version: 1,
        vendor: 'hand-written',
        validate: (value) => {
          checked = true;
          return { value };
        },
      },
    };
    const wf = workflow({ name: 'wf-out', version: '1', output: spy, retry: { maxAttempts: 1 } })
      .step('boom', () => {
        throw new Error('boom');
      })
      .build();
    expect((await createSupervisor().run(wf)).status).toBe('failed');
    expect(checked).toBe(false);
  });
});
