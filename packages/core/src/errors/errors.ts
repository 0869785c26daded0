import { BatonError } from './baton-error.js';

/** A problem found while validating a workflow definition or document. */
export interface ValidationProblem {
  /** Stable problem code, e.g. `cycle` or `unknown_dependency`. */
  code:
    | 'invalid_option'
    | 'empty_workflow'
    | 'duplicate_step'
    | 'unknown_dependency'
    | 'self_dependency'
    | 'cycle'
    | 'depth_exceeded'
    | 'unknown_agent'
    | 'unknown_path_step'
    | 'unreachable_step';
  /** The step the problem is about, when there is one. */
  stepId?: string;
  /** Where in the definition or document the problem is, e.g. `['steps', 'write', 'needs', 0]`. */
  path: (string | number)[];
  /** What is wrong, naming the offending value. */
  message: string;
}

/** Thrown by `defineWorkflow` (and document parsing) with every problem found, not just the first. */
export class WorkflowValidationError extends BatonError {
  /** Every error found, in a stable order. */
  readonly problems: readonly ValidationProblem[];
  constructor(options: { problems: ValidationProblem[]; workflow?: string; cause?: unknown }) {
    const header = `Workflow${options.workflow ? ` '${options.workflow}'` : ''} is invalid (${options.problems.length} problem${options.problems.length === 1 ? '' : 's'}):`;
    const lines = options.problems.map((problem) => `  - ${formatPath(problem.path)}: ${problem.message}`);
    super('BATON_WORKFLOW_INVALID', { message: [header, ...lines].join('\n'), cause: options.cause }, 'fatal');
    this.problems = options.problems;
  }
}

/** Formats a document path as `steps.write.needs[0]`. */
export function formatPath(path: readonly (string | number)[]): string {
  if (path.length === 0) return '(root)';
  return path.map((part, index) => (typeof part === 'number' ? `[${part}]` : index === 0 ? part : `.${part}`)).join('');
}

/** Mark an error as worth retrying (a transient failure). */
export class RetryableError extends BatonError {
  constructor(message: string, options: { cause?: unknown; code?: string } = {}) {
    super(options.code ?? 'BATON_RETRYABLE', { message, cause: options.cause }, 'retryable');
  }
}

/** Mark an error as permanent: the supervisor will not retry it. */
export class FatalError extends BatonError {
  constructor(message: string, options: { cause?: unknown; code?: string } = {}) {
    super(options.code ?? 'BATON_FATAL', { message, cause: options.cause }, 'fatal');
  }
}

/** A rate limit was hit; `retryAfterMs`, when known, is how long to wait before trying again. */
export class RateLimitedError extends BatonError {
  readonly retryAfterMs: number | undefined;
  constructor(message: string, options: { cause?: unknown; retryAfterMs?: number } = {}) {
    super('BATON_RATE_LIMITED', { message, cause: options.cause }, 'rate_limited');
    this.retryAfterMs = options.retryAfterMs;
  }
}

/**
 * A rate limit asked for a wait (Retry-After and friends) longer than the step may wait: beyond
 * `retry.maxRetryAfterMs`, or past the step's deadline (the run's timeout or `retry.maxElapsedMs`).
 * The step fails with this error (classified `rate_limited`) instead of retrying inside the server's window.
 */
export class RetryAfterExceededError extends BatonError {
  constructor(
    readonly stepId: string,
    /** The wait the server asked for, in ms. */
    readonly retryAfterMs: number,
    /** Which bound refused it. */
    readonly limit: 'maxRetryAfterMs' | 'deadline',
    /** That bound, in ms (for `deadline`: the time left). */
    readonly limitMs: number,
    options: { cause?: unknown } = {},
  ) {
    const bound =
      limit === 'maxRetryAfterMs'
        ? `retry.maxRetryAfterMs (${limitMs} ms)`
        : `the step's deadline (${limitMs} ms left under the run's timeout or retry.maxElapsedMs)`;
    super(
      'BATON_RETRY_AFTER_EXCEEDED',
      {
        message: `Step '${stepId}' was asked to wait ${retryAfterMs} ms before retrying, beyond ${bound}; not retrying early`,
        cause: options.cause,
      },
      'rate_limited',
    );
  }
}

