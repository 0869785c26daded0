import { CheckpointCorruptedError, GENESIS_HASH, openRecord, type SealedRecord } from '@baton/core';
import { recordLocation, type StoreContext } from './context.js';

/** The end of a run's chain: how many records it has and the last one's hash. */
export interface ChainTail {
  count: number;
  lastHash: string;
}

/** The run's last record (seq and hash columns); appends keep seqs contiguous, so count = last seq + 1. */
export async function loadTail(context: StoreContext, runId: string): Promise<ChainTail> {
  const { rows } = await context.caller.call('read the chain tail', () =>
    context.pool.query<{ seq: string; hash: string }>(context.sql.tail, [runId]),
  );
  const last = rows[0];
  return last ? { count: Number(last.seq) + 1, lastHash: last.hash } : { count: 0, lastHash: GENESIS_HASH };
}

/**
 * Reads and verifies the run's whole chain: every body parses, chains to the previous
 * record's hash, hashes to its own, has the seq of its position, and matches the row's
 * `hash` column. Throws `CheckpointCorruptedError` naming the first bad row.
 */
export async function readChain(context: StoreContext, runId: string): Promise<SealedRecord[]> {
  const { rows } = await context.caller.call('read', () =>
    context.pool.query<{ seq: string; hash: string; body: string }>(context.sql.read, [runId]),
  );
  const records: SealedRecord[] = [];
  let prev = GENESIS_HASH;
  for (const [index, row] of rows.entries()) {
    const location = recordLocation(context, runId, Number(row.seq));
    if (Number(row.seq) !== index) {
      throw new CheckpointCorruptedError(location, `expected seq ${index} (a record before it is missing)`);
    }
    const sealed = openRecord(row.body, prev, location, index);
    if (sealed.runId !== runId) {
      throw new CheckpointCorruptedError(location, `record names run '${String(sealed.runId)}'`);
    }
    if (sealed.hash !== row.hash)
      throw new CheckpointCorruptedError(location, 'the hash column does not match the record');
    records.push(sealed);
    prev = sealed.hash;
  }
  return records;
}
