// Type-level tests of the `workflow()` builder, compiled by `tsc` (the package's typecheck, so CI):
// a regression in inference makes an `expectTypeOf` fail or a `@ts-expect-error` unused.
import { expectTypeOf } from 'vitest';
import { z } from 'zod';
import { createSupervisor } from '../supervisor/supervisor.js';
import type { RunResult } from '../supervisor/types.js';
import { workflow } from './builder.js';
import type { StandardSchemaV1 } from './standard-schema.js';
import type { Agent, StepContext } from './types.js';

interface Plan {
  steps: string[];
}
const planner = (input: { topic: string }): Plan => ({ steps: [input.topic] });
const searcher: Agent<Plan, { hits: number }> = { id: 'search', invoke: (plan) => ({ hits: plan.steps.length }) };
const supervisor = createSupervisor();

// The example from the design notes: no cast, no annotation inside the chain.
const research = workflow({ name: 'research', version: '2.0.0', input: z.object({ topic: z.string() }) })
  .step('plan', planner)
  .step('search', { needs: ['plan'], run: searcher })
  .step('check', {
    needs: ['plan'],
    run: (plan, ctx) => {
      expectTypeOf(plan).toEqualTypeOf<Plan>();
      expectTypeOf(ctx.input).toEqualTypeOf<{ topic: string }>();
      expectTypeOf(ctx.outputs.plan).toEqualTypeOf<Plan>();
      // Earlier steps that are not needs may not have finished: possibly absent.
      expectTypeOf(ctx.outputs.search).toEqualTypeOf<{ hits: number } | undefined>();
      return { ok: plan.steps.length > 0 };
    },
  })
  .step('write', {
    needs: ['search', 'check'],
    run: async (input) => {
      expectTypeOf(input).toEqualTypeOf<{ search: { hits: number }; check: { ok: boolean } }>();
      return `${input.search.hits}`;
    },
    when: (ctx) => {
      expectTypeOf(ctx.outputs.check).toEqualTypeOf<{ ok: boolean }>();
      expectTypeOf(ctx.outputs.plan).toEqualTypeOf<Plan | undefined>();
      return ctx.outputs.check.ok;
    },
  })
  .build();

// result.outputs keeps the inferred types (Partial: a failed run has only some).
const result = await supervisor.run(research, { topic: 'x' });
expectTypeOf(result).toEqualTypeOf<
  RunResult<{ plan: Plan; search: { hits: number }; check: { ok: boolean }; write: string }>
>();
expectTypeOf(result.outputs.write).toEqualTypeOf<string | undefined>();
const resumed = await supervisor.resume(research, result.runId);
expectTypeOf(resumed.outputs.search).toEqualTypeOf<{ hits: number } | undefined>();

// run() with the wrong input, or none, when the workflow declares its input.
// @ts-expect-error 42 is not { topic: string }
void supervisor.run(research, 42);
// @ts-expect-error the input is required
void supervisor.run(research);
// @ts-expect-error a missing field
void supervisor.run(research, {});

// Without an input schema the run input is unknown, and run() takes anything (or nothing).
const untyped = workflow({ name: 'u', version: '1' })
  .step('a', (input) => {
    expectTypeOf(input).toEqualTypeOf<unknown>();
    return 1;
  })
  .build();
void supervisor.run(untyped);
void supervisor.run(untyped, 42, { runId: 'r' });

// The run() argument is the schema's input type, steps see its output type.
workflow({ name: 't', version: '1', input: z.object({ n: z.coerce.number(), tag: z.string().default('x') }) })
  .step('a', (input) => {
    expectTypeOf(input).toEqualTypeOf<{ n: number; tag: string }>();
    return input.n;
  })
  .build();

// Wrong needs key: only earlier step ids compile.
workflow({ name: 'n', version: '1' })
  .step('a', () => 1)
  // @ts-expect-error 'ghost' is not a step declared before
  .step('b', { needs: ['ghost'], run: () => 2 });
workflow({ name: 'n', version: '1' })
  // @ts-expect-error a step cannot need a later step (nor itself)
  .step('a', { needs: ['b'], run: () => 1 })
  .step('b', () => 2);

// Duplicate ids do not compile.
workflow({ name: 'd', version: '1' })
  .step('a', () => 1)
  // @ts-expect-error step id 'a' is already used
  .step('a', () => 2);

// Wrong input type: the step's input comes from its needs, never from run's annotation.
workflow({ name: 'i', version: '1' })
  .step('a', () => 1)
  // @ts-expect-error the input is a's output, a number
  .step('b', { needs: ['a'], run: (text: string) => text });
workflow({ name: 'i', version: '1', input: z.object({ topic: z.string() }) })
  // @ts-expect-error the run input is { topic: string }, not a number
  .step('a', (n: number) => n);
