// The type machinery of the `workflow()` builder, in one place. Each helper says what it computes.
// Everything here is type-level: nothing in this file exists at run time.
import type { StandardSchemaV1 } from './standard-schema.js';
import type { Agent, StepBreakerOptions, StepContext, StepDecisionContext } from './types.js';
import type { RetryOptions } from '../retry/retry-policy.js';

/** Output types of the steps declared so far, by step id (what the builder threads from step to step). */
export type OutputMap = Record<string, unknown>;

/** The outputs before the first step: none. */
export type NoOutputs = Record<never, never>;

/** Flattens an intersection into one object type, so editors show `{ a: A; b: B }` rather than `A & B`. */
export type Simplify<T> = { [K in keyof T]: T[K] } & {};

/** The static type a schema produces (its output), or `unknown` without a schema. */
export type SchemaOutput<S> = S extends StandardSchemaV1 ? StandardSchemaV1.InferOutput<S> : unknown;

/** Ids that `needs` may name: the steps declared before this one. */
export type EarlierStepId<TOut extends OutputMap> = keyof TOut & string;

/**
 * A new step's id, or an error message type when the id is already used (so a duplicate
 * id does not compile and the message says why).
 */
export type NewStepId<Id extends string, TOut extends OutputMap> = Id extends keyof TOut
  ? `step id '${Id}' is already used in this workflow`
  : Id;

/**
 * The input a step receives when it gives no `input` callback, exactly the run loop's
 * rule (run-execution.ts `defaultInput`): the run input with no needs, the one
 * dependency's output with one, an object keyed by dependency id with several.
 */
export type DefaultStepInput<
  TRunInput,
  TOut extends OutputMap,
  TNeeds extends readonly EarlierStepId<TOut>[],
> = TNeeds extends readonly []
  ? TRunInput
  : TNeeds extends readonly [infer One extends keyof TOut]
    ? TOut[One]
    : { [K in TNeeds[number]]: TOut[K] };

/**
 * What `ctx.outputs` holds when a step (or its `when` / `input` callback) runs: the
 * outputs of its needs (finished before it starts), and the other earlier steps'
 * outputs as possibly absent (they may not have finished, or not have run).
 */
export type VisibleOutputs<TOut extends OutputMap, TNeeds extends readonly EarlierStepId<TOut>[]> = Readonly<
  Simplify<{ [K in TNeeds[number]]: TOut[K] } & { [K in Exclude<keyof TOut, TNeeds[number]>]?: TOut[K] }>
>;

/** A step function as the builder types it: input and `ctx` from the steps before it. */
export type TypedNodeFn<TInput, TOutput, TOutputs extends OutputMap, TRunInput> = (
  input: TInput,
  ctx: StepContext<TOutputs, TRunInput>,
) => Promise<TOutput> | TOutput;

/** A step's code in the builder: a typed function or an `Agent` whose input accepts the step's input. */
export type TypedRun<TInput, TOutput, TOutputs extends OutputMap, TRunInput> =
  | TypedNodeFn<TInput, TOutput, TOutputs, TRunInput>
  | Agent<TInput, TOutput>;

/**
 * A step definition in the builder: `StepDefinition` with `needs` limited to earlier
 * ids and every callback typed. `TInput` is the step's input (the default rule, or what
 * the `input` callback / schema produces); `TOutput` what `run` returns; `TSchema` the
 * optional output schema.
 */
export interface TypedStepDefinition<
  TRunInput,
  TOut extends OutputMap,
  TNeeds extends readonly EarlierStepId<TOut>[],
  TInput,
  TOutput,
  TSchema extends StandardSchemaV1 | undefined,
> {
  /** Ids of earlier steps that must finish first (only ids declared before this step compile). */
  needs?: TNeeds;
  /** The step's code: a function or an Agent. (`NoInfer`: the input type comes from `needs` or `input`, never from `run`.) */
  run: TypedRun<NoInfer<TInput>, TOutput, VisibleOutputs<TOut, TNeeds>, TRunInput>;
  /** Run only when this returns true; otherwise the step is `skipped`. */
  when?: (ctx: StepDecisionContext<VisibleOutputs<TOut, TNeeds>, TRunInput>) => boolean;
  /**
   * Computes the step's input instead of the default rule; or a Standard Schema that
   * checks the default input (the step then receives the schema's output).
   */
  input?:
    | ((ctx: StepDecisionContext<VisibleOutputs<TOut, TNeeds>, TRunInput>) => TInput)
    | StandardSchemaV1<DefaultStepInput<TRunInput, TOut, TNeeds>, TInput>;
  /** A Standard Schema the output must match before it is checkpointed; its output type is the step's. */
  output?: TSchema;
  /** Retry policy, merged over the workflow's and the defaults. */
  retry?: RetryOptions;
  /** Per-attempt timeout in ms. */
  timeoutMs?: number;
  /** Circuit breaker; agent steps get one keyed by agent id by default. */
  breaker?: StepBreakerOptions;
  /** Agents to call instead when the primary's breaker is open, in order (same input and output). */
  fallback?: readonly Agent<NoInfer<TInput>, NoInfer<TOutput>>[];
  /** Free text for docs and displays. */
  description?: string;
}

/** The output a step contributes: its output schema's output type when it has one, else what `run` returns. */
export type StepResult<TOutput, TSchema> = TSchema extends StandardSchemaV1 ? SchemaOutput<TSchema> : TOutput;
