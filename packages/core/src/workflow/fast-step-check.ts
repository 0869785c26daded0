import { isAgent } from './schema.js';

const SIMPLE_KEYS = new Set(['run', 'needs', 'when', 'input', 'timeoutMs', 'description']);

/**
 * True only for steps that `stepSchema` certainly accepts: known keys, `run` a
 * function or an Agent, `needs` an array of non-empty strings, and only the
 * simple optional fields. Anything else (retry, breaker, fallback, any doubt)
 * returns false and goes through zod, which stays the source of truth and of
 * every error message. This keeps validating 100,000 steps fast.
 */
export function isPlainValidStep(step: unknown): boolean {
  if (typeof step !== 'object' || step === null) return false;
  const value = step as Record<string, unknown>;
  for (const key in value) if (!SIMPLE_KEYS.has(key)) return false;
  const run = value.run;
  if (typeof run !== 'function' && !isAgent(run)) return false;
  const needs = value.needs;
  if (needs !== undefined) {
    if (!Array.isArray(needs)) return false;
    for (let i = 0; i < needs.length; i++) if (typeof needs[i] !== 'string' || needs[i] === '') return false;
  }
  if (value.when !== undefined && typeof value.when !== 'function') return false;
  if (value.input !== undefined && typeof value.input !== 'function') return false;
  if (value.description !== undefined && typeof value.description !== 'string') return false;
  const timeout = value.timeoutMs;
  return timeout === undefined || (typeof timeout === 'number' && Number.isFinite(timeout) && timeout > 0);
}
