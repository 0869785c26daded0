import type { ErrorClassifier } from '../retry/classify-error.js';
import type { RetryOptions } from '../retry/retry-policy.js';
import type { BreakerOptions } from '../breaker/circuit-breaker.js';
import type { StandardSchemaV1 } from './standard-schema.js';

/** Token counts an agent reports for one call (used by tracing and cost tracking). */
export interface TokenUsage {
  inputTokens?: number;
  outputTokens?: number;
  totalTokens?: number;
  /** The model that produced the tokens, when known. */
  model?: string;
  /**
   * The provider that served the model, when the agent learns it only at call time (e.g. a bridge worker):
   * a `gen_ai.provider.name` value such as `openai`. Tracing prefers the agent's own `provider`.
   */
  provider?: string;
}

/** Identity of a workflow definition, recorded in every checkpoint. */
export interface WorkflowIdentity {
  name: string;
  version: string;
  /** SHA-256 of the definition's structure (see `defineWorkflow`). */
  hash: string;
}

/**
 * What a step's code receives besides its input. The builder (`workflow()`) fills
 * the type parameters: `outputs` typed by the steps before this one, `input` by the
 * workflow's input schema.
 */
export interface StepContext<
  TOutputs extends Readonly<Record<string, unknown>> = Readonly<Record<string, unknown>>,
  TRunInput = unknown,
> {
  readonly runId: string;
  readonly stepId: string;
  /** 1 for the first attempt, 2 for the first retry, ... (counted within one `run`/`resume` call). */
  readonly attempt: number;
  /** Aborted when the step times out, the run is cancelled or times out, or a sibling fails. */
  readonly signal: AbortSignal;
  /** `${runId}:${stepId}`: the same on every retry and every resume, for de-duplicating side effects. */
  readonly idempotencyKey: string;
  /** Outputs of finished upstream steps, by step id. */
  readonly outputs: TOutputs;
  /** The run's input. */
  readonly input: TRunInput;
  readonly workflow: WorkflowIdentity;
  /** Publish a progress event (`step.progress`) with `data`. */
  emit(data: unknown): void;
  /** Report token usage (`step.usage` event). */
  reportUsage(usage: TokenUsage): void;
  /** Trace context to propagate to other processes (e.g. `{ traceparent }`), when a tracing plugin is installed. */
  readonly traceContext?: Readonly<Record<string, string>>;
  /**
   * Asks a person for input under `key` (LangGraph's `interrupt()` rule): the first time,
   * the step suspends (the run ends `suspended` once nothing else can run); on
   * `resume(wf, runId, { inputs: { [key]: value } })` the step runs again from its start
   * and `waitFor` returns the stored answer, checked by `schema` (its output). Keep side
   * effects before it idempotent (`idempotencyKey`).
   */
  waitFor<TSchema extends StandardSchemaV1>(
    key: string,
    options: WaitForOptions<TSchema, StepContext<TOutputs, TRunInput>>,
  ): Promise<StandardSchemaV1.InferOutput<TSchema>>;
}

/** What a wait asks for: `schema` checks the answer; `prompt` is shown to the person. */
export interface WaitForOptions<TSchema extends StandardSchemaV1 = StandardSchemaV1, TContext = StepContext> {
  /** A Standard Schema for the answer; its JSON Schema (when the library converts, `~standard.jsonSchema`) is recorded for the CLI. */
  schema: TSchema;
  /** The question, or a function of the step's context building it. */
  prompt: string | ((ctx: TContext) => string);
  /** Time allowed for the answer (ms, from the first time the wait opens); past it, `onTimeout` applies at the next resume. */
  timeoutMs?: number;
  /** `'fail'` (default): the step fails with `WaitTimeoutError`; `{ value }`: the wait returns `value`. */
  onTimeout?: 'fail' | { value: StandardSchemaV1.InferInput<TSchema> };
}

/**
 * A limit on the usage steps report with `ctx.reportUsage`: tokens (`totalTokens`, else input + output) and/or
 * cost in USD (from the supervisor's `prices` table by model; usage of a model not in the table costs 0).
 * `onExceeded: 'fail'` fails the step that crossed it with a fatal `BudgetExceededError`; `'suspend'` suspends
 * it with a wait of key `budget` whose answer `{ tokens?, costUsd? }` raises the limit by that much.
 */
export interface BudgetOptions {
  tokens?: number;
  costUsd?: number;
  onExceeded: 'fail' | 'suspend';
}

/** What one model costs, in USD per million tokens (a `SupervisorOptions.prices` entry; Baton ships no prices). */
export interface ModelPrice {
  inputUsdPerMillion: number;
  outputUsdPerMillion: number;
}

/** A wait step's `waitFor`: a wait's options plus its `key` (the step id by default). */
export interface WaitStepOptions<TSchema extends StandardSchemaV1 = StandardSchemaV1, TContext = StepContext>
  extends WaitForOptions<TSchema, TContext> {
  /** The input's key in `resume({ inputs })`. @default the step id */
  key?: string;
}

