import type { EventEmitter } from '../events/emitter.js';
import type { ErrorClassification } from '../retry/classify-error.js';
import type {
  Agent,
  ModelPrice,
  StepContext,
  TokenUsage,
  WaitForOptions,
  WorkflowIdentity,
} from '../workflow/types.js';
import type { PlannedStep } from './compile-plan.js';
import type { AgentResources } from './agent-resources.js';
import type { StepMiddleware, SupervisorPlugin } from './types.js';

/** The composed `SupervisorPlugin.stepMeta` hooks. */
export type StepMetaHook = NonNullable<SupervisorPlugin['stepMeta']>;

/** Supervisor-wide services a run uses. */
export interface SupervisorServices {
  events: EventEmitter;
  resources: AgentResources;
  classify(error: unknown, agent: Agent | undefined): ErrorClassification;
  random: () => number;
  maxOutputBytes: number;
  /** The composed step middleware, or undefined when no plugin wraps steps. */
  wrapStep: StepMiddleware | undefined;
  /** Collects plugins' `stepMeta` for a step's record, or undefined when no plugin contributes any. */
  stepMeta: StepMetaHook | undefined;
  /** Prices by model for `costUsd` budgets. */
  prices?: Readonly<Record<string, ModelPrice>> | undefined;
}

/** What a step attempt needs from its run. */
export interface RunHost {
  readonly runId: string;
  readonly workflow: WorkflowIdentity;
  readonly input: unknown;
  readonly outputs: Record<string, unknown>;
  /** Aborted when the run is cancelled, times out, or is failing (created on first access). */
  readonly signal: AbortSignal;
  /** True once the run is stopping; read this instead of `signal.aborted` to avoid creating the signal. */
  readonly aborted: boolean;
  /** Why the run is stopping (the run signal's reason), once `aborted`. */
  readonly abortReason: unknown;
  /** Epoch ms after which no attempt may start (Infinity when none). */
  readonly deadline: number;
  readonly services: SupervisorServices;
  /** Settles with `promise`, or rejects with the run signal's reason as soon as the run aborts. */
  race<T>(promise: Promise<T>): Promise<T>;
  /** `ctx.waitFor`: the stored answer, or a `WaitSuspension` (see waits.ts). */
  waitFor(stepId: string, key: string, options: WaitForOptions, ctx: StepContext): Promise<unknown>;
  /** `ctx.reportUsage`: counts the usage against the budgets; throws the breach when one is crossed. */
  chargeUsage(step: PlannedStep, usage: TokenUsage): void;
  /** The budget breach that ends this step's attempts, if any (see budget.ts). */
  breachOf(index: number): unknown;
}