/** Waiting for an agent's concurrency slot would pass the step's deadline (`retry.maxElapsedMs` or the run's timeout). */
export class LimitWaitExceededError extends BatonError {
  constructor(
    readonly key: string,
    readonly waitedMs: number,
  ) {
    super(
      'BATON_LIMIT_WAIT_EXCEEDED',
      {
        message:
          `Gave up waiting for a concurrency slot of agent '${key}' after ${waitedMs} ms: ` +
          `the step's deadline (retry.maxElapsedMs or the run's timeout) passed`,
      },
      'rate_limited',
    );
  }
}

/** A step attempt ran past its `timeoutMs`. */
export class StepTimeoutError extends BatonError {
  constructor(
    readonly stepId: string,
    readonly timeoutMs: number,
  ) {
    super('BATON_STEP_TIMEOUT', { message: `Step '${stepId}' timed out after ${timeoutMs} ms` }, 'timeout');
  }
}

/** The run's own deadline passed. */
export class RunTimeoutError extends BatonError {
  constructor(
    readonly runId: string,
    readonly timeoutMs: number,
  ) {
    super('BATON_RUN_TIMEOUT', { message: `Run '${runId}' timed out after ${timeoutMs} ms` }, 'timeout');
  }
}

/**
 * A run ended with a step that neither succeeded nor was skipped, and no other failure to report
 * (a guard: a run is `succeeded` only when every step that was not skipped succeeded).
 */
export class RunIncompleteError extends BatonError {
  constructor(
    readonly runId: string,
    readonly stepId: string,
    readonly stepStatus: string,
  ) {
    super(
      'BATON_RUN_INCOMPLETE',
      { message: `Run '${runId}' cannot succeed: step '${stepId}' ended '${stepStatus}'` },
      'fatal',
    );
  }
}

/** The run (or a step) was cancelled: by the caller's signal, or because a sibling step failed. */
export class CancelledError extends BatonError {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super('BATON_CANCELLED', { message, cause: options.cause }, 'cancelled');
  }
}

/**
 * A call was refused because the circuit breaker for `key` is open, or half-open with its probes in flight.
 * `retryAfterMs` is the wait before asking again (never 0 while half-open).
 */
export class CircuitOpenError extends BatonError {
  constructor(
    readonly key: string,
    readonly retryAfterMs: number,
    readonly state: 'open' | 'half_open' = 'open',
  ) {
    super(
      'BATON_CIRCUIT_OPEN',
      {
        message:
          state === 'open'
            ? `Circuit breaker '${key}' is open; next probe in ${retryAfterMs} ms`
            : `Circuit breaker '${key}' is half-open and its probe is in flight; ask again in ${retryAfterMs} ms`,
      },
      'retryable',
    );
  }
}

/** `run` was refused because the supervisor's run queue is full. */
export class SupervisorOverloadedError extends BatonError {
  constructor(
    readonly active: number,
    readonly queued: number,
    readonly maxQueued: number,
  ) {
    super(
      'BATON_SUPERVISOR_OVERLOADED',
      {
        message: `Supervisor is overloaded: ${active} runs active and ${queued} queued (maxQueuedRuns: ${maxQueued})`,
      },
      'rate_limited',
    );
  }
}

/** The supervisor was closed; it accepts no new runs. */
export class SupervisorClosedError extends BatonError {
  constructor() {
    super('BATON_SUPERVISOR_CLOSED', { message: 'Supervisor is closed and accepts no new runs' }, 'fatal');
  }
}

/** A run id is malformed (stores use run ids as file and object names). */
export class InvalidRunIdError extends BatonError {
  constructor(
    readonly runId: unknown,
    reason: string,
  ) {
    super('BATON_INVALID_RUN_ID', { message: `Invalid run id ${JSON.stringify(runId)}: ${reason}` }, 'fatal');
  }
}

