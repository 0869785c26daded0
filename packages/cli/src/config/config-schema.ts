import { isWorkflow } from '@baton/core';
import { z } from 'zod';

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null;

/** A `CheckpointStore` instance: duck-typed, since stores come from other packages (and other copies of core). */
const storeInstance = z.custom<object>(
  (value) =>
    isObject(value) &&
    ['append', 'read', 'listRuns', 'deleteRun'].every((method) => typeof value[method] === 'function'),
  {
    message:
      'must be { type: "fs" | "s3" | "pg", ... } or a CheckpointStore (an object with append, read, listRuns and deleteRun)',
  },
);

const fsStore = z
  .object({ type: z.literal('fs'), dir: z.string().min(1).optional(), durability: z.string().min(1).optional() })
  .strict();
const s3Store = z.object({ type: z.literal('s3') }).passthrough();
const pgStore = z
  .object({
    type: z.literal('pg'),
    // Checked here so a typo fails before any connection; the value is redacted when echoed back.
    connectionString: z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
      .optional(),
    schema: z.string().min(1).optional(),
    poolSize: z.number().int().min(1).optional(),
    leaseTtlMs: z.number().int().min(100).optional(),
    migrate: z.boolean().optional(),
  })
  .strict();

const registryEntry = z.custom<unknown>(
  (value) =>
    typeof value === 'function' || typeof value === 'string' || (isObject(value) && typeof value.invoke === 'function'),
  {
    message:
      'must be a function, an Agent (an object with `id` and `invoke`) or a module specifier string such as "./agents.mjs#plan"',
  },
);

/** A workflow defined in code: branded by `defineWorkflow` / `workflow()` (a global symbol, so any copy of core). */
const registeredWorkflow = z.custom<object>((value) => isWorkflow(value), {
  message: 'must be a workflow made by defineWorkflow() or workflow() from @baton/core',
});

/** zod schema of a loaded config module's default export. */
export const configSchema = z
  .object({
    store: z.union([fsStore, s3Store, pgStore, storeInstance]).optional(),
    registry: z.record(z.string().min(1), registryEntry).optional(),
    supervisor: z.record(z.string(), z.unknown()).optional(),
    workflows: z.array(registeredWorkflow).optional(),
  })
  .strict();
