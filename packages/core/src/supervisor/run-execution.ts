import { CHECKPOINT_FORMAT_VERSION, type CheckpointRecord, type CheckpointStore, type RunStatus, type StepRecord, type StepStatus } from '../checkpoint/types.js';
import { CancelledError, RunTimeoutError } from '../errors/errors.js';
import type { StepDecisionContext, WorkflowIdentity } from '../workflow/types.js';
import type { CompiledPlan, PlannedStep } from './compile-plan.js';
import type { RunHost, SupervisorServices } from './run-host.js';
import { runStep, type StepOutcome } from './run-step.js';
import { emitStep } from './step-attempt.js';
import { deserializeError, serializeError } from './serialize.js';
import type { RunResult, StepSummary } from './types.js';

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
  timeoutMs: number | undefined;
  /** For resume: the latest record of each step that must not run again. */
  restored: Map<string, StepRecord> | undefined;
  /** The seq of the first record this execution appends. */
  firstSeq: number;
  meta: Record<string, unknown> | undefined;
  resumedFrom: Record<string, unknown> | undefined;
}

/** Schedules one run's steps over the DAG, checkpoints each, and builds the result. */
export class RunExecution implements RunHost {
  readonly runId: string;
  readonly workflow: WorkflowIdentity;
  readonly input: unknown;
  readonly outputs: Record<string, unknown> = {};
  readonly services: SupervisorServices;
  readonly deadline: number;
  private readonly controller = new AbortController();
  private readonly steps: PlannedStep[];
  private readonly statuses: StepStatus[];
  private readonly summaries: (StepSummary | undefined)[];
  private readonly unfinishedDeps: Int32Array;
  private readonly skippedDeps: Int32Array;
  private readonly queue: number[] = [];
  private running = 0;
  /** Steps running, or finished but still appending their record. */
  private active = 0;
  private seq: number;
  private failure: { stepId?: string; error: unknown } | undefined;
  private stoppedStep: string | undefined;
  private readonly startedAt = Date.now();
  private finish!: (result: RunResult) => void;
  private cleanup: (() => void)[] = [];

  constructor(private readonly options: RunExecutionOptions) {
    const { plan } = options;
    this.runId = options.runId;
    this.workflow = { name: plan.workflow.name, version: plan.workflow.version, hash: plan.workflow.hash };
    this.input = options.input;
    this.services = options.services;
    this.steps = plan.steps;
    this.statuses = plan.steps.map(() => 'pending');
    this.summaries = plan.steps.map(() => undefined);
    this.unfinishedDeps = new Int32Array(plan.steps.length);
    this.skippedDeps = new Int32Array(plan.steps.length);
    this.seq = options.firstSeq;
    const timeoutMs = options.timeoutMs ?? plan.workflow.options.timeoutMs;
    this.deadline = timeoutMs === undefined ? Number.POSITIVE_INFINITY : this.startedAt + timeoutMs;
    this.linkSignals(options.signal, timeoutMs);
    this.linkOwnership(options.ownership);
  }

  private linkOwnership(ownership: AbortSignal | undefined): void {
    if (!ownership) return;
    const onLost = () => this.fail(undefined, ownership.reason);
    if (ownership.aborted) onLost();
    else {
      ownership.addEventListener('abort', onLost, { once: true });
      this.cleanup.push(() => ownership.removeEventListener('abort', onLost));
    }
  }

  private aborted: Promise<never> | undefined;

  race<T>(promise: Promise<T>): Promise<T> {
    if (!this.aborted) {
      this.aborted = new Promise<never>((_resolve, reject) => {
        const onAbort = () => reject(this.signal.reason);
        if (this.signal.aborted) return onAbort();
        this.signal.addEventListener('abort', onAbort, { once: true });
        this.cleanup.push(() => this.signal.removeEventListener('abort', onAbort));
      });
      this.aborted.catch(() => {}); // only observed through races
    }
    return Promise.race([promise, this.aborted]);
  }

  /** The run's signal: aborted on cancel, deadline, or failure. */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** Appends the start record (rejects if it conflicts), then runs to the end. */
  async execute(): Promise<RunResult> {
    try {
      await this.append(this.startRecord());
    } catch (error) {
      this.dispose();
      if (this.services.events.has('run.rejected')) {
        this.services.events.emit({ type: 'run.rejected', runId: this.runId, workflow: this.workflow, at: Date.now(), error: serializeError(error) });
      }
      throw error;
    }
    const done = new Promise<RunResult>((resolve) => (this.finish = resolve));
    const resumed = this.options.firstSeq > 0;
    if (this.services.events.has('run.started')) {
      this.services.events.emit({ type: 'run.started', runId: this.runId, workflow: this.workflow, at: this.startedAt, resumed, stepCount: this.steps.length,
        ...(this.options.meta ? { meta: this.options.meta } : {}), ...(this.options.resumedFrom ? { resumedFrom: this.options.resumedFrom } : {}) });
    }
    this.restoreAndStart();
    return done;
  }

