// A typed workflow: every step's input, `ctx.outputs` and result inferred by the builder,
// the run input and one step's output checked by schemas at run time. No cast, no annotation
// inside the chain. Run it: `pnpm --filter @baton/examples build && node dist/typed-workflow.js`.
import { createSupervisor, SchemaValidationError, workflow, type Agent } from '@baton/core';
import { z } from 'zod';

/** What the planner returns. */
export interface Plan {
  topic: string;
  questions: string[];
}

/** An agent declares its types; the builder checks them against the step's needs. */
export const searcher: Agent<Plan, { hits: string[] }> = {
  id: 'searcher',
  invoke: (plan) => ({ hits: plan.questions.map((question) => `${plan.topic}: ${question}`) }),
};

/** The workflow: `plan` → `search` and `check` in parallel → `write`. */
export const typedResearch = workflow({
  name: 'typed-research',
  version: '1.0.0',
  input: z.object({ topic: z.string().min(1), depth: z.number().int().positive().default(2) }),
})
  // input: { topic: string; depth: number } (the schema's output, defaults filled in)
  .step(
    'plan',
    (input): Plan => ({
      topic: input.topic,
      questions: ['what', 'why', 'how'].slice(0, input.depth),
    }),
  )
  // needs: ['plan'] only compiles because `plan` is declared above; the input is its output
  .step('search', { needs: ['plan'], run: searcher })
  // a model's answer, checked before it is checkpointed: a mismatch fails the step (fatal)
  .step('check', {
    needs: ['plan'],
    run: (plan) => ({ ok: plan.questions.length > 0, notes: `${plan.questions.length} questions` }),
    output: z.object({ ok: z.boolean(), notes: z.string() }),
  })
  // several needs: the input is { search, check }; `when` sees typed outputs
  .step('write', {
    needs: ['search', 'check'],
    when: (ctx) => ctx.outputs.check.ok,
    run: ({ search, check }, ctx) => `# ${ctx.input.topic}\n${search.hits.join('\n')}\n(${check.notes})`,
  })
  .build();

/** Runs the workflow once with a good input and once with a bad one. */
export async function main(): Promise<void> {
  const supervisor = createSupervisor();
  const result = await supervisor.run(typedResearch, { topic: 'tides' });
  // result.outputs.write is `string | undefined`: typed from the step, absent if it did not succeed
  console.log(result.status, result.outputs.write);
  try {
    // `{ topic: '' }` compiles (a string) but fails the schema's min(1): rejected before anything is recorded
    await supervisor.run(typedResearch, { topic: '' });
  } catch (error) {
    if (error instanceof SchemaValidationError) console.log(error.code, error.issues[0]?.path);
    else throw error;
  }
  await supervisor.close();
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
