import { randomUUID } from 'node:crypto';
import { CheckpointConflictError, type RunLease } from '@baton/core';
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
}

/**
 * Takes the run's lease: creates the lease object (`If-None-Match: *`) or
 * replaces an expired or released one (`If-Match` on the ETag we read), so of
 * two workers racing for it exactly one wins. Rejects with
 * `CheckpointConflictError` while another owner's lease is live.
 */
export async function acquireLease(context: StoreContext, settings: LeaseSettings, runId: string, onEnd: () => void): Promise<S3RunLease> {
  const key = context.keys.leaseKey(runId);
  const current = await getObject(context, key);
  const now = context.now();
  if (current) {
    const held = parseLease(current.body);
    if (!held) context.warn({ code: 'lease_unreadable', message: `Lease object ${key} is not a valid lease; replacing it`, runId });
    else if (!held.released && held.expiresAt > now) {
      throw new CheckpointConflictError(
        runId,
        `leased by '${held.owner}' until ${new Date(held.expiresAt).toISOString()} (${held.expiresAt - now} ms from now)`,
      );
    }
  }
  const document: LeaseDocument = { v: 1, runId, owner: settings.owner, token: randomUUID(), acquiredAt: now, expiresAt: now + settings.ttlMs };
  const body = JSON.stringify(document);
  const result = await putConditional(context, current ? { key, body, ifMatch: current.etag } : { key, body, ifNoneMatch: true });
  if (!result.ok) throw new CheckpointConflictError(runId, 'another worker took the lease at the same moment');
  return new S3RunLease(context, settings, document, result.etag, onEnd);
}

/**
 * A held lease, renewed in the background every `renewEveryMs` with an ETag
 * compare-and-swap. If a renewal finds the lease taken, or cannot renew before
 * expiry, the lease is lost: `signal` aborts and the store refuses further
 * appends to the run from this instance.
 */
export class S3RunLease implements RunLease {
  private readonly controller = new AbortController();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private state: 'held' | 'lost' | 'ended' = 'held';
  private renewing: Promise<void> | undefined;

  constructor(
    private readonly context: StoreContext,
    private readonly settings: LeaseSettings,
    private document: LeaseDocument,
    private etag: string,
    private readonly onEnd: () => void,
  ) {
    this.schedule();
  }

  /** The run this lease is for. */
  get runId(): string {
    return this.document.runId;
  }

  /** Aborted (with a `CheckpointConflictError` as reason) when the lease is lost. */
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
      this.context.warn({ code: 'lease_release_failed', message: `Could not release the lease of run '${this.runId}': ${String(error)}`, runId: this.runId });
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
    const next: LeaseDocument = { ...this.document, expiresAt: this.context.now() + this.settings.ttlMs };
    try {
      const body = JSON.stringify(next);
      const result = await putConditional(this.context, { key: this.context.keys.leaseKey(this.runId), body, ifMatch: this.etag });
      if (result.ok) {
        // Kept even when release() started meanwhile: it writes with the newest ETag.
        this.document = next;
        this.etag = result.etag;
      } else if (this.state === 'held') {
        this.lose('another worker took the lease over');
      }
    } catch (error) {
      if (this.state === 'held' && this.context.now() >= this.document.expiresAt) {
        this.lose(`it expired before it could be renewed (${String(error)})`);
      }
    }
  }

  private lose(reason: string): void {
    this.state = 'lost';
    const error = new CheckpointConflictError(this.runId, `lease lost: ${reason}`);
    this.context.warn({ code: 'lease_lost', message: error.message, runId: this.runId });
    this.controller.abort(error);
  }
}

function parseLease(body: string): LeaseDocument | undefined {
  try {
    const value = JSON.parse(body) as Partial<LeaseDocument>;
    const valid = value.v === 1 && typeof value.owner === 'string' && typeof value.token === 'string' && typeof value.expiresAt === 'number';
    return valid ? (value as LeaseDocument) : undefined;
  } catch {
    return undefined;
  }
}
