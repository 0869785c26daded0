import type { StandardSchemaV1 } from '../workflow/standard-schema.js';
import type { Agent, StepContext, TokenUsage, WaitForOptions, WorkflowIdentity } from '../workflow/types.js';
import type { PlannedStep } from './compile-plan.js';
import type { RunHost } from './run-host.js';
import { emitStep } from './step-events.js';

/**
 * The `ctx` a step attempt receives. A class rather than an object literal with
 * four closures: one is built per attempt, so what most steps never use is
 * created on first use only.
 *
 * - `signal` is read through the run (or the attempt's own timeout signal), so a
 *   run whose steps never read it never creates an AbortController; a step that
 *   reads it gets a real signal, aborted on cancellation, deadline or failure.
 * - `emit` and `reportUsage` are getters returning a function bound to this
 *   attempt (made once, on first access), so `const { emit } = ctx` keeps working.
 * - Internals are `#private`: invisible to `Object.keys`, spreads and `JSON.stringify`.
 */
export class AttemptContext implements StepContext {
  readonly runId: string;
  readonly stepId: string;
  readonly attempt: number;
  readonly outputs: Readonly<Record<string, unknown>>;
  readonly input: unknown;
  readonly workflow: WorkflowIdentity;
  /** Only present when a tracing plugin wrote a carrier (as before: absent otherwise). */
  declare readonly traceContext?: Readonly<Record<string, string>>;
  readonly #host: RunHost;
  readonly #step: PlannedStep;
  readonly #agent: Agent | undefined;
  /** The attempt's own signal (step timeout), or undefined to use the run's. */
  readonly #signal: AbortSignal | undefined;
  #emit: ((data: unknown) => void) | undefined;
  #reportUsage: ((usage: TokenUsage) => void) | undefined;

  constructor(
    host: RunHost,
    step: PlannedStep,
    agent: Agent | undefined,
    attempt: number,
    signal: AbortSignal | undefined,
    carrier: Record<string, string> | undefined,
  ) {
    this.runId = host.runId;
    this.stepId = step.id;
    this.attempt = attempt;
    this.outputs = host.outputs;
    this.input = host.input;
    this.workflow = host.workflow;
    if (carrier) (this as { traceContext?: Readonly<Record<string, string>> }).traceContext = carrier;
    this.#host = host;
    this.#step = step;
    this.#agent = agent;
    this.#signal = signal;
  }

  get signal(): AbortSignal {
    return this.#signal ?? this.#host.signal;
  }

  get idempotencyKey(): string {
    return `${this.runId}:${this.stepId}`;
  }

  get emit(): (data: unknown) => void {
    return (this.#emit ??= (data) =>
      emitStep(this.#host, this.#step, this.#agent, { type: 'step.progress', attempt: this.attempt, data }));
  }

  waitFor<TSchema extends StandardSchemaV1>(
    key: string,
    options: WaitForOptions<TSchema, StepContext>,
  ): Promise<StandardSchemaV1.InferOutput<TSchema>> {
    return this.#host.waitFor(this.stepId, key, options as unknown as WaitForOptions, this) as Promise<
      StandardSchemaV1.InferOutput<TSchema>
    >;
  }

  get reportUsage(): (usage: TokenUsage) => void {
    return (this.#reportUsage ??= (usage) => {
      emitStep(this.#host, this.#step, this.#agent, { type: 'step.usage', attempt: this.attempt, usage });
      this.#host.chargeUsage(this.#step, usage);
    });
  }
}
