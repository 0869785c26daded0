/** A FIFO counting semaphore whose waits can be abandoned through a signal. */
export class Semaphore {
  private inUse = 0;
  private readonly waiters: { resolve: () => void; signal: AbortSignal; onAbort: () => void }[] = [];

  constructor(readonly capacity: number) {}

  /** True when `acquire` would not wait. */
  get available(): boolean {
    return this.inUse < this.capacity && this.waiters.length === 0;
  }

  /** Waits for a slot; rejects with the signal's reason if it aborts first. Call the returned function once to release. */
  async acquire(signal: AbortSignal): Promise<() => void> {
    if (signal.aborted) throw signal.reason;
    if (this.available) {
      this.inUse++;
      return this.releaser();
    }
    await new Promise<void>((resolve, reject) => {
      const waiter = {
        resolve,
        signal,
        onAbort: () => {
          const index = this.waiters.indexOf(waiter);
          if (index >= 0) this.waiters.splice(index, 1);
          reject(signal.reason);
        },
      };
      signal.addEventListener('abort', waiter.onAbort, { once: true });
      this.waiters.push(waiter);
    });
    return this.releaser();
  }

  private releaser(): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiters.shift();
      if (next) {
        next.signal.removeEventListener('abort', next.onAbort);
        next.resolve(); // the slot passes straight to the next waiter
      } else {
        this.inUse--;
      }
    };
  }
}
