import type { StepMiddleware } from './types.js';

/** Composes middleware once (first outermost), in the style of Temporal's interceptors. */
export function composeStepMiddleware(middleware: readonly StepMiddleware[]): StepMiddleware | undefined {
  if (middleware.length === 0) return undefined;
  return middleware.reduceRight<StepMiddleware>(
    (inner, outer) => (input, next) => outer(input, () => inner(input, next)),
    (_input, next) => next(),
  );
}
