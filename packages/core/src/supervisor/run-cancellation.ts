import type { PlainAttempt } from './plain-attempt.js';

/**
 * One run's cancellation state: whether and why it is stopping, its AbortSignal,
 * and what must be undone when it ends.
 *
 * Most runs never abort, and an AbortController per run was a measurable share of
 * a short run's cost, so the controller is created on the first read of `signal`
 * (a step reading `ctx.signal`, a retry sleeping, a step timeout linking a child
 * signal). Aborting still reaches everyone: the signal if it exists (or already
 * aborted when created later), the races of general-path attempts, and the plain
 * attempts in flight, which are told directly instead of through listeners.
 */
export class RunCancellation {
  aborted = false;
  reason: unknown = undefined;
  private controller: AbortController | undefined;
  /** Rejects when the run aborts; created by the first `race`. */
  private abortPromise: Promise<never> | undefined;
  private rejectAbort: ((reason: unknown) => void) | undefined;
  /** Plain first attempts in flight, by step index (allocated on first use). */
  private inflight: (PlainAttempt | undefined)[] | undefined;
  /** Undoes signal links and timers when the run ends (undefined while there is nothing to undo). */
  private cleanup: (() => void)[] | undefined;

  constructor(private readonly stepCount: number) {}

  /** The run's signal: aborted on cancel, deadline, or failure. */
  get signal(): AbortSignal {
    if (!this.controller) {
      this.controller = new AbortController();
      if (this.aborted) this.controller.abort(this.reason);
    }
    return this.controller.signal;
  }

  /** Stops the run (the first reason wins). */
  abort(reason: unknown): void {
    if (this.aborted) return;
    this.aborted = true;
    this.reason = reason;
    this.controller?.abort(reason);
    this.rejectAbort?.(reason);
    if (this.inflight) for (const attempt of this.inflight) attempt?.abandon();
  }

  /** Settles with `promise`, or rejects with the abort reason as soon as the run aborts. */
  race<T>(promise: Promise<T>): Promise<T> {
    if (!this.abortPromise) {
      this.abortPromise = this.aborted
        ? Promise.reject(this.reason)
        : new Promise<never>((_resolve, reject) => (this.rejectAbort = reject));
      this.abortPromise.catch(() => {}); // only observed through races
    }
    return Promise.race([promise, this.abortPromise]);
  }

  /** Tracks a plain attempt until it settles, so `abort` can abandon it. */
  track(index: number, attempt: PlainAttempt): void {
    (this.inflight ??= new Array<PlainAttempt | undefined>(this.stepCount).fill(undefined))[index] = attempt;
  }

  untrack(index: number): void {
    if (this.inflight) this.inflight[index] = undefined;
  }

  /** Calls `onAbort` when `signal` aborts (at once if it already has), until the run ends. */
  link(signal: AbortSignal, onAbort: () => void): void {
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    this.onDispose(() => signal.removeEventListener('abort', onAbort));
  }

  onDispose(fn: () => void): void {
    (this.cleanup ??= []).push(fn);
  }

  /** Removes listeners and clears timers (the run ended). */
  dispose(): void {
    const cleanup = this.cleanup;
    this.cleanup = undefined;
    if (cleanup) for (const fn of cleanup) fn();
  }
}
