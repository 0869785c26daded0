import { SupervisorOverloadedError } from '../errors/errors.js';

/** Bounds concurrent runs; a bounded FIFO queue holds the rest. */
export class Admission {
  private active = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly maxActive: number, private readonly maxQueued: number) {}

  get activeCount(): number {
    return this.active;
  }

  get queuedCount(): number {
    return this.waiting.length;
  }

  /** Resolves when the run may start; throws `SupervisorOverloadedError` at once when the queue is full. */
  enter(): Promise<void> | undefined {
    if (this.active < this.maxActive) {
      this.active++;
      return undefined;
    }
    if (this.waiting.length >= this.maxQueued) throw new SupervisorOverloadedError(this.active, this.waiting.length, this.maxQueued);
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  leave(): void {
    const next = this.waiting.shift();
    if (next) next(); // the slot passes to the next run
    else this.active--;
  }
}
