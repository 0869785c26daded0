import type { CheckpointRecord, CheckpointStore, RunStatus, StepRecord, StepStatus } from '../checkpoint/types.js';
import { BatonError } from '../errors/baton-error.js';
import { CancelledError, LeaseLostError, RunIncompleteError, RunTimeoutError } from '../errors/errors.js';
import type {
  StepContext,
  StepDecisionContext,
  TokenUsage,
  WaitForOptions,
  WorkflowIdentity,
} from '../workflow/types.js';
import type { CompiledPlan, PlannedStep } from './compile-plan.js';
import { PlainAttempt, type PlainAttemptHost } from './plain-attempt.js';
import { RunCancellation } from './run-cancellation.js';
import { endedRecord, finishedRecord, startRecord, succeededRecord } from './run-records.js';
import type { SupervisorServices } from './run-host.js';
import { runStep, type StepOutcome } from './run-step.js';
import { deserializeError, serializeError } from './serialize.js';
import { emitStep } from './step-events.js';
import { checkRunOutput } from '../workflow/validate-schema.js';
import type { RunResult, StepSummary } from './types.js';
import { type PendingWait, RunWaits, waitStartedRecord } from './waits.js';
import { UsageLedger } from './budget.js';

/** Zero usage, for a run with no earlier executions (read only: the ledger copies it). */
const NO_USAGE = Object.freeze({ tokens: 0, costUsd: 0 });

/** Everything one execution (a run, or a resume of one) starts from. */
export interface RunExecutionOptions {
  runId: string;
  plan: CompiledPlan;
  input: unknown;
  store: CheckpointStore;
  services: SupervisorServices;
  signal: AbortSignal | undefined;
  /** Aborted when the store says this process no longer owns the run. */
  ownership: AbortSignal | undefined;
  /** The run's deadline in ms, counted from `calledAt` (the caller's value, else the workflow's). */
  timeoutMs: number | undefined;
  /** Epoch ms of the `run`/`resume` call (time queued for admission counts against the deadline). */
  calledAt?: number;
  /** For resume: the latest record of each step that must not run again. */
  restored: Map<string, StepRecord> | undefined;
  /** The seq of the first record this execution appends. */
  firstSeq: number;
  meta: Record<string, unknown> | undefined;
  resumedFrom: Record<string, unknown> | undefined;
  /** For resume: plugins' meta in the previous record of each step that runs again. */
  resumedSteps?: Record<string, Record<string, unknown>> | undefined;
  /** For resume: the waits opened and inputs given so far (from the records). */
  waits?: RunWaits | undefined;
}

/** Schedules one run's steps over the DAG, checkpoints each, and builds the result. */
export class RunExecution implements PlainAttemptHost {
  readonly runId: string;
  readonly workflow: WorkflowIdentity;
  readonly input: unknown;
  readonly outputs: Record<string, unknown> = {};
  readonly services: SupervisorServices;
  readonly deadline: number;
  private readonly cancellation: RunCancellation;
  private readonly steps: PlannedStep[];
  private readonly statuses: StepStatus[];
  private readonly summaries: (StepSummary | undefined)[];
  /** A plain array: for the usual small plans it is several times cheaper to copy than an Int32Array. */
  private readonly unfinishedDeps: number[];
  /** Dependencies that were skipped, per step; allocated on the first skip. */
  private skippedDeps: Int32Array | undefined;
  /** Steps ready to start but over the run's concurrency. */
  private readonly queue: number[] = [];
  private running = 0;
  /** Steps running, or finished but still appending their record. */
  private active = 0;
  private seq: number;
  private failure: { stepId?: string; error: unknown } | undefined;
  /**
   * Set by the first rejected append or by lost ownership: this execution may no longer own the run's chain,
   * so it never appends again (not even `run.finished`) and the run ends with this error.
   */
  private fence: unknown = undefined;
  private stoppedStep: string | undefined;
  /** The waits of the run (opened, answered) and those this execution suspended on, in order. */
  // Both made on first use: a run that never waits or reports usage allocates neither (1,000 concurrent runs
  // measured ~25% fewer runs/s when every run made them up front).
  private waits: RunWaits | undefined;
  private readonly waiting: PendingWait[] = [];
  private ledger: UsageLedger | undefined;
  private readonly startedAt = Date.now();
  private resolveDone!: (result: RunResult) => void;
  private rejectDone!: (error: unknown) => void;

