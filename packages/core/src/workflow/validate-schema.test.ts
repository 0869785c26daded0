import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createSupervisor } from '../supervisor/supervisor.js';
import { SchemaValidationError } from '../errors/schema-validation-error.js';
import { defineWorkflow } from './define-workflow.js';

describe('Standard Schema at the boundary', () => {
  it('rejects a run whose input does not match the workflow input schema, before recording anything', async () => {
    const supervisor = createSupervisor();
    const wf = defineWorkflow({
      name: 'w',
      version: '1',
      input: z.object({ topic: z.string() }),
      steps: { a: { run: (input: unknown) => input } },
    });
    // @ts-expect-error a wrong input on purpose: the run-time check is what is tested
    const error = await supervisor.run(wf, { topic: 42 }, { runId: 'bad-input' }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(SchemaValidationError);
    expect((error as SchemaValidationError).issues[0]!.path).toEqual(['topic']);
    expect(await supervisor.store.read('bad-input')).toEqual([]);
  });

  it('passes the schema output to steps', async () => {
    const wf = defineWorkflow({
      name: 'w',
      version: '1',
      input: z.object({ n: z.coerce.number() }),
      steps: { a: { run: (input: { n: number }) => input.n + 1 } },
    });
    const result = await createSupervisor().run(wf, { n: '41' });
    expect(result.outputs.a).toBe(42);
  });

  it('fails a step, without retrying, when its output does not match its schema, naming the step and path', async () => {
    let calls = 0;
    const wf = defineWorkflow({
      name: 'w',
      version: '1',
      steps: {
        plan: {
          run: () => {
            calls++;
            return { title: 1 };
          },
          output: z.object({ title: z.string() }),
        },
      },
    });
    const result = await createSupervisor().run(wf);
    expect(result.status).toBe('failed');
    expect(result.failedStep).toBe('plan');
    expect(calls).toBe(1);
    expect(result.error).toBeInstanceOf(SchemaValidationError);
    expect(result.error!.message).toContain("Output of step 'plan'");
    expect(result.error!.message).toContain('title');
  });

  it('checks a step input given as a schema', async () => {
    const wf = defineWorkflow({
      name: 'w',
      version: '1',
      steps: { a: { run: (input: unknown) => input, input: z.string() } },
    });
    const result = await createSupervisor().run(wf, 5);
    expect(result.status).toBe('failed');
    expect(result.error!.message).toContain("Input of step 'a'");
  });
});
