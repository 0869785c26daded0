import { CancelledError } from '@baton/core';

/** What the watcher asks of the database: which of these run ids have a cancel request. */
export type FetchCancelled = (runIds: string[]) => Promise<string[]>;

/**
 * The runs this worker holds, each with the `AbortController` its supervisor run listens to. A cancel request reaches
 * a run two ways: a notification (`notified`, fed by LISTEN) at once, or the backstop check every `checkEveryMs`,
 * which asks the database about every held run, so a notification missed during a reconnect is only late.
 */
export class CancelWatcher {
  private readonly held = new Map<string, AbortController>();
  private timer: ReturnType<typeof setInterval> | undefined;
  private checking = false;

  constructor(
    private readonly fetchCancelled: FetchCancelled,
    private readonly checkEveryMs: number,
    private readonly onCheckError: (error: unknown) => void,
  ) {}

  /** Starts the backstop check. */
  start(): void {
    this.timer ??= setInterval(() => void this.check(), this.checkEveryMs);
    this.timer.unref?.();
  }

  /** Stops the backstop check. */
  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Registers a held run; the returned signal aborts with a `CancelledError` when the run is cancelled. */
  hold(runId: string): AbortSignal {
    const controller = new AbortController();
    this.held.set(runId, controller);
    return controller.signal;
  }

  /** Forgets a run this worker no longer holds. */
  release(runId: string): void {
    this.held.delete(runId);
  }

  /** Run ids held now. */
  get runIds(): string[] {
    return [...this.held.keys()];
  }

  /** A cancel request for `runId` arrived (notification, or found by a check); aborts it if held here. */
  notified(runId: string): void {
    const controller = this.held.get(runId);
    if (!controller || controller.signal.aborted) return;
    controller.abort(new CancelledError(`Run '${runId}' was cancelled through @baton/worker's client`));
  }

  /** One backstop check over the held runs; overlapping checks are skipped. */
  async check(): Promise<void> {
    if (this.checking || this.held.size === 0) return;
    this.checking = true;
    try {
      for (const runId of await this.fetchCancelled(this.runIds)) this.notified(runId);
    } catch (error) {
      this.onCheckError(error); // the next check tries again
    } finally {
      this.checking = false;
    }
  }
}