  constructor(private readonly options: RunExecutionOptions) {
    const { plan } = options;
    this.runId = options.runId;
    this.workflow = plan.identity;
    this.input = options.input;
    this.services = options.services;
    this.steps = plan.steps;
    this.cancellation = new RunCancellation(plan.steps.length);
    this.statuses = plan.pendingStatuses.slice();
    this.summaries = new Array<StepSummary | undefined>(plan.steps.length).fill(undefined);
    this.unfinishedDeps = plan.depCounts.slice();
    this.seq = options.firstSeq;
    this.waits = options.waits;
    const timeoutMs = options.timeoutMs ?? plan.workflow.options.timeoutMs;
    this.deadline =
      timeoutMs === undefined ? Number.POSITIVE_INFINITY : (options.calledAt ?? this.startedAt) + timeoutMs;
    this.linkSignals(options.signal, timeoutMs);
    this.linkOwnership(options.ownership);
  }

  /** The run's signal: aborted on cancel, deadline, or failure (created on first read). */
  get signal(): AbortSignal {
    return this.cancellation.signal;
  }

  get aborted(): boolean {
    return this.cancellation.aborted;
  }

  get abortReason(): unknown {
    return this.cancellation.reason;
  }

  race<T>(promise: Promise<T>): Promise<T> {
    return this.cancellation.race(promise);
  }

  waitFor(stepId: string, key: string, options: WaitForOptions, ctx: StepContext): Promise<unknown> {
    this.waits ??= new RunWaits();
    return this.waits.waitFor(stepId, key, options, ctx);
  }

  chargeUsage(step: PlannedStep, usage: TokenUsage): void {
    this.ledger ??= new UsageLedger(
      this.waits?.priorUsage ?? NO_USAGE,
      this.waits?.budgetRaise ?? NO_USAGE,
      this.steps.length,
      this.options.plan.workflow.options.budget,
      this.services.prices,
    );
    this.ledger.charge(step, usage);
  }

  breachOf(index: number): unknown {
    return this.ledger?.breachOf(index);
  }

  /** Appends the start record (the returned promise rejects if that fails), then runs to the end. */
  execute(): Promise<RunResult> {
    const done = new Promise<RunResult>((resolve, reject) => {
      this.resolveDone = resolve;
      this.rejectDone = reject;
    });
    const record = startRecord(this, this.seq, this.startedAt, this.input, this.options.meta);
    const started = this.appendStarted();
    this.storeAppend(record).then(
      () => {
        this.appended(record, started);
        this.begin();
      },
      (error: unknown) => {
        this.refused(record);
        this.rejectStart(error);
      },
    );
    return done;
  }

  private rejectStart(error: unknown): void {
    this.cancellation.dispose();
    if (this.services.events.has('run.rejected')) {
      this.services.events.emit({
        type: 'run.rejected',
        runId: this.runId,
        workflow: this.workflow,
        at: Date.now(),
        error: serializeError(error),
      });
    }
    this.rejectDone(error);
  }

  private begin(): void {
    const events = this.services.events;
    if (events.has('run.started')) {
      const { meta, resumedFrom } = this.options;
      const event: Record<string, unknown> = {
        type: 'run.started',
        runId: this.runId,
        workflow: this.workflow,
        at: this.startedAt,
        resumed: this.options.firstSeq > 0,
        stepCount: this.steps.length,
      };
      if (meta) event.meta = meta;
      if (resumedFrom) event.resumedFrom = resumedFrom;
      if (this.options.resumedSteps) event.resumedSteps = this.options.resumedSteps;
      events.emit(event as never);
    }
    if (this.options.restored) this.restoreAndStart(this.options.restored);
    else for (const root of this.options.plan.roots) this.consider(root);
    this.maybeFinish();
  }

  private linkSignals(signal: AbortSignal | undefined, timeoutMs: number | undefined): void {
    const cancellation = this.cancellation;
    if (signal)
      cancellation.link(signal, () =>
        cancellation.abort(new CancelledError(`Run '${this.runId}' was cancelled`, { cause: signal.reason })),
      );
    if (timeoutMs !== undefined) {
      const abortAtDeadline = () => cancellation.abort(new RunTimeoutError(this.runId, timeoutMs));
      const timer = setTimeout(abortAtDeadline, Math.max(0, this.deadline - Date.now()));
      cancellation.onDispose(() => clearTimeout(timer));
    }
  }

