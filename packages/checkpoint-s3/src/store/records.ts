import {
  CheckpointConflictError,
  CheckpointCorruptedError,
  GENESIS_HASH,
  openRecord,
  type CheckpointRecord,
  type SealedRecord,
} from '@baton/core';
import { getObject, listAll, locationOf, mapLimit, type StoreContext } from './context.js';

/** The end of a run's hash chain: how many records it has and the last one's hash. */
export interface ChainTail {
  count: number;
  lastHash: string;
}

/**
 * The run's record keys in `seq` order. Throws `CheckpointCorruptedError` on a
 * gap or a foreign object among them: a record is never skipped silently.
 */
export async function listRecordKeys(context: StoreContext, runId: string): Promise<string[]> {
  const keys = await listAll(context, context.keys.recordsPrefix(runId));
  keys.forEach((key, index) => {
    const parsed = context.keys.parseRecordKey(key);
    if (!parsed || parsed.runId !== runId)
      throw new CheckpointCorruptedError(locationOf(context, key), "unexpected object among the run's records");
    if (parsed.seq !== index) {
      const missing = locationOf(context, context.keys.recordKey(runId, index));
      throw new CheckpointCorruptedError(
        missing,
        `record ${index} is missing (the next one found is seq ${parsed.seq})`,
      );
    }
  });
  return keys;
}

/** Reads one record object; a record that vanished between listing and reading means the run was deleted meanwhile. */
async function fetchRecordText(context: StoreContext, runId: string, key: string): Promise<string> {
  const object = await getObject(context, key);
  if (!object)
    throw new CheckpointConflictError(
      runId,
      `record ${locationOf(context, key)} disappeared while reading (run deleted concurrently?)`,
    );
  return object.body;
}

/** Opens one record on its own: verifies its own hash, format version, seq and run id, but not its link to the previous one. */
export function openDetached(
  context: StoreContext,
  runId: string,
  key: string,
  text: string,
  seq: number,
): SealedRecord {
  let prev = GENESIS_HASH;
  try {
    const value = JSON.parse(text) as { prev?: unknown };
    if (typeof value.prev === 'string') prev = value.prev;
  } catch {
    // openRecord reports the parse error with its location.
  }
  return checkRunId(context, runId, key, openRecord(text, prev, locationOf(context, key), seq));
}

function checkRunId(context: StoreContext, runId: string, key: string, sealed: SealedRecord): SealedRecord {
  if (sealed.runId !== runId) {
    throw new CheckpointCorruptedError(
      locationOf(context, key),
      `record belongs to run ${JSON.stringify(sealed.runId)}, not '${runId}'`,
    );
  }
  return sealed;
}

/** Reads and verifies a run's whole chain (SHA-256 per record, linked by `prev`), in order. */
export async function readChain(context: StoreContext, runId: string): Promise<SealedRecord[]> {
  const keys = await listRecordKeys(context, runId);
  const texts = await mapLimit(keys, context.readConcurrency, (key) => fetchRecordText(context, runId, key));
  let prev = GENESIS_HASH;
  return texts.map((text, seq) => {
    const key = keys[seq]!;
    const sealed = checkRunId(context, runId, key, openRecord(text, prev, locationOf(context, key), seq));
    prev = sealed.hash;
    return sealed;
  });
}

/** Finds where the run's chain ends by listing it and opening only its last record. */
export async function loadTail(context: StoreContext, runId: string): Promise<ChainTail> {
  const keys = await listRecordKeys(context, runId);
  const lastKey = keys[keys.length - 1];
  if (lastKey === undefined) return { count: 0, lastHash: GENESIS_HASH };
  const text = await fetchRecordText(context, runId, lastKey);
  return { count: keys.length, lastHash: openDetached(context, runId, lastKey, text, keys.length - 1).hash };
}

/** The record types that tell a run's status, for listing from the last record alone. */
export function statusOf(
  last: CheckpointRecord,
): 'running' | Extract<CheckpointRecord, { type: 'run.finished' }>['status'] {
  return last.type === 'run.finished' ? last.status : 'running';
}
