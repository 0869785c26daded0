import { randomUUID } from 'node:crypto';
import { CheckpointConflictError, LeaseLostError, type RunLease, type RunOwner } from '@baton/core';
import { getObject, putConditional, type StoreContext } from './context.js';

/** The lease object's content. Expiry is wall-clock ms: workers' clocks must agree to well within the TTL. */
interface LeaseDocument {
  v: 1;
  runId: string;
  owner: string;
  token: string;
  acquiredAt: number;
  expiresAt: number;
  released?: true;
}

/** Lease timing and identity. */
export interface LeaseSettings {
  owner: string;
  ttlMs: number;
  renewEveryMs: number;
  /** How long before `ttlMs` (on the monotonic clock) the holder stops trusting its lease. */
  safetyMarginMs: number;
  /** Monotonic clock (ms); immune to wall-clock jumps, and it keeps counting while the process is stopped. */
  monotonicNow: () => number;
}

/**
 * Takes the run's lease: creates the lease object (`If-None-Match: *`) or
 * replaces an expired or released one (`If-Match` on the ETag we read), so of
 * two workers racing for it exactly one wins. Rejects with
 * `CheckpointConflictError` while another owner's lease is live.
 */
export async function acquireLease(
  context: StoreContext,
  settings: LeaseSettings,
  runId: string,
  onEnd: () => void,
): Promise<S3RunLease> {
  const key = context.keys.leaseKey(runId);
  const current = await getObject(context, key);
  // Measured before the write is sent: the lease cannot have been granted earlier than this.
  const sentAt = settings.monotonicNow();
  const now = context.now();
  if (current) {
    const held = parseLease(current.body);
    if (!held)
      context.warn({
        code: 'lease_unreadable',
        message: `Lease object ${key} is not a valid lease; replacing it`,
        runId,
      });
    else if (!held.released && held.expiresAt > now) {
      throw new CheckpointConflictError(
        runId,
        `leased by '${held.owner}' until ${new Date(held.expiresAt).toISOString()} (${held.expiresAt - now} ms from now)`,
      );
    }
  }
  const document: LeaseDocument = {
    v: 1,
    runId,
    owner: settings.owner,
    token: randomUUID(),
    acquiredAt: now,
    expiresAt: now + settings.ttlMs,
  };
  const body = JSON.stringify(document);
  const result = await putConditional(
    context,
    current ? { key, body, ifMatch: current.etag } : { key, body, ifNoneMatch: true },
  );
  if (!result.ok) throw new CheckpointConflictError(runId, 'another worker took the lease at the same moment');
  return new S3RunLease(context, settings, document, result.etag, sentAt, onEnd);
}

/**
 * Who holds the run's lease, without taking it: `undefined` when there is no
 * lease object or it was released; `alive: false` once it has expired (its
 * holder stopped renewing: crashed, or cut off); an unreadable lease object,
 * which `acquireLease` would replace, counts as gone.
 */
export async function leaseOwner(context: StoreContext, runId: string): Promise<RunOwner | undefined> {
  const key = context.keys.leaseKey(runId);
  const current = await getObject(context, key);
  if (!current) return undefined;
  const held = parseLease(current.body);
  if (!held) return { alive: false, description: `lease object ${key} is not a valid lease` };
  if (held.released) return undefined;
  const now = context.now();
  const until = new Date(held.expiresAt).toISOString();
  const since = typeof held.acquiredAt === 'number' ? { since: held.acquiredAt } : {};
  return held.expiresAt > now
    ? { alive: true, description: `leased by '${held.owner}' until ${until}`, ...since }
    : { alive: false, description: `lease of '${held.owner}' expired at ${until}, not renewed`, ...since };
}

/**
 * A held lease, renewed in the background every `renewEveryMs` with an ETag
 * compare-and-swap. If a renewal finds the lease taken, or cannot renew before
 * expiry, the lease is lost: `signal` aborts and the store refuses further
 * appends to the run from this instance.
 *
 * Every append also calls `assertValid()`, which does not wait for the
 * renewal timer: the lease is trusted only until the last successful
 * acquire/renewal was *sent* plus `ttlMs - safetyMarginMs`, on the monotonic
 * clock. A process that was stopped (SIGSTOP, a VM pause, a long GC) wakes
 * with that time passed and loses the lease before it writes anything.
 */