  private linkOwnership(ownership: AbortSignal | undefined): void {
    if (ownership) this.cancellation.link(ownership, () => this.fenceOff(asLeaseLost(this.runId, ownership.reason)));
  }

  /** Stops all appends for good, fails the run with `error` and aborts its running steps' signals. */
  private fenceOff(error: unknown): void {
    if (this.fence === undefined) this.fence = error;
    this.fail(undefined, error);
  }

  /** Resume: marks restored steps, recounts dependencies, and starts what is ready. */
  private restoreAndStart(restored: Map<string, StepRecord>): void {
    this.restore(restored);
    for (const step of this.steps) {
      if (this.statuses[step.index] !== 'pending') continue;
      let unfinished = 0;
      let skipped = 0;
      for (const dep of step.deps) {
        const status = this.statuses[dep];
        if (status === 'pending') unfinished++;
        else if (status === 'skipped') skipped++;
      }
      this.unfinishedDeps[step.index] = unfinished;
      if (skipped > 0) (this.skippedDeps ??= new Int32Array(this.steps.length))[step.index] = skipped;
    }
    for (const step of this.steps) {
      if (this.statuses[step.index] === 'pending' && this.unfinishedDeps[step.index] === 0) this.consider(step.index);
    }
  }

  private restore(restored: Map<string, StepRecord>): void {
    for (const step of this.steps) {
      const record = restored.get(step.id);
      if (!record) continue;
      this.statuses[step.index] = record.status;
      this.summaries[step.index] = {
        status: record.status,
        attempts: 0,
        durationMs: record.durationMs,
        restored: true,
      };
      if (record.status === 'succeeded') this.outputs[step.id] = record.output;
      if (this.services.events.has('step.restored')) {
        this.services.events.emit({
          type: 'step.restored',
          runId: this.runId,
          workflow: this.workflow,
          at: Date.now(),
          stepId: step.id,
          status: record.status,
        });
      }
    }
  }

  /** A step whose dependencies are all finished: skip it, queue it, or start it. */
  private consider(index: number): void {
    if (this.aborted) return; // stopping: it stays pending
    const step = this.steps[index]!;
    if (step.deps.length > 0 && this.skippedDeps?.[index] === step.deps.length)
      this.skip(index, 'dependencies_skipped');
    else if (this.running >= this.options.plan.concurrency) this.queue.push(index);
    else this.start(index);
  }

  private start(index: number): void {
    const step = this.steps[index]!;
    let input: unknown;
    try {
      if (step.when && !step.when(this.decisionContext(step))) return this.skip(index, 'condition');
      input = step.input ? step.input(this.decisionContext(step)) : this.defaultInput(step);
    } catch (error) {
      this.running++;
      this.active++;
      emitStep(this, step, step.agent, {
        type: 'step.failed',
        attempt: 0,
        durationMs: 0,
        status: 'failed',
        classification: { kind: 'fatal' },
        error: serializeError(error),
      });
      return this.afterStep(index, {
        status: 'failed',
        error,
        classification: { kind: 'fatal' },
        attempts: 0,
        durationMs: 0,
      });
    }
    this.running++;
    this.active++;
    this.statuses[index] = 'running';
    if (step.plain && !this.services.wrapStep) {
      const attempt = new PlainAttempt(this, step, input);
      this.cancellation.track(index, attempt);
      attempt.start();
    } else {
      void runStep(this, step, input).then((outcome) => this.afterStep(index, outcome));
    }
  }

  settled(attempt: PlainAttempt): void {
    this.cancellation.untrack(attempt.step.index);
  }

  private decisionContext(step: PlannedStep): StepDecisionContext {
    return { runId: this.runId, stepId: step.id, input: this.input, outputs: this.outputs };
  }

  private defaultInput(step: PlannedStep): unknown {
    if (step.deps.length === 0) return this.input;
    if (step.deps.length === 1) return this.outputs[this.steps[step.deps[0]!]!.id];
    const input: Record<string, unknown> = {};
    for (const dep of step.deps) input[this.steps[dep]!.id] = this.outputs[this.steps[dep]!.id];
    return input;
  }