/** `resume` was asked for a run the store does not know. */
export class RunNotFoundError extends BatonError {
  constructor(readonly runId: string) {
    super('BATON_RUN_NOT_FOUND', { message: `No checkpoint records for run '${runId}'` }, 'fatal');
  }
}

/** `run` was given the id of a run that already has records (use `resume`). */
export class RunAlreadyExistsError extends BatonError {
  constructor(readonly runId: string) {
    super('BATON_RUN_EXISTS', { message: `Run '${runId}' already exists; use resume() to continue it` }, 'fatal');
  }
}

/** The run is being executed right now by this supervisor. */
export class RunActiveError extends BatonError {
  constructor(readonly runId: string) {
    super('BATON_RUN_ACTIVE', { message: `Run '${runId}' is already active in this supervisor` }, 'fatal');
  }
}

/** `resume` refused: the workflow definition changed since the run started. */
export class WorkflowChangedError extends BatonError {
  constructor(
    readonly runId: string,
    readonly recordedHash: string,
    readonly currentHash: string,
  ) {
    super(
      'BATON_WORKFLOW_CHANGED',
      {
        message: `Run '${runId}' was recorded with workflow hash ${recordedHash} but the workflow now hashes to ${currentHash}; pass { allowChangedWorkflow: true } to resume anyway`,
      },
      'fatal',
    );
  }
}

/**
 * A step's output cannot be stored in a checkpoint: too large, or a value that JSON would not give back
 * unchanged on resume (`path` names the first one, e.g. `$.items[3].when`).
 */
export class OutputNotStorableError extends BatonError {
  /** JSON path of the first value that cannot be stored (`$` is the output itself); unset for a size refusal. */
  readonly path: string | undefined;
  constructor(
    readonly stepId: string,
    reason: string,
    options: { cause?: unknown; path?: string } = {},
  ) {
    super(
      'BATON_OUTPUT_NOT_STORABLE',
      { message: `Output of step '${stepId}' cannot be checkpointed: ${reason}`, cause: options.cause },
      'fatal',
    );
    this.path = options.path;
  }
}

/** A checkpoint record failed its integrity check. Never skipped silently. */
export class CheckpointCorruptedError extends BatonError {
  constructor(
    readonly location: string,
    reason: string,
    options: { cause?: unknown } = {},
  ) {
    super(
      'BATON_CHECKPOINT_CORRUPTED',
      { message: `Corrupted checkpoint at ${location}: ${reason}`, cause: options.cause },
      'fatal',
    );
  }
}

/** Another writer owns the run, or wrote the same sequence number first. */
export class CheckpointConflictError extends BatonError {
  constructor(
    readonly runId: string,
    reason: string,
    options: { cause?: unknown } = {},
  ) {
    super(
      'BATON_CHECKPOINT_CONFLICT',
      { message: `Checkpoint conflict on run '${runId}': ${reason}`, cause: options.cause },
      'fatal',
    );
  }
}

/**
 * This writer's lease on a run was lost (taken by another owner, expired, or could not be confirmed in time).
 * A writer that sees this never appends to the run again; the execution ends without writing into the new
 * owner's chain.
 */
export class LeaseLostError extends BatonError {
  constructor(
    readonly runId: string,
    reason: string,
    options: { cause?: unknown } = {},
  ) {
    super('BATON_LEASE_LOST', { message: `Lease on run '${runId}' lost: ${reason}`, cause: options.cause }, 'fatal');
  }
}

/**
 * A store could not be reached or used (misconfiguration, permissions, a failed write).
 * Code `BATON_CHECKPOINT_STORE` unless a subclass names a more precise one through `options.code`.
 */
export class CheckpointStoreError extends BatonError {
  constructor(message: string, options: { cause?: unknown; kind?: 'retryable' | 'fatal'; code?: string } = {}) {
    super(options.code ?? 'BATON_CHECKPOINT_STORE', { message, cause: options.cause }, options.kind ?? 'fatal');
  }
}
