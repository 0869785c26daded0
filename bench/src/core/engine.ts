import type { Shape } from './shapes.js';

/** A graph compiled by one engine, ready to run many times. */
export interface Runner {
  /** Runs the graph once and resolves to the last step's output. */
  run(input: number): Promise<unknown>;
  /** Drops accumulated state (stores, savers) between samples; called outside timing. */
  fresh?(): void;
}

/** One validation measurement of a `length`-step chain. */
export interface ValidationCase {
  label: string;
  steps: number;
  /** The timed operation; throws if the definition is judged invalid. */
  op: () => unknown;
  /** Measure once, without warmup (for operations that take minutes). */
  once?: boolean;
}

/** What each engine module exports as `engine`. */
export interface Engine {
  name: string;
  prepare(shape: Shape): Runner | Promise<Runner>;
  /** Validation cases for a chain of `length` steps; `full` adds slow ones. */
  validations?(length: number, full: boolean): ValidationCase[];
}

/** Engines by name; each is imported only by the process that measures it. */
export const ENGINES = {
  floor: () => import('./engine-floor.js'),
  baton: () => import('./engine-baton.js'),
  'baton+schema': () => import('./engine-baton-schema.js'),
  langgraph: () => import('./engine-langgraph.js'),
  'langgraph+saver': () => import('./engine-langgraph-saver.js'),
} satisfies Record<string, () => Promise<{ engine: Engine }>>;

/** Name of an engine. */
export type EngineName = keyof typeof ENGINES;