workflow({ name: 'i', version: '1' })
  .step('a', () => 'text')
  // @ts-expect-error the agent takes a number, the step's input is a string
  .step('b', { needs: ['a'], run: { id: 'x', invoke: (n: number) => n + 1 } as Agent<number, number> });

// Missing field in ctx.outputs.x or in the input.
workflow({ name: 'm', version: '1' })
  .step('a', () => ({ n: 1 }))
  // @ts-expect-error 'missing' is not in a's output
  .step('b', { needs: ['a'], run: (_input, ctx) => ctx.outputs.a.missing });
workflow({ name: 'm', version: '1' })
  .step('a', () => ({ n: 1 }))
  // @ts-expect-error a's output has no 'missing' either
  .step('b', { needs: ['a'], run: (input) => input.missing });
workflow({ name: 'm', version: '1' })
  .step('a', () => ({ n: 1 }))
  .step('b', () => 2)
  // @ts-expect-error b is not a need: possibly absent
  .step('c', { needs: ['a'], run: (_input, ctx) => ctx.outputs.b.toFixed() });

// An `input` callback replaces the default input; its return type is the step's input.
workflow({ name: 'c', version: '1' })
  .step('a', () => ({ n: 1 }))
  .step('b', {
    needs: ['a'],
    input: (ctx) => ctx.outputs.a.n * 2,
    run: (doubled) => {
      expectTypeOf(doubled).toEqualTypeOf<number>();
      return doubled;
    },
  });

// An output schema gives the step's type; an input schema checks (and types) the default input.
const schemas = workflow({ name: 's', version: '1' })
  .step('a', { run: () => ({ title: 'x' }) as unknown, output: z.object({ title: z.string() }) })
  .step('b', {
    needs: ['a'],
    input: z.object({ title: z.string().transform((title) => title.length) }),
    run: (input) => {
      expectTypeOf(input).toEqualTypeOf<{ title: number }>();
      return input.title;
    },
  })
  .build();
expectTypeOf<NonNullable<typeof schemas.__outputs>>().toEqualTypeOf<{ a: { title: string }; b: number }>();

// A hand-written Standard Schema (no library) types the same way.
const evenNumber: StandardSchemaV1<unknown, number> = {
  '~standard': {
    version: 1,
    vendor: 'hand',
    validate: (value) => (typeof value === 'number' ? { value } : { issues: [{ message: 'not a number' }] }),
  },
};
const hand = workflow({ name: 'h', version: '1', input: evenNumber })
  .step('a', (n) => n + 1)
  .build();
void supervisor.run(hand, 1);

// A step function written elsewhere, against the plain StepContext, still fits.
const standalone = (input: number, ctx: StepContext) => `${ctx.stepId}:${input}`;
workflow({ name: 'f', version: '1' })
  .step('a', () => 1)
  .step('b', { needs: ['a'], run: standalone });

// A need that may be skipped (it has `when`, or all its own needs may be skipped) is possibly
// undefined beside other needs: the run loop still runs the step unless every need was skipped.
workflow({ name: 'skip', version: '1' })
  .step('a', () => 1)
  .step('maybe', { needs: ['a'], when: (ctx) => ctx.outputs.a > 0, run: (n) => `${n}` })
  .step('after', {
    needs: ['maybe'],
    run: (text, ctx) => {
      // One need: had it been skipped, this step would be skipped too.
      expectTypeOf(text).toEqualTypeOf<string>();
      expectTypeOf(ctx.outputs.maybe).toEqualTypeOf<string>();
      return text.length;
    },
  })
  .step('both', {
    needs: ['a', 'maybe', 'after'],
    run: (input, ctx) => {
      expectTypeOf(input).toEqualTypeOf<{ a: number; maybe: string | undefined; after: number | undefined }>();
      expectTypeOf(ctx.outputs.a).toEqualTypeOf<number>();
      expectTypeOf(ctx.outputs.maybe).toEqualTypeOf<string | undefined>();
      return 0;
    },
  });

// Wait steps: the output is the schema's output; `prompt` sees `ctx.outputs` typed by `needs`.
{
  const wf = workflow({ name: 'w', version: '1' })
    .step('draft', () => ({ title: 'T' }))
    .step('review', {
      needs: ['draft'],
      waitFor: {
        schema: z.object({ approved: z.boolean() }),
        prompt: (ctx) => `Publish ${ctx.outputs.draft.title}?`,
      },
    })
    .step('publish', { needs: ['review'], run: (review) => review.approved })
    .build();
  expectTypeOf<NonNullable<(typeof wf)['__outputs']>['review']>().toEqualTypeOf<{ approved: boolean }>();
  expectTypeOf<NonNullable<(typeof wf)['__outputs']>['publish']>().toEqualTypeOf<boolean>();
}