  private skip(index: number, reason: 'condition' | 'dependencies_skipped'): void {
    const step = this.steps[index]!;
    this.statuses[index] = 'skipped';
    this.summaries[index] = { status: 'skipped', attempts: 0, durationMs: 0 };
    if (this.services.events.has('step.skipped')) {
      this.services.events.emit({
        type: 'step.skipped',
        runId: this.runId,
        workflow: this.workflow,
        at: Date.now(),
        stepId: step.id,
        reason,
      });
    }
    this.active++;
    this.appendStep(endedRecord(this, this.seq, Date.now(), step.id, 'skipped', 0, 0, undefined), index, true);
  }

  stepSucceeded(index: number, output: unknown, attempts: number, durationMs: number, at: number): void {
    const step = this.steps[index]!;
    this.running--;
    this.statuses[index] = 'succeeded';
    this.outputs[step.id] = output;
    this.summaries[index] = { status: 'succeeded', attempts, durationMs };
    const record = succeededRecord(this, this.seq, at, step.id, attempts, durationMs, output);
    const usage = this.ledger?.stepUsage(index);
    if (usage) record.usage = usage;
    this.appendStep(record, index, false);
    this.pump();
  }

  afterStep(index: number, outcome: StepOutcome): void {
    if (outcome.status === 'succeeded')
      return this.stepSucceeded(index, outcome.output, outcome.attempts, outcome.durationMs, Date.now());
    if (outcome.status === 'suspended') return this.stepSuspended(index, outcome);
    const step = this.steps[index]!;
    this.running--;
    this.statuses[index] = outcome.status;
    // Store the supervisor's verdict (it may come from an agent's own classifier), not only Baton errors' kinds.
    const error = { ...serializeError(outcome.error), kind: outcome.classification.kind };
    this.summaries[index] = {
      status: outcome.status,
      attempts: outcome.attempts,
      durationMs: outcome.durationMs,
      error,
    };
    // Only a run that is stopping may leave a step cancelled without failing: a step that reports
    // `cancelled` on its own (its own AbortError) while the run goes on fails the run.
    if (this.aborted) this.stoppedStep ??= step.id;
    else this.fail(step.id, outcome.error);
    const meta = this.services.stepMeta?.({
      runId: this.runId,
      workflow: this.workflow,
      stepId: step.id,
      status: outcome.status,
      attempt: outcome.attempts,
    });
    const record = endedRecord(
      this,
      this.seq,
      Date.now(),
      step.id,
      outcome.status,
      outcome.attempts,
      outcome.durationMs,
      error,
      meta,
    );
    const usage = this.ledger?.stepUsage(index);
    if (usage) record.usage = usage;
    this.appendStep(record, index, undefined);
    this.pump();
  }

  /**
   * The step waits for input: it stays unfinished (no step record, its dependents stay pending) while other
   * branches go on; its wait is recorded (`wait.started`) the first time it opens.
   */
  private stepSuspended(index: number, outcome: StepOutcome & { status: 'suspended' }): void {
    this.running--;
    this.statuses[index] = 'suspended';
    this.summaries[index] = { status: 'suspended', attempts: outcome.attempts, durationMs: outcome.durationMs };
    this.waiting.push(outcome.wait);
    // The step's `active` count (taken at start) ends once its wait is recorded, or now when it was recorded before.
    if (!outcome.isNew) this.active--;
    else {
      const record = waitStartedRecord(this, this.seq, Date.now(), outcome.wait, this.ledger?.stepUsage(index));
      const started = this.appendStarted();
      this.storeAppend(record).then(
        () => {
          this.appended(record, started);
          this.stepRecorded();
        },
        (error: unknown) => {
          this.refused(record);
          this.fenceOff(error);
          this.stepRecorded();
        },
      );
    }
    this.pump();
    this.maybeFinish();
  }

  /** A step failed for good (or a checkpoint could not be written): stop the run. */
  private fail(stepId: string | undefined, error: unknown): void {
    if (this.failure) return;
    this.failure = stepId === undefined ? { error } : { stepId, error };
    this.cancellation.abort(
      new CancelledError(
        stepId ? `Step '${stepId}' failed; run '${this.runId}' is stopping` : `Run '${this.runId}' is stopping`,
        { cause: error },
      ),
    );
  }

