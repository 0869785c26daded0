import type { WorkflowIdentity } from '../workflow/types.js';

/** Current checkpoint record format version. */
export const CHECKPOINT_FORMAT_VERSION = 1 as const;

/**
 * How a run's execution ended. `suspended`: it waits for input from a person (see `WaitStartedRecord`);
 * `resume` with `inputs` continues it.
 */
export type RunStatus = 'succeeded' | 'failed' | 'cancelled' | 'timed_out' | 'suspended';

/** Every status a step can have (`suspended`: waiting for input; never stored in a step record). */
export type StepStatus =
  | 'pending'
  | 'running'
  | 'succeeded'
  | 'failed'
  | 'skipped'
  | 'timed_out'
  | 'cancelled'
  | 'suspended';

/** An error as stored in a checkpoint. */
export interface SerializedError {
  name: string;
  message: string;
  code?: string;
  kind?: string;
  stack?: string;
}

interface RecordBase {
  /** Format version. */
  v: typeof CHECKPOINT_FORMAT_VERSION;
  runId: string;
  /** 0-based, contiguous per run: record n is the n-th append. */
  seq: number;
  /** Epoch ms. */
  at: number;
  workflow: WorkflowIdentity;
}

/** Written when a run starts; holds the input so `resume` never needs it again. */
export interface RunStartedRecord extends RecordBase {
  type: 'run.started';
  input: unknown;
  /** Data contributed by middleware (e.g. a trace context). */
  meta?: Record<string, unknown>;
}

/** Written when `resume` continues a run. */
export interface RunResumedRecord extends RecordBase {
  type: 'run.resumed';
  meta?: Record<string, unknown>;
}

/** Written after each step ends (in any terminal state). */
export interface StepRecord extends RecordBase {
  type: 'step';
  stepId: string;
  status: Exclude<StepStatus, 'pending' | 'running' | 'suspended'>;
  /** Attempts made in this execution of the step. */
  attempt: number;
  durationMs: number;
  output?: unknown;
  error?: SerializedError;
  /** Data contributed by plugins (`SupervisorPlugin.stepMeta`) for a step that did not succeed. */
  meta?: Record<string, unknown>;
  /** Usage the step reported (`ctx.reportUsage`) in this execution, when it reported any (budgets count it). */
  usage?: UsageTotals;
}

/** Tokens and cost (USD, by the supervisor's `prices`) a step reported. */
export interface UsageTotals {
  tokens: number;
  costUsd: number;
}

/** Written when a run ends. */
export interface RunFinishedRecord extends RecordBase {
  type: 'run.finished';
  status: RunStatus;
  error?: SerializedError;
}

/**
 * Written when a step suspends waiting for input under `key` (a wait step, or `ctx.waitFor` inside a step).
 * Written once per key: a step that suspends again on the same key keeps the first record's deadline.
 */
export interface WaitStartedRecord extends RecordBase {
  type: 'wait.started';
  stepId: string;
  key: string;
  /** What the person is asked. */
  prompt: string;
  /** JSON Schema of the expected input, when the Standard Schema can convert itself (`~standard.jsonSchema`). */
  schema?: Record<string, unknown>;
  /** Epoch ms after which the wait takes its `onTimeout` at the next resume. */
  deadline?: number;
  /** Usage the suspended step reported before it suspended, when any (budgets count it). */
  usage?: UsageTotals;
}

/** Written by `resume` for each given input, after it was validated and before the run continues. */
export interface InputReceivedRecord extends RecordBase {
  type: 'input.received';
  key: string;
  /** The input as given (validated against the wait's schema). */
  value: unknown;
  /** Who gave it, when the caller says (`resume(..., { by })`). */
  by?: string;
}

/** Any record a supervisor appends. */
export type CheckpointRecord =
  | RunStartedRecord
  | RunResumedRecord
  | StepRecord
  | WaitStartedRecord
  | InputReceivedRecord
  | RunFinishedRecord;

