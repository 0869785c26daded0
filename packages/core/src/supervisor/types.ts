import type { BreakerOptions } from '../breaker/circuit-breaker.js';
import type { CheckpointStore, RunStatus, SerializedError, StepRecord, StepStatus } from '../checkpoint/types.js';
import type { SupervisorEvent } from '../events/types.js';
import type { ErrorClassifier } from '../retry/classify-error.js';
import type { RetryOptions } from '../retry/retry-policy.js';
import type { ModelPrice, StepContext, WorkflowIdentity } from '../workflow/types.js';
import type { PendingWait } from './waits.js';

/** Per-agent limits, keyed like breakers and shared by every run of a supervisor. */
export interface AgentLimitOptions {
  /** Calls in flight at once. */
  maxConcurrency?: number;
  /** A token bucket: at most `limit` calls per `intervalMs` (e.g. 60 per 60_000). */
  rate?: { limit: number; intervalMs: number };
}

/** Options of `createSupervisor`. */
export interface SupervisorOptions {
  /** Where checkpoints go. @default new MemoryCheckpointStore() */
  store?: CheckpointStore;
  /** Retry defaults for every workflow (a workflow's and a step's own settings win). */
  retry?: RetryOptions;
  /** Breaker defaults. @default { consecutiveFailures: 5, halfOpenAfterMs: 30_000 } */
  breaker?: BreakerOptions;
  /** Extra error classifiers, consulted after an agent's own and before core's rules. */
  classifiers?: readonly ErrorClassifier[];
  /** Kind of errors no rule recognizes. @default 'retryable' */
  unknownErrorKind?: 'retryable' | 'fatal';
  /** Runs executing at once. @default 10_000 */
  maxConcurrentRuns?: number;
  /** Runs waiting for a slot; beyond it `run` rejects with `SupervisorOverloadedError`. @default 100_000 */
  maxQueuedRuns?: number;
  /** Largest step output (bytes of its JSON) stored in a checkpoint. @default 8 MiB */
  maxOutputBytes?: number;
  /** Concurrency and rate limits per agent key. */
  agentLimits?: Readonly<Record<string, AgentLimitOptions>>;
  /** Probe agents that implement `health()` this often (ms); off when unset. */
  healthCheckIntervalMs?: number;
  /** Calls remembered per agent for success rate and p95. @default 100 */
  healthWindowSize?: number;
  /**
   * Prices by model (`TokenUsage.model`) for `costUsd` budgets, e.g. `{ 'gpt-x': { inputUsdPerMillion: 2,
   * outputUsdPerMillion: 8 } }`. Baton ships none (they go stale): usage of a model not listed costs 0.
   */
  prices?: Readonly<Record<string, ModelPrice>>;
  /** Random source in [0, 1) for jitter; inject for deterministic tests. @default Math.random */
  random?: () => number;
  /** Called when an event listener throws. @default a console.error */
  onListenerError?: (error: unknown, event: SupervisorEvent) => void;
}

/** Options of one `run`. */
export interface RunOptions {
  /** Run id; generated when absent. Letters, digits, `.`, `_`, `-`, at most 128. */
  runId?: string;
  /** Cancels the run when aborted. */
  signal?: AbortSignal;
  /** Run deadline in ms; overrides the workflow's `timeoutMs`. */
  timeoutMs?: number;
}

/** Options of `resume`. */
export interface ResumeOptions extends Omit<RunOptions, 'runId'> {
  /** Resume even though the workflow's hash differs from the recorded one. @default false */
  allowChangedWorkflow?: boolean;
  /**
   * Answers to the run's waits, by key: each is validated first (`InvalidInputError`, `UnknownWaitError`,
   * `RunNotSuspendedError` for a finished run: then nothing is appended), then stored as an `input.received` record.
   * A run left unfinished by a crash takes answers too (the resume holds its lease).
   * A key a wait step declares but has not opened yet is kept until it is asked for.
   */
  inputs?: Readonly<Record<string, unknown>>;
  /** Who gives the inputs (stored in each `input.received` record: the audit trail). */
  by?: string;
}

/** How one step ended (or why it did not run). */
export interface StepSummary {
  status: StepStatus;
  /** Attempts made (0 for skipped, pending or restored steps). */
  attempts: number;
  durationMs: number;
  error?: SerializedError;
  /** True when the result came from the checkpoint log rather than running now. */
  restored?: boolean;
}

/** What `run` and `resume` resolve to (they never reject for a step failure). */
export interface RunResult<TOutputs extends Record<string, unknown> = Record<string, unknown>> {
  runId: string;
  status: RunStatus;
  /** Outputs of succeeded steps. */
  outputs: Partial<TOutputs>;
  /** Why the run did not succeed. */
  error?: Error;
  /** The step whose failure, timeout or cancellation ended the run. */
  failedStep?: string;
  steps: Record<string, StepSummary>;
  durationMs: number;
  /** When `status` is `suspended`: every wait the run waits for (several may be pending at once). */
  waiting?: PendingWait[];
}

/** What a step middleware sees about the attempt it wraps. */
export interface StepMiddlewareInput {
  readonly runId: string;
  readonly stepId: string;
  readonly attempt: number;
  readonly workflow: WorkflowIdentity;
  /** Set for agent steps. */
  readonly agent?: { id: string; name?: string; provider?: string; remote?: true };
  readonly ctx: StepContext;
  /** The step's input for this attempt. */
  readonly input: unknown;
  /**
   * Trace-context carrier for this attempt (e.g. `traceparent`), visible to the
   * step as `ctx.traceContext`: a tracing plugin writes it, bridges forward it.
   */
  readonly carrier: Record<string, string>;
}

/** Wraps every step attempt; call `next()` exactly once and return (or transform) its result. */
export type StepMiddleware = (input: StepMiddlewareInput, next: () => Promise<unknown>) => Promise<unknown>;

/** A consumer that hooks into the supervisor (OpenTelemetry does). */
export interface SupervisorPlugin {
  name: string;
  /** Wraps every step attempt (composed once per supervisor, first plugin outermost). */
  wrapStep?: StepMiddleware;
  /** Data stored in the run's `run.started` / `run.resumed` record (e.g. a trace context). */
  runMeta?(info: {
    runId: string;
    workflow: WorkflowIdentity;
    resumed: boolean;
    resumedFrom?: Record<string, unknown>;
  }): Record<string, unknown> | undefined;
  /**
   * Data stored in the record of a step that did not succeed (failed, timed out, cancelled), e.g. the span context
   * of its last attempt. A resume hands it back in `run.started`'s `resumedSteps` when the step runs again.
   * Called synchronously after the step's last event; namespace the keys as for `runMeta`.
   */
  stepMeta?(info: {
    runId: string;
    workflow: WorkflowIdentity;
    stepId: string;
    status: StepRecord['status'];
    attempt: number;
  }): Record<string, unknown> | undefined;
}
