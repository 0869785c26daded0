import { SupervisorOverloadedError } from '../errors/errors.js';

/** A queued run: admitted by `leave`, or leaving the queue early through its signal or deadline. */
interface Waiter {
  admit(): void;
}

/** How a queued run may leave the queue before it is admitted. */
export interface AdmissionWait {
  /** The run's signal: when it aborts, the run leaves the queue at once and `enter` rejects with `abortError()`. */
  signal?: AbortSignal | undefined;
  /** Epoch ms: when it passes, the run leaves the queue and `enter` rejects with `timeoutError()`. */
  deadline?: number | undefined;
  abortError?: () => unknown;
  timeoutError?: () => unknown;
}

/** Bounds concurrent runs; a bounded FIFO queue holds the rest. */
export class Admission {
  private active = 0;
  private readonly waiting: Waiter[] = [];

  constructor(
    private readonly maxActive: number,
    private readonly maxQueued: number,
  ) {}

  get activeCount(): number {
    return this.active;
  }

  get queuedCount(): number {
    return this.waiting.length;
  }

  /**
   * Admits at once (returns undefined), or returns a promise that resolves when the run may start.
   * Throws `SupervisorOverloadedError` at once when the queue is full. A queued run whose signal aborts, or
   * whose deadline passes, leaves the queue at once (the promise rejects) and never takes a slot.
   */
  enter(wait: AdmissionWait = {}): Promise<void> | undefined {
    if (this.active < this.maxActive) {
      this.active++;
      return undefined;
    }
    if (this.waiting.length >= this.maxQueued)
      throw new SupervisorOverloadedError(this.active, this.waiting.length, this.maxQueued);
    const { signal, deadline } = wait;
    if (signal?.aborted) return Promise.reject(wait.abortError?.() ?? signal.reason);
    return new Promise<void>((resolve, reject) => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const cleanup = () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
      };
      const leaveQueue = (error: unknown) => {
        const index = this.waiting.indexOf(waiter);
        if (index < 0) return; // already admitted
        this.waiting.splice(index, 1);
        cleanup();
        reject(error);
      };
      const onAbort = () => leaveQueue(wait.abortError?.() ?? signal!.reason);
      const waiter: Waiter = { admit: () => (cleanup(), resolve()) };
      this.waiting.push(waiter);
      signal?.addEventListener('abort', onAbort, { once: true });
      if (deadline !== undefined && Number.isFinite(deadline)) {
        timer = setTimeout(() => leaveQueue(wait.timeoutError?.()), Math.max(0, deadline - Date.now()));
      }
    });
  }

  leave(): void {
    const next = this.waiting.shift();
    if (next)
      next.admit(); // the slot passes to the next run
    else this.active--;
  }
}