  private linkSignals(signal: AbortSignal | undefined, timeoutMs: number | undefined): void {
    if (signal) {
      const onAbort = () => this.controller.abort(new CancelledError(`Run '${this.runId}' was cancelled`, { cause: signal.reason }));
      if (signal.aborted) onAbort();
      else {
        signal.addEventListener('abort', onAbort, { once: true });
        this.cleanup.push(() => signal.removeEventListener('abort', onAbort));
      }
    }
    if (timeoutMs !== undefined) {
      const timer = setTimeout(() => this.controller.abort(new RunTimeoutError(this.runId, timeoutMs)), timeoutMs);
      this.cleanup.push(() => clearTimeout(timer));
    }
  }

  private dispose(): void {
    for (const fn of this.cleanup) fn();
    this.cleanup = [];
  }

  private startRecord(): CheckpointRecord {
    const base = { v: CHECKPOINT_FORMAT_VERSION, runId: this.runId, seq: this.seq, at: this.startedAt, workflow: this.workflow };
    const meta = this.options.meta ? { meta: this.options.meta } : {};
    return this.options.firstSeq === 0 ? { ...base, type: 'run.started', input: this.input, ...meta } : { ...base, type: 'run.resumed', ...meta };
  }

  private restoreAndStart(): void {
    const restored = this.options.restored;
    if (restored) this.restore(restored);
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
      this.skippedDeps[step.index] = skipped;
    }
    for (const step of this.steps) {
      if (this.statuses[step.index] === 'pending' && this.unfinishedDeps[step.index] === 0) this.consider(step.index);
    }
    this.maybeFinish();
  }

  private restore(restored: Map<string, StepRecord>): void {
    for (const step of this.steps) {
      const record = restored.get(step.id);
      if (!record) continue;
      this.statuses[step.index] = record.status;
      this.summaries[step.index] = { status: record.status, attempts: 0, durationMs: record.durationMs, restored: true };
      if (record.status === 'succeeded') this.outputs[step.id] = record.output;
      if (this.services.events.has('step.restored')) {
        this.services.events.emit({ type: 'step.restored', runId: this.runId, workflow: this.workflow, at: Date.now(), stepId: step.id, status: record.status });
      }
    }
  }

  /** A step whose dependencies are all finished: skip it, queue it, or start it. */
  private consider(index: number): void {
    if (this.signal.aborted) return; // stopping: it stays pending
    const step = this.steps[index]!;
    if (step.deps.length > 0 && this.skippedDeps[index] === step.deps.length) this.skip(index, 'dependencies_skipped');
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
      emitStep(this, step, step.agent, { type: 'step.failed', attempt: 0, durationMs: 0, status: 'failed', classification: { kind: 'fatal' }, error: serializeError(error) });
      return this.afterStep(index, { status: 'failed', error, classification: { kind: 'fatal' }, attempts: 0, durationMs: 0 });
    }
    this.running++;
    this.active++;
    this.statuses[index] = 'running';
    void runStep(this, step, input).then((outcome) => this.afterStep(index, outcome));
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
      this.services.events.emit({ type: 'step.skipped', runId: this.runId, workflow: this.workflow, at: Date.now(), stepId: step.id, reason });
    }
    this.active++;
    this.appendStep(step, { status: 'skipped', attempt: 0, durationMs: 0 }, () => this.release(index, true));
  }

  private afterStep(index: number, outcome: StepOutcome): void {
    const step = this.steps[index]!;
    this.running--;
    this.statuses[index] = outcome.status;
    const summary: StepSummary = { status: outcome.status, attempts: outcome.attempts, durationMs: outcome.durationMs };
    if (outcome.status === 'succeeded') {
      this.outputs[step.id] = outcome.output;
      this.appendStep(step, { status: 'succeeded', attempt: outcome.attempts, durationMs: outcome.durationMs, output: outcome.output }, () => this.release(index, false));
    } else {
      // Store the supervisor's verdict (it may come from an agent's own classifier), not only Baton errors' kinds.
      summary.error = { ...serializeError(outcome.error), kind: outcome.classification.kind };
      if (outcome.status === 'cancelled' || this.signal.aborted) this.stoppedStep ??= step.id;
      else this.fail(step.id, outcome.error);
      this.appendStep(step, { status: outcome.status, attempt: outcome.attempts, durationMs: outcome.durationMs, error: summary.error }, () => {});
    }
    this.summaries[index] = summary;
    this.pump();
  }

  /** A step failed for good (or a checkpoint could not be written): stop the run. */
  private fail(stepId: string | undefined, error: unknown): void {
    if (this.failure) return;
    this.failure = stepId === undefined ? { error } : { stepId, error };
    if (!this.signal.aborted) this.controller.abort(new CancelledError(stepId ? `Step '${stepId}' failed; run '${this.runId}' is stopping` : `Run '${this.runId}' is stopping`, { cause: error }));
  }

  private appendStep(step: PlannedStep, fields: Pick<StepRecord, 'status' | 'attempt' | 'durationMs' | 'output' | 'error'>, then: () => void): void {
    const record: StepRecord = { v: CHECKPOINT_FORMAT_VERSION, runId: this.runId, seq: this.seq, at: Date.now(), workflow: this.workflow, type: 'step', stepId: step.id, ...fields };
    if (record.output === undefined) delete record.output;
    if (record.error === undefined) delete record.error;
    this.append(record).then(then, (error: unknown) => this.fail(undefined, error)).finally(() => {
      this.active--;
      this.maybeFinish();
    });
  }

  private append(record: CheckpointRecord): Promise<void> {
    this.seq = record.seq + 1;
    const events = this.services.events;
    if (!events.has('checkpoint.appended')) return this.options.store.append(record);
    const started = performance.now();
    return this.options.store.append(record).then(() => {
      events.emit({ type: 'checkpoint.appended', runId: this.runId, workflow: this.workflow, at: Date.now(), seq: record.seq, durationMs: performance.now() - started, recordType: record.type });
    });
  }

  /** A finished step unblocks its dependents. */
  private release(index: number, skipped: boolean): void {
    for (const dependent of this.steps[index]!.dependents) {
      if (skipped) this.skippedDeps[dependent]!++;
      if (--this.unfinishedDeps[dependent]! === 0) this.consider(dependent);
    }
    this.pump();
  }

  private pump(): void {
    while (this.queue.length > 0 && this.running < this.options.plan.concurrency && !this.signal.aborted) this.start(this.queue.shift()!);
  }

  private maybeFinish(): void {
    if (this.active === 0 && this.running === 0 && (this.queue.length === 0 || this.signal.aborted)) void this.complete();
  }

  private async complete(): Promise<void> {
    if (this.active < 0) return;
    this.active = -1; // completes once
    this.dispose();
    let { status, error, failedStep } = this.verdict();
    const record: CheckpointRecord = { v: CHECKPOINT_FORMAT_VERSION, runId: this.runId, seq: this.seq, at: Date.now(), workflow: this.workflow, type: 'run.finished', status, ...(error ? { error: serializeError(error) } : {}) };
    try {
      await this.append(record);
    } catch (appendError) {
      if (status === 'succeeded') ({ status, error } = { status: 'failed', error: appendError });
    }
    const result = this.result(status, error, failedStep);
    if (this.services.events.has('run.completed')) {
      this.services.events.emit({ type: 'run.completed', runId: this.runId, workflow: this.workflow, at: Date.now(), status, durationMs: result.durationMs,
        ...(error ? { error: serializeError(error) } : {}), ...(failedStep ? { failedStep } : {}) });
    }
    this.finish(result);
  }

  private verdict(): { status: RunStatus; error: unknown; failedStep: string | undefined } {
    if (this.failure) return { status: 'failed', error: this.failure.error, failedStep: this.failure.stepId };
    if (this.signal.aborted) {
      const reason = this.signal.reason;
      return { status: reason instanceof RunTimeoutError ? 'timed_out' : 'cancelled', error: reason, failedStep: this.stoppedStep };
    }
    return { status: 'succeeded', error: undefined, failedStep: undefined };
  }

  private result(status: RunStatus, error: unknown, failedStep: string | undefined): RunResult {
    const steps: Record<string, StepSummary> = {};
    this.steps.forEach((step, index) => {
      steps[step.id] = this.summaries[index] ?? { status: this.statuses[index]!, attempts: 0, durationMs: 0 };
    });
    return {
      runId: this.runId, status, outputs: this.outputs, steps, durationMs: Date.now() - this.startedAt,
      ...(error === undefined ? {} : { error: error instanceof Error ? error : deserializeError(serializeError(error)) }),
      ...(failedStep ? { failedStep } : {}),
    };
  }
}
