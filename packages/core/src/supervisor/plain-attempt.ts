import type { PlannedStep } from './compile-plan.js';
import type { RunHost } from './run-host.js';
import { continueStep, type StepOutcome } from './run-step.js';
import { assertStorable } from './serialize.js';
import { CANCELLED } from './step-attempt.js';
import { AttemptContext } from './step-context.js';
import { emitStepStarted, emitStepSucceeded } from './step-events.js';

/** What a plain attempt reports back to its run. */
export interface PlainAttemptHost extends RunHost {
  /** The step succeeded on its first attempt; `at` (epoch ms) dates its record. */
  stepSucceeded(index: number, output: unknown, attempts: number, durationMs: number, at: number): void;
  /** The step ended through the general path (retries, failure, cancellation). */
  afterStep(index: number, outcome: StepOutcome): void;
  /** The attempt settled; the run stops tracking it. */
  settled(attempt: PlainAttempt): void;
}

/**
 * The first attempt of a plain step (`PlannedStep.plain`, and no middleware): the
 * common case, kept cheap. It calls the function directly and attaches one `.then`,
 * instead of runStep/runAttempt's two async frames, a Promise.race and per-attempt
 * objects. Its outcome always arrives asynchronously (never inside `start`), as on
 * the general path. A success is checked (`assertStorable`) and reported; an error
 * is classified and handed to runStep's loop (`continueStep`), so retries, timings
 * and events are the general path's.
 *
 * The run tracks attempts in flight and calls `abandon` when it aborts, so a step
 * that ignores its signal still cannot hold the run.
 */
export class PlainAttempt {
  private done = false;
  private readonly startedAt = Date.now();

  constructor(
    private readonly host: PlainAttemptHost,
    readonly step: PlannedStep,
    private readonly input: unknown,
  ) {}

  /** Emits `step.started` and calls the step. */
  start(): void {
    emitStepStarted(this.host, this.step, undefined, 1, this.startedAt);
    let pending: Promise<unknown>;
    try {
      // Promise.resolve adopts thenables and wraps plain values, so every outcome is async.
      pending = Promise.resolve(
        this.step.call(this.input, new AttemptContext(this.host, this.step, undefined, 1, undefined, undefined)),
      );
    } catch (error) {
      pending = Promise.reject(error);
    }
    pending.then(
      (output) => this.succeeded(output),
      (error: unknown) => this.failed(error),
    );
  }

  /** The run is stopping: end the step with the run's reason (in a microtask, as a rejection would). */
  abandon(): void {
    queueMicrotask(() => this.failed(this.host.abortReason));
  }

  private succeeded(output: unknown): void {
    if (!this.settle()) return;
    const breach = this.host.breachOf(this.step.index);
    if (breach !== undefined) return this.retry(breach);
    try {
      assertStorable(this.step.id, output, this.host.services.maxOutputBytes);
    } catch (error) {
      return this.retry(error);
    }
    const now = Date.now();
    emitStepSucceeded(this.host, this.step, undefined, 1, now - this.startedAt, now);
    this.host.stepSucceeded(this.step.index, output, 1, now - this.startedAt, now);
  }

  private failed(error: unknown): void {
    if (this.settle()) this.retry(error);
  }

  /** True the first time: an abandoned attempt ignores the step's late result. */
  private settle(): boolean {
    if (this.done) return false;
    this.done = true;
    this.host.settled(this);
    return true;
  }

  private retry(error: unknown): void {
    const classification = this.host.aborted ? CANCELLED : this.host.services.classify(error, undefined);
    void continueStep(this.host, this.step, this.input, this.startedAt, { ok: false, error, classification }).then(
      (outcome) => this.host.afterStep(this.step.index, outcome),
    );
  }
}
