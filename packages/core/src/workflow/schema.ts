import { z } from 'zod';
import { breakerOptionsSchema } from '../breaker/circuit-breaker.js';
import { retryOptionsSchema } from '../retry/retry-policy.js';
import { isStandardSchema, type StandardSchemaV1 } from './standard-schema.js';
import type { Agent, NodeFn } from './types.js';

/** True for an object usable as an Agent: a non-empty string `id` and an `invoke` function. */
export function isAgent(value: unknown): value is Agent {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Agent).invoke === 'function' &&
    typeof (value as Agent).id === 'string' &&
    (value as Agent).id.length > 0
  );
}

const agentSchema = z.custom<Agent>(isAgent, {
  message: 'must be an Agent (an object with a non-empty string `id` and an `invoke` function)',
});
const runSchema = z.custom<NodeFn | Agent>((value) => typeof value === 'function' || isAgent(value), {
  message: 'must be a function or an Agent (an object with a non-empty string `id` and an `invoke` function)',
});
const callback = (what: string) =>
  z.custom<(...args: never[]) => unknown>((value) => typeof value === 'function', {
    message: `must be a function ${what}`,
  });
const positiveMs = z.number().finite().positive();
const budgetSchema = z
  .object({
    tokens: z.number().finite().positive().optional(),
    costUsd: z.number().finite().positive().optional(),
    onExceeded: z.enum(['fail', 'suspend']),
  })
  .strict()
  .refine((budget) => budget.tokens !== undefined || budget.costUsd !== undefined, {
    message: 'a budget needs `tokens` or `costUsd`',
  });
const standardSchema = z.custom<StandardSchemaV1>(isStandardSchema, {
  message: 'must be a Standard Schema (zod 4, valibot, arktype...: an object with `~standard.validate`)',
});

/** zod schema of one step (the source of truth for what a step may hold). */
export const stepSchema = z
  .object({
    run: runSchema.optional(),
    waitFor: z
      .object({
        schema: standardSchema,
        prompt: z.union([z.string(), callback('(ctx) => string')]),
        timeoutMs: positiveMs.optional(),
        onTimeout: z.union([z.literal('fail'), z.object({ value: z.unknown() }).strict()]).optional(),
        key: z.string().min(1).optional(),
      })
      .strict()
      .optional(),
    budget: budgetSchema.optional(),
    needs: z.array(z.string().min(1)).optional(),
    when: callback('(ctx) => boolean').optional(),
    input: z
      .custom<unknown>((value) => typeof value === 'function' || isStandardSchema(value), {
        message: 'must be a function (ctx) => input, or a Standard Schema',
      })
      .optional(),
    output: standardSchema.optional(),
    retry: retryOptionsSchema.optional(),
    timeoutMs: positiveMs.optional(),
    breaker: z.union([z.literal(false), breakerOptionsSchema.extend({ key: z.string().min(1).optional() })]).optional(),
    fallback: z.array(agentSchema).optional(),
    description: z.string().optional(),
  })
  .strict()
  .refine((step) => (step.run === undefined) !== (step.waitFor === undefined), {
    message: 'a step needs exactly one of `run` (a function or an Agent) and `waitFor` (a wait step)',
  });

/** zod schema of `defineWorkflow`'s options. */
export const workflowSchema = z
  .object({
    name: z.string().min(1),
    version: z.string().min(1),
    description: z.string().optional(),
    // Each step is checked by stepSchema on its own; a z.record here would walk 100,000 keys again.
    steps: z.custom<Record<string, unknown>>(
      (value) => typeof value === 'object' && value !== null && !Array.isArray(value),
      { message: 'must be an object of steps keyed by step id' },
    ),
    input: standardSchema.optional(),
    output: standardSchema.optional(),
    budget: budgetSchema.optional(),
    timeoutMs: positiveMs.optional(),
    retry: retryOptionsSchema.optional(),
    concurrency: z.number().int().min(1).optional(),
    maxDepth: z.number().int().min(1).optional(),
    entrypoint: z.string().min(1).optional(),
  })
  .strict();
