import type { BreakerState } from '../breaker/circuit-breaker.js';
import type { ErrorClassification } from '../retry/classify-error.js';
import type { RunStatus, SerializedError, StepStatus } from '../checkpoint/types.js';
import type { TokenUsage, WorkflowIdentity } from '../workflow/types.js';

interface RunEventBase {
  runId: string;
  workflow: WorkflowIdentity;
  /** Epoch ms when the event happened. */
  at: number;
}

interface StepEventBase extends RunEventBase {
  stepId: string;
  /** Agent id (the breaker key) when the step runs an agent. */
  agentId?: string;
  agentName?: string;
  provider?: string;
  /** Present (true) when the agent runs in another process (`Agent.remote`). */
  remote?: true;
}

/** Every event the supervisor emits, discriminated by `type`. */
export type SupervisorEvent =
  /** The run waits for admission (`maxConcurrentRuns` runs are active); `queued` counts the waiting runs, it included. */
  | (RunEventBase & { type: 'run.queued'; queued: number })
  | (RunEventBase & {
      type: 'run.started';
      resumed: boolean;
      stepCount: number;
      meta?: Record<string, unknown>;
      resumedFrom?: Record<string, unknown>;
      /**
       * On resume: the `meta` plugins stored (`SupervisorPlugin.stepMeta`) in the previous record of each step that
       * runs again, by step id. Absent when there is none.
       */
      resumedSteps?: Record<string, Record<string, unknown>>;
    })
  /** The run could not start: its start record was refused (e.g. the run id is taken); nothing else is emitted. */
  | (RunEventBase & { type: 'run.rejected'; error: SerializedError })
  | (RunEventBase & {
      type: 'run.completed';
      status: RunStatus;
      durationMs: number;
      error?: SerializedError;
      failedStep?: string;
    })
  /** The run's execution ended suspended: every pending wait (see `RunResult.waiting`). Followed by `run.completed`. */
  | (RunEventBase & {
      type: 'run.suspended';
      waiting: { stepId: string; key: string; prompt: string; deadline?: number }[];
    })
  /** `resume` stored an input (an `input.received` record) for the wait `key`. */
  | (RunEventBase & { type: 'input.received'; key: string; by?: string })
  /** The step waits for input under `key` (it ends without a step record; the run goes on until nothing can run). */
  | (StepEventBase & { type: 'step.suspended'; attempt: number; key: string; prompt: string; deadline?: number })
  | (StepEventBase & { type: 'step.started'; attempt: number })
  | (StepEventBase & { type: 'step.progress'; attempt: number; data: unknown })
  | (StepEventBase & { type: 'step.usage'; attempt: number; usage: TokenUsage })
  | (StepEventBase & {
      type: 'step.waiting';
      attempt: number;
      reason: 'concurrency' | 'rate';
      key: string;
      waitMs?: number;
    })
  | (StepEventBase & {
      type: 'step.retrying';
      attempt: number;
      delayMs: number;
      classification: ErrorClassification;
      error: SerializedError;
      /** Set when the circuit breaker refused the attempt (no call was made): its key and state. */
      refused?: { key: string; state: 'open' | 'half_open' };
    })
  | (StepEventBase & { type: 'step.timed_out'; attempt: number; timeoutMs: number })
  | (StepEventBase & { type: 'step.succeeded'; attempt: number; durationMs: number })
  | (StepEventBase & {
      type: 'step.failed';
      attempt: number;
      durationMs: number;
      status: Extract<StepStatus, 'failed' | 'timed_out'>;
      classification: ErrorClassification;
      error: SerializedError;
      /** Set when the circuit breaker refused the last attempt (no call was made): its key and state. */
      refused?: { key: string; state: 'open' | 'half_open' };
    })
  /**
   * The step ended because the run is stopping. `status` is the step's status in the run's result and records:
   * `timed_out` when the run's own deadline stopped it, else `cancelled`.
   */
  | (StepEventBase & {
      type: 'step.cancelled';
      attempt: number;
      durationMs: number;
      status: Extract<StepStatus, 'cancelled' | 'timed_out'>;
      reason: SerializedError;
    })
  | (StepEventBase & { type: 'step.skipped'; reason: 'condition' | 'dependencies_skipped' })
  | (StepEventBase & { type: 'step.restored'; status: StepStatus })
  | (StepEventBase & { type: 'step.fallback'; attempt: number; from: string; to: string })
  | (RunEventBase & { type: 'checkpoint.appended'; seq: number; durationMs: number; recordType: string })
  | { type: 'checkpoint.warning'; at: number; code: string; message: string; runId?: string }
  | {
      type: 'breaker.opened' | 'breaker.half_opened' | 'breaker.closed';
      at: number;
      key: string;
      from: BreakerState;
      reason: string;
      consecutiveFailures: number;
    }
  | {
      type: 'agent.health_changed';
      at: number;
      key: string;
      from: AgentHealthStatus;
      to: AgentHealthStatus;
      score: number;
    };

/** Health buckets derived from the score. */
export type AgentHealthStatus = 'healthy' | 'degraded' | 'unhealthy' | 'unknown';

/** The `type` of any event. */
export type SupervisorEventType = SupervisorEvent['type'];

/** The event whose `type` is `T`. */
export type SupervisorEventOf<T extends SupervisorEventType> = Extract<SupervisorEvent, { type: T }>;
