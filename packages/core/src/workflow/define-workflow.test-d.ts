// Type-level tests of the record form: what `defineWorkflow` infers without a builder.
import { expectTypeOf } from 'vitest';
import { z } from 'zod';
import { createSupervisor } from '../supervisor/supervisor.js';
import { defineWorkflow } from './define-workflow.js';
import type { Agent } from './types.js';

const checker: Agent<{ steps: string[] }, { ok: boolean }> = {
  id: 'check',
  invoke: (plan) => ({ ok: plan.steps.length > 0 }),
};

// The root README's shape: `when` reads ctx.outputs without a cast.
const research = defineWorkflow({
  name: 'research',
  version: '1',
  input: z.object({ topic: z.string() }),
  steps: {
    plan: { run: (input: { topic: string }) => ({ steps: [input.topic] }) },
    check: { needs: ['plan'], run: checker },
    write: {
      needs: ['check'],
      run: (check: { ok: boolean }) => String(check.ok),
      when: (ctx) => {
        expectTypeOf(ctx.input).toEqualTypeOf<{ topic: string }>();
        // Every step's output, each possibly absent: the record form cannot see `needs`.
        expectTypeOf(ctx.outputs.check).toEqualTypeOf<{ ok: boolean } | undefined>();
        expectTypeOf(ctx.outputs.plan).toEqualTypeOf<{ steps: string[] } | undefined>();
        return ctx.outputs.check?.ok === true;
      },
    },
    summary: {
      needs: ['plan'],
      input: (ctx) => ctx.outputs.plan?.steps.length ?? 0,
      run: (count: number) => count,
      output: z.number().transform(String),
    },
  },
});

const result = await createSupervisor().run(research, { topic: 'x' });
expectTypeOf(result.outputs.plan).toEqualTypeOf<{ steps: string[] } | undefined>();
expectTypeOf(result.outputs.check).toEqualTypeOf<{ ok: boolean } | undefined>();
expectTypeOf(result.outputs.write).toEqualTypeOf<string | undefined>();
// An output schema gives the static type.
expectTypeOf(result.outputs.summary).toEqualTypeOf<string | undefined>();

defineWorkflow({
  name: 'ghost',
  version: '1',
  steps: {
    a: { run: () => ({ n: 1 }) },
    // @ts-expect-error 'ghost' is not a step of this workflow
    b: { needs: ['a'], run: () => 2, when: (ctx) => ctx.outputs.ghost !== undefined },
  },
});
defineWorkflow({
  name: 'field',
  version: '1',
  steps: {
    a: { run: () => ({ n: 1 }) },
    // @ts-expect-error 'missing' is not in a's output
    b: { needs: ['a'], run: () => 2, when: (ctx) => ctx.outputs.a?.missing === 1 },
  },
});
