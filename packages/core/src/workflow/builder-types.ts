// The type machinery of the `workflow()` builder, in one place. Each helper says what it computes.
// Everything here is type-level: nothing in this file exists at run time.
import type { StandardSchemaV1 } from './standard-schema.js';
import type {
  Agent,
  BudgetOptions,
  StepBreakerOptions,
  StepContext,
  StepDecisionContext,
  WaitStepOptions,
} from './types.js';
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
 * dependency's output with one, an object keyed by dependency id with several. With
 * several needs, one that may be skipped (`TSkip`) may be `undefined` in that object:
 * the step still runs unless all its needs were skipped.
 */
export type DefaultStepInput<
  TRunInput,
  TOut extends OutputMap,
  TNeeds extends readonly EarlierStepId<TOut>[],
  TSkip extends string = never,
> = TNeeds extends readonly []
  ? TRunInput
  : TNeeds extends readonly [infer One extends keyof TOut]
    ? TOut[One]
    : { [K in TNeeds[number]]: K extends TSkip ? TOut[K] | undefined : TOut[K] };

/**
 * The needs whose outputs are sure to be present when the step runs: its one need (had
 * it been skipped, the step would be skipped too), or, with several, those that cannot
 * be skipped.
 */
export type PresentNeeds<TNeeds extends readonly string[], TSkip extends string> = TNeeds extends readonly [
  infer One extends string,
]
  ? One
  : Exclude<TNeeds[number], TSkip>;

/**
 * What `ctx.outputs` holds when a step (or its `when` / `input` callback) runs: the
 * outputs of its needs (finished before it starts; see `PresentNeeds`), and the other
 * earlier steps' outputs as possibly absent (they may not have finished, or not run).
 */
export type VisibleOutputs<
  TOut extends OutputMap,
  TNeeds extends readonly EarlierStepId<TOut>[],
  TSkip extends string = never,
> = { readonly [K in keyof TOut as K extends PresentNeeds<TNeeds, TSkip> ? K : never]: TOut[K] } & {
  readonly [K in keyof TOut as K extends PresentNeeds<TNeeds, TSkip> ? never : K]?: TOut[K];
};

/**
 * Whether a new step may end `skipped`: its definition has a `when`,
 * or all of its needs may be skipped (the run loop then skips it too).
 */
export type MaySkip<TNeeds extends readonly string[], TSkip extends string, TDefinition> = TDefinition extends {
  when: object;
}
  ? true
  : TNeeds extends readonly []
    ? false
    : [TNeeds[number]] extends [TSkip]
      ? true
      : false;

/** The condition a step may carry, typed like its `ctx`. */
export type TypedWhen<TOutputs extends OutputMap, TRunInput> = (
  ctx: StepDecisionContext<TOutputs, TRunInput>,
) => boolean;

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
  TSkip extends string = never,
> {
  /** Ids of earlier steps that must finish first (only ids declared before this step compile). */
  needs?: TNeeds;
  /** The step's code: a function or an Agent. (`NoInfer`: the input type comes from `needs` or `input`, never from `run`.) */
  run: TypedRun<NoInfer<TInput>, TOutput, VisibleOutputs<TOut, TNeeds, TSkip>, TRunInput>;
  /** Run only when this returns true; otherwise the step is `skipped` (and typed as possibly absent downstream). */
  when?: TypedWhen<VisibleOutputs<TOut, TNeeds, TSkip>, TRunInput>;
  /**
   * Computes the step's input instead of the default rule; or a Standard Schema that
   * checks the default input at run time (the step then receives the schema's output).
   */
  input?:
    | ((ctx: StepDecisionContext<VisibleOutputs<TOut, TNeeds, TSkip>, TRunInput>) => TInput)
    // Any schema input type: a schema of `unknown` checks a `{ title: string }` as well (the check is at run time).
    | StandardSchemaV1<unknown, TInput>;
  /** A Standard Schema the output must match before it is checkpointed; its output type is the step's. */
  output?: TSchema;
  /** Retry policy, merged over the workflow's and the defaults. */
  retry?: RetryOptions;
  /** Per-attempt timeout in ms. */
  timeoutMs?: number;
  /** Usage limit of this step (see `BudgetOptions`). */
  budget?: BudgetOptions;
  /** Circuit breaker; agent steps get one keyed by agent id by default. */
  breaker?: StepBreakerOptions;
  /** Agents to call instead when the primary's breaker is open, in order (same input and output). */
  fallback?: readonly Agent<NoInfer<TInput>, NoInfer<TOutput>>[];
  /** Free text for docs and displays. */
  description?: string;
}

/**
 * A wait step in the builder: instead of `run`, `waitFor` asks a person for input;
 * `prompt` sees `ctx.outputs` typed by `needs`; the step's output is the schema's output.
 */
export interface TypedWaitStepDefinition<
  TRunInput,
  TOut extends OutputMap,
  TNeeds extends readonly EarlierStepId<TOut>[],
  TWait extends StandardSchemaV1,
  TSkip extends string = never,
> {
  /** Ids of earlier steps that must finish first. */
  needs?: TNeeds;
  /** What to ask and the schema of the answer (see `StepContext.waitFor`). */
  waitFor: WaitStepOptions<TWait, StepContext<VisibleOutputs<TOut, TNeeds, TSkip>, TRunInput>>;
  /** Ask only when this returns true; otherwise the step is `skipped`. */
  when?: TypedWhen<VisibleOutputs<TOut, TNeeds, TSkip>, TRunInput>;
  /** Free text for docs and displays. */
  description?: string;
}

/** The output a step contributes: its output schema's output type when it has one, else what `run` returns. */
export type StepResult<TOutput, TSchema> = TSchema extends StandardSchemaV1 ? SchemaOutput<TSchema> : TOutput;
