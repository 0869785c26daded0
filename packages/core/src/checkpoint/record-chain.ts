import { createHash } from 'node:crypto';
import { CheckpointCorruptedError } from '../errors/errors.js';
import { CHECKPOINT_FORMAT_VERSION, type CheckpointRecord } from './types.js';

/** The `prev` of a run's first record. */
export const GENESIS_HASH = '0'.repeat(64);

/** A record as persisted by durable stores: chained to its predecessor by SHA-256. */
export type SealedRecord = CheckpointRecord & { prev: string; hash: string };

/** SHA-256 (hex) of `prev` followed by the record's JSON. */
export function chainHash(prev: string, recordJson: string): string {
  return createHash('sha256').update(prev).update('\n').update(recordJson).digest('hex');
}

/**
 * Serializes a record for a durable store, chained to `prev` (the previous
 * record's hash, or `GENESIS_HASH`). Returns the JSON text (one line, no
 * newline) and the record's hash, to pass as `prev` for the next one.
 */
export function sealRecord(record: CheckpointRecord, prev: string): { text: string; hash: string } {
  const json = JSON.stringify(record);
  const hash = chainHash(prev, json);
  // Appending prev/hash at the end keeps the record's own key order, so verification
  // can re-serialize the record exactly (JSON.stringify∘JSON.parse is the identity on JSON.stringify output).
  return { text: `${json.slice(0, -1)},"prev":"${prev}","hash":"${hash}"}`, hash };
}

/**
 * Parses and verifies one sealed record. `expectedPrev` is the previous
 * record's hash; `location` names it in errors (e.g. `runs/x.jsonl:3`).
 * Throws `CheckpointCorruptedError` on any mismatch.
 */
export function openRecord(text: string, expectedPrev: string, location: string, expectedSeq?: number): SealedRecord {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new CheckpointCorruptedError(location, 'not valid JSON', { cause: error });
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new CheckpointCorruptedError(location, 'not a JSON object');
  }
  const { prev, hash, ...record } = parsed as Record<string, unknown>;
  if (typeof hash !== 'string' || typeof prev !== 'string')
    throw new CheckpointCorruptedError(location, 'missing prev/hash fields');
  if (record.v !== CHECKPOINT_FORMAT_VERSION) {
    throw new CheckpointCorruptedError(location, `unsupported format version ${JSON.stringify(record.v)}`);
  }
  if (prev !== expectedPrev)
    throw new CheckpointCorruptedError(
      location,
      'chain broken: prev does not match the previous record (deleted, reordered or inserted record)',
    );
  if (chainHash(prev, JSON.stringify(record)) !== hash)
    throw new CheckpointCorruptedError(location, 'SHA-256 mismatch (record was altered)');
  if (expectedSeq !== undefined && record.seq !== expectedSeq) {
    throw new CheckpointCorruptedError(location, `expected seq ${expectedSeq}, found ${JSON.stringify(record.seq)}`);
  }
  return parsed as SealedRecord;
}

/** Removes the chain fields, giving back the record the supervisor appended. */
export function unsealRecord(sealed: SealedRecord): CheckpointRecord {
  const { prev: _prev, hash: _hash, ...record } = sealed;
  return record as CheckpointRecord;
}
