import { LeaseLostError, type RunLease, type StoreWarning } from '@baton/core';

/** Lease timing and identity. */
export interface LeaseSettings {
  owner: string;
  ttlMs: number;
  renewEveryMs: number;
  /** How long before `ttlMs` (on the monotonic clock) the holder stops trusting its lease. */
  safetyMarginMs: number;
  /** Monotonic clock (ms); it keeps counting while the process is stopped. */
  monotonicNow: () => number;
}

/** The server side of one held lease: both calls match on the lease's token. */
export interface LeaseBackend {
  /** Extends the lease by the TTL if this token still holds it and it has not expired; false otherwise. */
  renew(token: string): Promise<boolean>;
  /** Deletes the lease row if this token still holds it. */
  release(token: string): Promise<void>;
}

/**
 * A held run lease (a row of the `leases` table with this holder's random `token`).
 *
 * The server is the authority: every append checks, in the same SQL statement that
 * inserts the record, that a lease row with this token exists and has not expired
 * (server clock), locking that row so a takeover waits for the append or the append
 * sees the takeover. So a writer whose lease was taken, or simply ran out, can never
 * append, however long it was paused.
 *
 * On top of that the holder keeps its own view, so it stops early and says why: the
 * lease is renewed every `renewEveryMs`, and trusted only until the last successful
 * acquire/renewal was *sent* plus `ttlMs - safetyMarginMs` (monotonic clock). A failed
 * or late renewal loses it: `signal` aborts with a `LeaseLostError`.
 */
export class PgRunLease implements RunLease {
  private readonly controller = new AbortController();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private state: 'held' | 'lost' | 'ended' = 'held';
  private renewing: Promise<void> | undefined;
  private lostError: LeaseLostError | undefined;

  constructor(
    /** The run this lease is for. */
    readonly runId: string,
    /** The fencing token the server matches in every append. */
    readonly token: string,
    private readonly settings: LeaseSettings,
    private readonly backend: LeaseBackend,
    /** Monotonic time the acquire was sent. */
    private confirmedAt: number,
    private readonly warn: (warning: StoreWarning) => void,
    private readonly onEnd: () => void,
  ) {
    this.schedule();
  }

  /** Aborted (with a `LeaseLostError` as reason) when the lease is lost. */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** True once another worker may own the run. */
  get lost(): boolean {
    return this.state === 'lost';
  }

  /**
   * Throws `LeaseLostError` unless this holder may still try to write: the lease is held
   * and its validity (see the class docs) has not run out. Running out loses it for good.
   */
  assertValid(): void {
    if (this.state === 'held' && this.settings.monotonicNow() >= this.validUntil()) {
      this.lose(
        `its validity ran out before it was renewed (more than ${this.settings.ttlMs - this.settings.safetyMarginMs} ms since the last renewal; was the process paused?)`,
      );
    }
    if (this.state === 'lost') throw this.lostError ?? new LeaseLostError(this.runId, 'lost');
    if (this.state === 'ended') throw new LeaseLostError(this.runId, 'it was released or abandoned by this store');
  }

  /** Loses the lease at once: the server refused an append for it (taken over or expired). */
  fence(reason: string): LeaseLostError {
    if (this.state === 'held') this.lose(reason);
    return this.lostError ?? new LeaseLostError(this.runId, reason);
  }

  /** Deletes the lease row so another worker can take the run at once. Never rejects; idempotent. */
  async release(): Promise<void> {
    if (this.state === 'ended') return;
    const wasHeld = this.state === 'held';
    this.end();
    await this.renewing;
    if (!wasHeld) return;
    try {
      await this.backend.release(this.token);
    } catch (error) {
      // The lease expires by itself; failing the caller's run over it would be worse.
      this.warn({
        code: 'lease_release_failed',
        message: `Could not release the lease of run '${this.runId}': ${String(error)}`,
        runId: this.runId,
      });
    }
  }

  /**
   * Ends the lease without a round trip: the append of the run's `run.finished` record deleted the lease row in
   * the same statement. A later `release()` is a no-op, and later appends are judged as a writer without a lease.
   */
  releasedByServer(): void {
    if (this.state === 'held') this.end();
  }

  /** Stops renewing without touching the server (the run was deleted, or the store closed). */
  abandon(): void {
    this.end();
  }

  private validUntil(): number {
    return this.confirmedAt + this.settings.ttlMs - this.settings.safetyMarginMs;
  }

  private end(): void {
    this.state = 'ended';
    if (this.timer) clearTimeout(this.timer);
    this.onEnd();
  }

  private schedule(): void {
    this.timer = setTimeout(() => {
      this.renewing = this.renew().finally(() => {
        this.renewing = undefined;
        if (this.state === 'held') this.schedule();
      });
    }, this.settings.renewEveryMs);
    this.timer.unref?.();
  }

  private async renew(): Promise<void> {
    if (this.settings.monotonicNow() >= this.validUntil()) {
      this.lose('its validity ran out before the renewal timer fired (was the process paused?)');
      return;
    }
    const sentAt = this.settings.monotonicNow();
    try {
      if (await this.backend.renew(this.token)) this.confirmedAt = sentAt;
      else if (this.state === 'held') this.lose('another worker took the lease over, or it expired on the server');
    } catch (error) {
      // A failed renewal is retried by the next tick; the lease is lost only once its validity runs out.
      this.warn({
        code: 'lease_renew_failed',
        message: `Could not renew the lease of run '${this.runId}': ${String(error)}`,
        runId: this.runId,
      });
    }
  }

  private lose(reason: string): void {
    this.state = 'lost';
    if (this.timer) clearTimeout(this.timer);
    const error = new LeaseLostError(this.runId, reason);
    this.lostError = error;
    this.warn({ code: 'lease_lost', message: error.message, runId: this.runId });
    this.controller.abort(error);
  }
}
