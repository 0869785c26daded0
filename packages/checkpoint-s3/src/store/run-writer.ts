import { CheckpointConflictError, sealRecord, type CheckpointRecord } from '@baton/core';
import { putConditional, type StoreContext } from './context.js';
import { loadTail, type ChainTail } from './records.js';

/** What the writer asks its store before and after each conditional write. */
export interface WriteFencing {
  /** Settles once the server is known to honour conditional writes (see `probeConditionalWrites`). */
  ready(): Promise<void>;
  /** Throws (`LeaseLostError`) if this instance may not write to the run; called right before every write. */
  guard(runId: string): void;
  /** A write of the run lost to another writer: the store fences the run if it holds its lease. */
  conflicted(runId: string, error: CheckpointConflictError): void;
}

interface RunQueue {
  /** Settles when the last queued append has. */
  tail: Promise<unknown>;
  pending: number;
  /** Cached end of the chain after our own last append; refreshed from S3 when in doubt. */
  chain: ChainTail | undefined;
}

/**
 * Appends records, one object each, written with `If-None-Match: *` on a
 * key that holds the zero-padded `seq`: of any writers racing for one seq,
 * exactly one succeeds. Appends to one run are queued so they apply in call
 * order even when the caller does not await each one.
 */
export class RunWriter {
  private readonly queues = new Map<string, RunQueue>();

  constructor(
    private readonly context: StoreContext,
    private readonly fencing: WriteFencing,
  ) {}

  append(record: CheckpointRecord): Promise<void> {
    const { runId } = record;
    let queue = this.queues.get(runId);
    if (!queue) this.queues.set(runId, (queue = { tail: Promise.resolve(), pending: 0, chain: undefined }));
    const owned = queue;
    owned.pending++;
    const result = owned.tail.then(() => this.write(owned, record));
    owned.tail = result
      .finally(() => {
        // Drop idle queues so a long-lived store holds no state per finished run.
        if (--owned.pending === 0 && this.queues.get(runId) === owned && record.type === 'run.finished')
          this.queues.delete(runId);
      })
      .catch(() => undefined);
    return result;
  }

  /** Settles once every append issued so far has (successfully or not). */
  async drain(): Promise<void> {
    await Promise.all([...this.queues.values()].map((queue) => queue.tail));
  }

  /** Forgets the cached chain end (the run was deleted or rewritten elsewhere). */
  forget(runId: string): void {
    const queue = this.queues.get(runId);
    if (queue) queue.chain = undefined;
  }

  private async write(queue: RunQueue, record: CheckpointRecord): Promise<void> {
    const { runId, seq } = record;
    await this.fencing.ready();
    this.fencing.guard(runId);
    let chain = queue.chain ?? (await loadTail(this.context, runId));
    // Our cache only ever lags behind other writers, so a mismatch deserves one fresh look.
    if (seq !== chain.count && queue.chain) chain = await loadTail(this.context, runId);
    if (seq !== chain.count) {
      queue.chain = chain;
      throw this.conflict(runId, `expected seq ${chain.count}, got ${seq} (another writer appended first)`);
    }
    const { text, hash } = sealRecord(record, chain.lastHash);
    const key = this.context.keys.recordKey(runId, seq);
    // Checked again after the reads above: they may have taken long enough for the lease to run out.
    this.fencing.guard(runId);
    const result = await putConditional(this.context, { key, body: text, ifNoneMatch: true });
    if (!result.ok) {
      queue.chain = undefined;
      throw this.conflict(runId, `record seq ${seq} was written by another writer first`);
    }
    queue.chain = { count: seq + 1, lastHash: hash };
  }

  private conflict(runId: string, reason: string): CheckpointConflictError {
    const error = new CheckpointConflictError(runId, reason);
    this.fencing.conflicted(runId, error);
    return error;
  }
}
