import type { Agent, StepContext } from '../workflow/types.js';

/** One scripted outcome: a value to return, or an error to throw. */
export type ScriptedOutcome = { value: unknown } | { error: unknown } | ((input: unknown, ctx: StepContext) => unknown);

/** An agent whose calls follow a script; the last entry repeats. Records each call's input and context. */
export interface ScriptedAgent extends Agent {
  readonly calls: { input: unknown; attempt: number; idempotencyKey: string }[];
}

/**
 * Creates a test agent: `scriptedAgent('writer', [{ error: new RetryableError('busy') }, { value: 'ok' }])`
 * fails once, then returns 'ok' on every later call.
 */
export function scriptedAgent(
  id: string,
  script: readonly ScriptedOutcome[],
  extra: Partial<Omit<Agent, 'id' | 'invoke'>> = {},
): ScriptedAgent {
  if (script.length === 0) throw new TypeError('scriptedAgent needs at least one outcome');
  const calls: ScriptedAgent['calls'] = [];
  return {
    id,
    ...extra,
    calls,
    async invoke(input, ctx) {
      const outcome = script[Math.min(calls.length, script.length - 1)]!;
      calls.push({ input, attempt: ctx.attempt, idempotencyKey: ctx.idempotencyKey });
      if (typeof outcome === 'function') return outcome(input, ctx);
      if ('error' in outcome) throw outcome.error;
      return outcome.value;
    },
  };
}
