import { z } from 'zod';
import { breakerOptionsSchema } from '../breaker/circuit-breaker.js';
import { describeValue } from '../workflow/define-workflow.js';
import { FatalError } from '../errors/errors.js';
import { retryOptionsSchema } from '../retry/retry-policy.js';
import type { SupervisorOptions } from './types.js';

const positiveInt = z.number().int().min(1);
const limitSchema = z
  .object({
    maxConcurrency: positiveInt.optional(),
    rate: z
      .object({ limit: z.number().finite().positive(), intervalMs: z.number().finite().positive() })
      .strict()
      .optional(),
  })
  .strict();

const supervisorOptionsSchema = z
  .object({
    store: z.unknown().optional(),
    retry: retryOptionsSchema.optional(),
    breaker: breakerOptionsSchema.optional(),
    classifiers: z
      .array(z.custom<(error: unknown) => unknown>((value) => typeof value === 'function', 'must be a function'))
      .optional(),
    unknownErrorKind: z.enum(['retryable', 'fatal']).optional(),
    maxConcurrentRuns: positiveInt.optional(),
    maxQueuedRuns: z.number().int().min(0).optional(),
    maxOutputBytes: positiveInt.optional(),
    agentLimits: z.record(z.string(), limitSchema).optional(),
    healthCheckIntervalMs: z.number().finite().positive().optional(),
    healthWindowSize: positiveInt.optional(),
    prices: z
      .record(
        z.string().min(1),
        z.object({ inputUsdPerMillion: z.number().min(0), outputUsdPerMillion: z.number().min(0) }).strict(),
      )
      .optional(),
    random: z.custom<() => number>((value) => typeof value === 'function', 'must be a function').optional(),
    onListenerError: z.custom<() => void>((value) => typeof value === 'function', 'must be a function').optional(),
  })
  .strict();

/** Throws a `FatalError` (code `BATON_SUPERVISOR_OPTIONS_INVALID`) naming each bad option and its value. */
export function validateSupervisorOptions(options: SupervisorOptions): void {
  const parsed = supervisorOptionsSchema.safeParse(options, { reportInput: true });
  if (parsed.success) return;
  const lines = parsed.error.issues.map(
    (issue) =>
      `  - ${issue.path.join('.') || '(root)'}: ${issue.message}${'input' in issue ? ` (got ${describeValue(issue.input)})` : ''}`,
  );
  throw new FatalError(`Invalid supervisor options:\n${lines.join('\n')}`, {
    code: 'BATON_SUPERVISOR_OPTIONS_INVALID',
    cause: parsed.error,
  });
}