export class S3RunLease implements RunLease {
  private readonly controller = new AbortController();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private state: 'held' | 'lost' | 'ended' = 'held';
  private renewing: Promise<void> | undefined;
  private lostError: LeaseLostError | undefined;

  constructor(
    private readonly context: StoreContext,
    private readonly settings: LeaseSettings,
    private document: LeaseDocument,
    private etag: string,
    /** Monotonic time the last successful acquire/renewal was sent. */
    private confirmedAt: number,
    private readonly onEnd: () => void,
  ) {
    this.schedule();
  }

  /**
   * Throws `LeaseLostError` unless this instance may still write to the run:
   * the lease is held and its validity (see the class docs) has not run out.
   * Running out loses the lease for good, as a failed renewal does.
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

  /** Loses the lease at once (a conditional write of this run lost): a conflict is final for this writer. */
  fence(reason: string, cause?: unknown): void {
    if (this.state === 'held') this.lose(reason, cause);
  }

  private validUntil(): number {
    return this.confirmedAt + this.settings.ttlMs - this.settings.safetyMarginMs;
  }

  /** The run this lease is for. */
  get runId(): string {
    return this.document.runId;
  }

  /** Aborted (with a `LeaseLostError` as reason) when the lease is lost. */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** True once another worker may own the run. */
  get lost(): boolean {
    return this.state === 'lost';
  }

  /** When the lease runs out unless renewed (epoch ms). */
  get expiresAt(): number {
    return this.document.expiresAt;
  }

  /** Marks the lease released so another worker can take the run at once. Never rejects; idempotent. */
  async release(): Promise<void> {
    if (this.state === 'ended') return;
    const wasHeld = this.state === 'held';
    this.end();
    await this.renewing;
    if (!wasHeld) return;
    const body = JSON.stringify({ ...this.document, expiresAt: this.context.now(), released: true });
    try {
      await putConditional(this.context, { key: this.context.keys.leaseKey(this.runId), body, ifMatch: this.etag });
    } catch (error) {
      // The lease expires by itself; failing the caller's run over it would be worse.
      this.context.warn({
        code: 'lease_release_failed',
        message: `Could not release the lease of run '${this.runId}': ${String(error)}`,
        runId: this.runId,
      });
    }
  }

  /** Stops renewing without writing (the run was deleted, or the store closed). */
  abandon(): void {
    this.end();
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
      // Woken too late (paused process, blocked event loop): another worker may already own the run.
      this.lose('its validity ran out before the renewal timer fired (was the process paused?)');
      return;
    }
    const next: LeaseDocument = { ...this.document, expiresAt: this.context.now() + this.settings.ttlMs };
    const sentAt = this.settings.monotonicNow();
    try {
      const body = JSON.stringify(next);
      const result = await putConditional(this.context, {
        key: this.context.keys.leaseKey(this.runId),
        body,
        ifMatch: this.etag,
      });
      if (result.ok) {
        // Kept even when release() started meanwhile: it writes with the newest ETag.
        this.document = next;
        this.etag = result.etag;
        this.confirmedAt = sentAt;
      } else if (this.state === 'held') {
        this.lose('another worker took the lease over');
      }
    } catch (error) {
      if (this.state === 'held' && this.context.now() >= this.document.expiresAt) {
        this.lose(`it expired before it could be renewed (${String(error)})`);
      }
    }
  }

  private lose(reason: string, cause?: unknown): void {
    this.state = 'lost';
    if (this.timer) clearTimeout(this.timer);
    const error = new LeaseLostError(this.runId, reason, { cause });
    this.lostError = error;
    this.context.warn({ code: 'lease_lost', message: error.message, runId: this.runId });
    this.controller.abort(error);
  }
}

function parseLease(body: string): LeaseDocument | undefined {
  try {
    const value = JSON.parse(body) as Partial<LeaseDocument>;
    const valid =
      value.v === 1 &&
      typeof value.owner === 'string' &&
      typeof value.token === 'string' &&
      typeof value.expiresAt === 'number';
    return valid ? (value as LeaseDocument) : undefined;
  } catch {
    return undefined;
  }
}