  /** Appends a step's record; once stored, dependents are released (`skipped` says how) unless it failed (undefined). */
  private appendStep(record: StepRecord, index: number, skipped: boolean | undefined): void {
    const started = this.appendStarted();
    this.storeAppend(record).then(
      () => {
        this.appended(record, started);
        if (skipped !== undefined) this.release(index, skipped);
        this.stepRecorded();
      },
      (error: unknown) => {
        this.refused(record);
        this.fenceOff(error);
        this.stepRecorded();
      },
    );
  }

  private stepRecorded(): void {
    this.active--;
    this.maybeFinish();
  }

  /**
   * Hands `record` to the store, unless an earlier append was rejected or ownership was lost (then the store is
   * not called at all). A rejected append takes `seq` back, so nothing is ever issued past a refused seq.
   */
  private storeAppend(record: CheckpointRecord): Promise<void> {
    if (this.fence !== undefined) return Promise.reject(this.fence);
    this.seq = record.seq + 1;
    try {
      return this.options.store.append(record);
    } catch (error) {
      return Promise.reject(error); // a store that throws instead of rejecting
    }
  }

  /** An append of `record` was refused (or never sent): `seq` goes back, never past a refused seq. */
  private refused(record: CheckpointRecord): void {
    if (this.seq > record.seq) this.seq = record.seq;
  }

  /** When someone listens for `checkpoint.appended`: the time the append started; otherwise -1. */
  private appendStarted(): number {
    return this.services.events.has('checkpoint.appended') ? performance.now() : -1;
  }

  private appended(record: CheckpointRecord, started: number): void {
    if (started < 0) return;
    this.services.events.emit({
      type: 'checkpoint.appended',
      runId: this.runId,
      workflow: this.workflow,
      at: Date.now(),
      seq: record.seq,
      durationMs: performance.now() - started,
      recordType: record.type,
    });
  }

  /** A finished step unblocks its dependents. */
  private release(index: number, skipped: boolean): void {
    for (const dependent of this.steps[index]!.dependents) {
      if (skipped) (this.skippedDeps ??= new Int32Array(this.steps.length))[dependent]!++;
      if (--this.unfinishedDeps[dependent]! === 0) this.consider(dependent);
    }
    this.pump();
  }

  private pump(): void {
    while (this.queue.length > 0 && this.running < this.options.plan.concurrency && !this.aborted)
      this.start(this.queue.shift()!);
  }

  private maybeFinish(): void {
    if (this.active === 0 && this.running === 0 && (this.queue.length === 0 || this.aborted)) this.complete();
  }

  private complete(): void {
    if (this.active < 0) return;
    this.active = -1; // completes once
    this.cancellation.dispose();
    const verdict = this.verdict();
    const schema = this.options.plan.workflow.options.output;
    // Only a succeeded run of a workflow that declares an output schema pays for the check (and its promise).
    if (schema === undefined || verdict.status !== 'succeeded' || this.fence !== undefined) return this.record(verdict);
    new Promise((resolve) => resolve(checkRunOutput(this.options.plan.workflow, this.outputs))).then(
      () => this.record(verdict),
      (error: unknown) => this.record({ status: 'failed', error, failedStep: undefined }),
    );
  }

  /** Appends `run.finished` with the verdict, then resolves the run. */
  private record({ status, error, failedStep }: ReturnType<RunExecution['verdict']>): void {
    // Fenced: writing `run.finished` could land in another owner's chain; the run ends without it.
    if (this.fence !== undefined) return this.finish(status, error, failedStep);
    const record = finishedRecord(this, this.seq, Date.now(), status, error ? serializeError(error) : undefined);
    const started = this.appendStarted();
    this.storeAppend(record).then(
      () => {
        this.appended(record, started);
        this.finish(status, error, failedStep);
      },
      (appendError: unknown) => {
        this.refused(record);
        if (status === 'succeeded' || isOwnershipError(appendError)) this.finish('failed', appendError, failedStep);
        else this.finish(status, error, failedStep);
      },
    );
  }

