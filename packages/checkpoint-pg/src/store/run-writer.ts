import { CheckpointConflictError, sealRecord, type CheckpointRecord } from '@baton/core';
import type { StoreContext } from './context.js';
import { RecordNotSerializableError } from './pg-errors.js';
import type { PgRunLease } from './pg-lease.js';
import { loadTail, type ChainTail } from './records.js';
import { prepared } from './statements.js';

interface RunQueue {
  /** Settles when the last queued append has. */
  tail: Promise<unknown>;
  pending: number;
  /** End of the chain after our own last append; refreshed from the server when in doubt. */
  chain: ChainTail | undefined;
}

/** The append statement's answer. */
interface Outcome {
  inserted: boolean;
  /** The lease check passed: our token holds a live lease, or (without a lease of ours) nobody holds one. */
  fence_ok: boolean;
  chained: boolean;
  existing: string | null;
}

/**
 * Appends records, one row each, in one statement that checks the lease and the chain
 * and inserts (see `buildStatements`). Appends to one run are queued so they apply in
 * call order even when the caller does not await each one.
 */
export class RunWriter {
  private readonly queues = new Map<string, RunQueue>();

  constructor(
    private readonly context: StoreContext,
    /** This store's live lease on the run, if it holds one. */
    private readonly leaseOf: (runId: string) => PgRunLease | undefined,
  ) {}

  /** Queues `record` behind the run's earlier appends. */
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

  /**
   * Primes the run's cached chain end with what `acquire` read in its own round trip, so the run's first append
   * needs no read. Ignored while appends to the run are queued (their own results are fresher).
   */
  seed(runId: string, chain: ChainTail): void {
    const queue = this.queues.get(runId);
    if (!queue) this.queues.set(runId, { tail: Promise.resolve(), pending: 0, chain });
    else if (queue.pending === 0) queue.chain = chain;
  }

  /** Drops the run's cache once its lease ends, unless appends are still queued, so no state outlives a run. */
  release(runId: string): void {
    const queue = this.queues.get(runId);
    if (queue && queue.pending === 0) this.queues.delete(runId);
  }

  /** Forgets the cached chain end (the run was deleted). */
  forget(runId: string): void {
    const queue = this.queues.get(runId);
    if (queue) queue.chain = undefined;
  }

  private async write(queue: RunQueue, record: CheckpointRecord): Promise<void> {
    const { runId, seq } = record;
    this.leaseOf(runId)?.assertValid();
    let chain = queue.chain ?? (await loadTail(this.context, runId));
    // Our cache only ever lags behind other writers, so a mismatch deserves one fresh look.
    if (seq !== chain.count && queue.chain) chain = await loadTail(this.context, runId);
    if (seq !== chain.count) {
      queue.chain = chain;
      throw this.conflict(runId, `expected seq ${chain.count}, got ${seq} (another writer appended first)`);
    }
    let sealed: { text: string; hash: string };
    try {
      sealed = sealRecord(record, chain.lastHash);
    } catch (error) {
      throw new RecordNotSerializableError(runId, seq, error);
    }
    const outcome = await this.insert(record, sealed, chain.lastHash);
    if (outcome.inserted || outcome.existing === sealed.hash) {
      queue.chain = { count: seq + 1, lastHash: sealed.hash };
      // The statement that inserted a `run.finished` under our lease also deleted the lease row (also when this
      // was a retry of an attempt whose reply was lost: that attempt's insert and delete committed together).
      if (record.type === 'run.finished') this.leaseOf(runId)?.releasedByServer();
      return;
    }
    queue.chain = undefined;
    const lease = this.leaseOf(runId);
    if (!outcome.fence_ok) {
      if (lease) throw lease.fence('the server refused an append: the lease was taken over or expired');
      throw new CheckpointConflictError(runId, 'another owner holds a live lease on the run');
    }
    if (!outcome.chained) throw this.conflict(runId, `record ${seq - 1} changed or is gone (another writer)`);
    throw this.conflict(runId, `record seq ${seq} was written by another writer first`);
  }

  private async insert(record: CheckpointRecord, sealed: { text: string; hash: string }, prev: string) {
    const lease = this.leaseOf(record.runId);
    const status = record.type === 'run.finished' ? record.status : null;
    const values = [
      record.runId,
      record.seq,
      sealed.hash,
      record.type,
      status,
      record.at,
      JSON.stringify(record.workflow),
      sealed.text,
      prev,
    ];
    const sql = !lease
      ? this.context.sql.appendUnleased
      : record.type === 'run.finished'
        ? this.context.sql.appendLeasedFinal
        : this.context.sql.appendLeased;
    if (lease) values.push(lease.token);
    const { rows } = await this.context.caller.call('append', () =>
      this.context.pool.query<Outcome>(prepared(sql, values)),
    );
    return rows[0]!;
  }

  /** A conflict is final for a writer that holds the run's lease: it fences itself, as the S3 store does. */
  private conflict(runId: string, reason: string): CheckpointConflictError {
    const error = new CheckpointConflictError(runId, reason);
    this.leaseOf(runId)?.fence(`an append lost to another writer (${error.message})`);
    return error;
  }
}