/** One run as listed by a store. */
export interface RunSummary {
  runId: string;
  workflow: WorkflowIdentity;
  /** `running` when the run has no `run.finished` record after its last start/resume. */
  status: RunStatus | 'running';
  startedAt: number;
  updatedAt: number;
  records: number;
}

/** Filters of `listRuns`. */
export interface ListRunsOptions {
  status?: RunSummary['status'];
  workflow?: string;
}

/** Proof of exclusive ownership of a run; release it when the run ends. */
export interface RunLease {
  release(): Promise<void>;
  /** Aborted (with the reason) if ownership is lost mid-run, e.g. a lease taken over after it expired; the run then fails. */
  readonly signal?: AbortSignal;
}

/**
 * Who holds a run's ownership (lock file, lease), as judged by the store.
 * `alive: false` means the owner is gone (its process died, its lease expired)
 * without releasing the run: an unfinished run is then interrupted, not running.
 */
export interface RunOwner {
  /** False when the owner is known to be gone (dead pid, expired lease). */
  alive: boolean;
  /** Who the owner is and why it is judged so, for display: `pid 123 on host since …, process gone`. */
  description: string;
  /** When the owner took the run (epoch ms), when the store knows. */
  since?: number;
}

/**
 * Where checkpoint records live. Implementations must pass the conformance
 * suite in `@baton/core/testing/conformance`.
 *
 * Contract:
 * - `append` stores `record` iff `record.seq` equals the number of records the
 *   run already has; otherwise it rejects with `CheckpointConflictError`.
 *   Appends to one run may be issued without awaiting the previous one; they
 *   must be applied in the order they were called.
 * - `append` resolves only when the record is as durable as the store promises.
 * - `read` returns the run's records in `seq` order, or `[]` for an unknown run.
 */
export interface CheckpointStore {
  append(record: CheckpointRecord): Promise<void>;
  read(runId: string): Promise<CheckpointRecord[]>;
  listRuns(options?: ListRunsOptions): Promise<RunSummary[]>;
  deleteRun(runId: string): Promise<void>;
  /** Takes exclusive ownership of a run (lock file, lease); rejects with `CheckpointConflictError` if another owner holds it. */
  acquire?(runId: string): Promise<RunLease>;
  /**
   * Who holds the run taken with `acquire`, without taking it: `undefined` when
   * nobody does (never taken, or released). Lets a reader tell a live run from
   * a crashed one; a store without it cannot say (callers report "liveness unknown").
   */
  ownerOf?(runId: string): Promise<RunOwner | undefined>;
  /** Subscribe to non-fatal store warnings (e.g. a torn tail ignored). Returns an unsubscribe. */
  onWarning?(listener: (warning: StoreWarning) => void): () => void;
  /**
   * Pushes the ids of runs that got records, as they are appended by any process (PostgreSQL:
   * LISTEN/NOTIFY). Resolves once listening; readers without it (dashboards) poll `listRuns`.
   */
  watchRuns?(handlers: RunChangeHandlers): Promise<RunChangeSubscription>;
  close?(): Promise<void>;
}

/** What {@link CheckpointStore.watchRuns} calls. */
export interface RunChangeHandlers {
  /** Runs that got one or more records (ids only; read the run for what changed). */
  onChange(runIds: string[]): void;
  /**
   * Changes may have been missed (the listening connection dropped and is back): re-list the store.
   * Not called for the first connection.
   */
  onResync?(): void;
  /** The listening connection failed; the store keeps reconnecting in the background. */
  onError?(error: unknown): void;
}

/** A live {@link CheckpointStore.watchRuns} subscription. */
export interface RunChangeSubscription {
  /** Stops listening and reconnecting. Idempotent. */
  close(): Promise<void>;
}

/** A non-fatal problem a store recovered from. */
export interface StoreWarning {
  code: string;
  message: string;
  runId?: string;
}