/** A plain step function. */
// biome-ignore lint/suspicious/noExplicitAny: default type parameters: a function or agent of any input and output
export type NodeFn<TInput = any, TOutput = any> = (input: TInput, ctx: StepContext) => Promise<TOutput> | TOutput;

/** Result of an agent's own health check. */
export interface AgentHealthCheck {
  ok: boolean;
  /** Why it is not ok, or any detail worth showing. */
  detail?: string;
}

/**
 * An agent: anything with an `id` and `invoke`. Adapters build these from
 * framework objects; users can write their own (see docs/custom-adapter.md).
 */
// biome-ignore lint/suspicious/noExplicitAny: default type parameters: a function or agent of any input and output
export interface Agent<TInput = any, TOutput = any> {
  /** Stable id; the default circuit-breaker, limit and health key. */
  readonly id: string;
  /** Display name for traces and logs. */
  readonly name?: string;
  /** Model provider, for traces (`gen_ai.provider.name`). */
  readonly provider?: string;
  /** True when the agent runs in another process or service (a bridge worker): traces show its calls as client calls. */
  readonly remote?: boolean;
  /** Classifies this agent's framework errors; consulted before core's rules. */
  readonly classifyError?: ErrorClassifier;
  invoke(input: TInput, ctx: StepContext): Promise<TOutput> | TOutput;
  /** A real, cheap check of the agent (e.g. a ping of its backend). */
  health?(signal: AbortSignal): Promise<AgentHealthCheck> | AgentHealthCheck;
  /** Releases resources (processes, connections). */
  close?(): Promise<void> | void;
}

/** What `when` and `input` callbacks see (typed like `StepContext` by the builder). */
export interface StepDecisionContext<
  TOutputs extends Readonly<Record<string, unknown>> = Readonly<Record<string, unknown>>,
  TRunInput = unknown,
> {
  readonly runId: string;
  readonly stepId: string;
  readonly input: TRunInput;
  readonly outputs: TOutputs;
}

/** Circuit breaker settings of a step: `false` to disable, or a key and options. */
export type StepBreakerOptions = false | (Partial<BreakerOptions> & { key?: string });

/** One step of a workflow. */
export interface StepDefinition {
  /** The step's code: a function or an Agent. Required unless the step is a wait step (`waitFor`). */
  run?: NodeFn | Agent;
  /**
   * Makes this a wait step: instead of running code it asks a person for input (see `StepContext.waitFor`);
   * its output is the validated answer. Exclusive with `run`.
   */
  waitFor?: WaitStepOptions;
  /** Usage limit of this step (its attempts within one execution of the run). */
  budget?: BudgetOptions;
  /** Ids of steps that must finish first. */
  needs?: readonly string[];
  /** Run only when this returns true; otherwise the step is `skipped`. */
  when?: (ctx: StepDecisionContext) => boolean;
  /**
   * Computes the step's input, replacing the default (the run input for a step without `needs`, the dependency's
   * output with one, an object keyed by dependency id with several); or a Standard Schema that checks the input
   * the step receives (a mismatch fails the step with a fatal `SchemaValidationError`).
   */
  input?: ((ctx: StepDecisionContext) => unknown) | StandardSchemaV1;
  /**
   * A Standard Schema (zod 4, valibot, arktype...) the step's output must match
   * before it is checkpointed; the stored output is the schema's output. A mismatch
   * fails the step with a fatal `SchemaValidationError` naming the path.
   */
  output?: StandardSchemaV1;
  /** Retry policy, merged over the workflow's and the defaults. */
  retry?: RetryOptions;
  /** Per-attempt timeout in ms. */
  timeoutMs?: number;
  /** Circuit breaker; agent steps get one keyed by agent id by default. */
  breaker?: StepBreakerOptions;
  /** Agents to call instead when the primary's breaker is open, in order. */
  fallback?: readonly Agent[];
  /** Free text for docs and displays. */
  description?: string;
}

/** Options of `defineWorkflow`. */
export interface WorkflowOptions<TSteps extends Record<string, StepDefinition> = Record<string, StepDefinition>> {
  name: string;
  version: string;
  description?: string;
  steps: TSteps;
  /**
   * A Standard Schema for the run's input: `run()` rejects with a
   * `SchemaValidationError` before anything is recorded when the input does not
   * match, and steps receive the schema's output.
   */
  input?: StandardSchemaV1;
  /**
   * A Standard Schema for a succeeded run's outputs (the object of step outputs by id),
   * checked before `run.finished` is recorded: a mismatch makes the run `failed` with a
   * `SchemaValidationError` (boundary `run-output`). Each step's output is already stored.
   */
  output?: StandardSchemaV1;
  /** Usage limit of the whole run (every step, across resumes: stored with each step's record). */
  budget?: BudgetOptions;
  /** Run deadline in ms (a `run` call's own `timeoutMs` wins). */
  timeoutMs?: number;
  /** Default retry policy of every step. */
  retry?: RetryOptions;
  /** Max steps of one run executing at once. @default 64 */
  concurrency?: number;
  /** Longest allowed dependency chain. @default 1_000_000 */
  maxDepth?: number;
  /** A step every other root is expected to be reachable from; others produce an `unreachable_step` warning. */
  entrypoint?: string;
}