  private finish(status: RunStatus, error: unknown, failedStep: string | undefined): void {
    const result = this.result(status, error, failedStep);
    if (status === 'suspended') {
      result.waiting = this.waiting;
      if (this.services.events.has('run.suspended')) {
        this.services.events.emit({
          type: 'run.suspended',
          runId: this.runId,
          workflow: this.workflow,
          at: Date.now(),
          waiting: this.waiting.map(({ stepId, key, prompt, deadline }) =>
            deadline === undefined ? { stepId, key, prompt } : { stepId, key, prompt, deadline },
          ),
        });
      }
    }
    if (this.services.events.has('run.completed')) {
      const event: Record<string, unknown> = {
        type: 'run.completed',
        runId: this.runId,
        workflow: this.workflow,
        at: Date.now(),
        status,
        durationMs: result.durationMs,
      };
      if (error) event.error = serializeError(error);
      if (failedStep) event.failedStep = failedStep;
      this.services.events.emit(event as never);
    }
    this.resolveDone(result);
  }

  private verdict(): { status: RunStatus; error: unknown; failedStep: string | undefined } {
    // A lost chain (lease lost, append refused) is reported over any step failure: it is what the caller must act on.
    if (this.fence !== undefined) return { status: 'failed', error: this.fence, failedStep: this.failure?.stepId };
    if (this.failure) return { status: 'failed', error: this.failure.error, failedStep: this.failure.stepId };
    if (this.aborted) {
      const reason = this.cancellation.reason;
      return {
        status: reason instanceof RunTimeoutError ? 'timed_out' : 'cancelled',
        error: reason,
        failedStep: this.stoppedStep,
      };
    }
    // The rule, checked rather than assumed: succeeded only when every step that was not skipped succeeded;
    // suspended when some step waits for input and the others finished or wait behind it.
    if (this.waiting.length > 0) return this.suspendedVerdict();
    for (let index = 0; index < this.steps.length; index++) {
      const status = this.statuses[index];
      if (status !== 'succeeded' && status !== 'skipped') {
        const stepId = this.steps[index]!.id;
        return { status: 'failed', error: new RunIncompleteError(this.runId, stepId, status!), failedStep: stepId };
      }
    }
    return { status: 'succeeded', error: undefined, failedStep: undefined };
  }

  private suspendedVerdict(): { status: RunStatus; error: unknown; failedStep: string | undefined } {
    for (let index = 0; index < this.steps.length; index++) {
      const status = this.statuses[index];
      if (status === 'pending' && !this.behindWait(index)) {
        const stepId = this.steps[index]!.id;
        return { status: 'failed', error: new RunIncompleteError(this.runId, stepId, status), failedStep: stepId };
      }
    }
    return { status: 'suspended', error: undefined, failedStep: undefined };
  }

  /** True when a pending step has a suspended or pending step among its dependencies (it waits behind a wait). */
  private behindWait(index: number): boolean {
    for (const dep of this.steps[index]!.deps) {
      const status = this.statuses[dep];
      if (status === 'suspended' || status === 'pending') return true;
    }
    return false;
  }

  private result(status: RunStatus, error: unknown, failedStep: string | undefined): RunResult {
    const steps: Record<string, StepSummary> = {};
    for (let index = 0; index < this.steps.length; index++) {
      steps[this.steps[index]!.id] = this.summaries[index] ?? {
        status: this.statuses[index]!,
        attempts: 0,
        durationMs: 0,
      };
    }
    const result: RunResult = {
      runId: this.runId,
      status,
      outputs: this.outputs,
      steps,
      durationMs: Date.now() - this.startedAt,
    };
    if (error !== undefined) result.error = error instanceof Error ? error : deserializeError(serializeError(error));
    if (failedStep) result.failedStep = failedStep;
    return result;
  }
}

/** The reason a lease signal aborted, as a `LeaseLostError` (kept as is when it already is one). */
function asLeaseLost(runId: string, reason: unknown): unknown {
  if (BatonError.isInstance(reason) && reason.code === 'BATON_LEASE_LOST') return reason;
  const detail = reason instanceof Error ? reason.message : String(reason);
  return new LeaseLostError(
    runId,
    `the store's lease signal aborted (${detail}); this execution appends nothing more`,
    { cause: reason },
  );
}

/** A refusal that says another writer may own the run's chain now. */
function isOwnershipError(error: unknown): boolean {
  return (
    BatonError.isInstance(error) && (error.code === 'BATON_LEASE_LOST' || error.code === 'BATON_CHECKPOINT_CONFLICT')
  );
}
