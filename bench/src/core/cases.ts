/** What core.bench.ts measures, and what each engine process answers. */
import type { Stats } from '../lib/stats.js';
import type { Shape } from './shapes.js';

/** Shapes of the per-step table. */
export const STEP_SHAPES: Shape[] = [
  { kind: 'chain', length: 200 },
  { kind: 'fanout', width: 100 },
];
/** One concurrent run: 5 steps, 1→3→1. */
export const CONCURRENT_SHAPE: Shape = { kind: 'fanout', width: 3 };
/** Runs in flight at once. */
export const CONCURRENT_RUNS = 1_000;
/** Steps in the chain that is validated. */
export const VALIDATION_LENGTH = 100_000;

/** Per-step timing of one shape. */
export interface ShapeResult {
  shape: string;
  steps: number;
  stats: Stats;
  perStepUs: number;
}
/** One validation case. */
export interface ValidationResult {
  label: string;
  steps: number;
  ms: number;
  samples: number;
}
/** What the `steps` task answers. */
export interface StepsResult {
  kind: 'steps';
  engine: string;
  shapes: ShapeResult[];
  validations: ValidationResult[];
}
/** What the `concurrent` task answers. */
export interface ConcurrentResult {
  kind: 'concurrent';
  engine: string;
  runs: number;
  stepsPerRun: number;
  stats: Stats;
  runsPerSec: number;
  perStepUs: number;
  baselineRssMB: number;
  peakRssMB: number;
}
/** A task that threw. */
export interface ErrorResult {
  kind: 'error';
  engine: string;
  task: string;
  message: string;
}
/** Any answer of an engine process. */
export type ChildResult = StepsResult | ConcurrentResult | ErrorResult;
