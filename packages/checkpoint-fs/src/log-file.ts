import { readFile } from 'node:fs/promises';
import { CheckpointCorruptedError, GENESIS_HASH, openRecord, type SealedRecord } from '@baton/core';
import { anchorPath, matchAnchor, readAnchor, type Anchor, type AnchorMatch } from './anchor.js';
import { isErrno, storeIoError } from './fs-util.js';

const NEWLINE = 0x0a;
// The end of a sealed record's text (see core's sealRecord); used to tell a torn write from a lost newline.
const RECORD_END = /"hash":"[0-9a-f]{64}"}/g;

/** A run's log file, parsed and verified. */
export interface ParsedLog {
  /** Every complete record, verified against the chain, in `seq` order. */
  records: SealedRecord[];
  /** Bytes of complete lines: where the next append goes. */
  validBytes: number;
  /** Bytes after the last newline, ignored as a torn write (0 when none). */
  tornBytes: number;
  /** Hash of the last record, or `GENESIS_HASH` when there is none. */
  lastHash: string;
  /** How the log relates to its anchor (`'none'` when `parseLog` was given none). */
  anchor: AnchorMatch;
  /** The anchor read with the log, if any. */
  anchorFile?: Anchor;
}

/**
 * Parses and verifies a run's log: every line must be a sealed record of run
 * `runId` chaining to the previous one with the next `seq`. Bytes after the
 * last newline are a torn tail (a write cut short by a crash) and are
 * reported, not returned. Anything else that is wrong throws
 * `CheckpointCorruptedError` naming `file:line` and the reason.
 */
export function parseLog(data: Buffer, runId: string, file: string): ParsedLog {
  const records: SealedRecord[] = [];
  let prev = GENESIS_HASH;
  let start = 0;
  for (let end = data.indexOf(NEWLINE, start); end !== -1; end = data.indexOf(NEWLINE, start)) {
    const location = `${file}:${records.length + 1}`;
    const record = openRecord(data.toString('utf8', start, end), prev, location, records.length);
    if (record.runId !== runId) {
      throw new CheckpointCorruptedError(
        location,
        `record belongs to run ${JSON.stringify(record.runId)}, not '${runId}'`,
      );
    }
    records.push(record);
    prev = record.hash;
    start = end + 1;
  }
  if (start < data.length)
    assertTornWrite(data.toString('utf8', start), prev, `${file}:${records.length + 1}`, records.length);
  return { records, validBytes: start, tornBytes: data.length - start, lastHash: prev, anchor: 'none' };
}

/**
 * A torn write is a prefix of one record's line. A whole valid record followed
 * by other bytes is not: that is a newline overwritten (bit rot, an edit),
 * and it must not pass as a harmless torn tail.
 */
function assertTornWrite(tail: string, prev: string, location: string, seq: number): void {
  for (const match of tail.matchAll(RECORD_END)) {
    const end = match.index + match[0].length;
    if (end === tail.length) continue;
    let complete = false;
    try {
      openRecord(tail.slice(0, end), prev, location, seq);
      complete = true;
    } catch {
      // Not a record boundary (e.g. a step output containing a "hash" key): keep looking.
    }
    if (complete) {
      throw new CheckpointCorruptedError(
        location,
        `a complete record is followed by ${tail.length - end} stray byte(s) where its newline should be`,
      );
    }
  }
}

/**
 * Reads and parses a run's log and checks it against its anchor (see
 * `matchAnchor`); `undefined` when neither exists. A missing log whose anchor
 * remains was deleted behind the store's back: `CheckpointCorruptedError`.
 */
export async function readLog(path: string, runId: string): Promise<ParsedLog | undefined> {
  const anchorFile = anchorPath(path);
  const [data, anchor] = await Promise.all([readData(path), readAnchor(anchorFile, runId)]);
  if (data === undefined) {
    if (anchor === undefined) return undefined;
    const head = anchor.heads[anchor.heads.length - 1];
    throw new CheckpointCorruptedError(
      path,
      `the log is missing but its anchor ${anchorFile} says the run finished with ${head?.records} record(s) (the log was deleted)`,
    );
  }
  const parsed = parseLog(data, runId, path);
  parsed.anchor = matchAnchor(parsed.records, anchor, path, anchorFile);
  if (anchor) parsed.anchorFile = anchor;
  return parsed;
}

async function readData(path: string): Promise<Buffer | undefined> {
  try {
    return await readFile(path);
  } catch (error) {
    if (isErrno(error, 'ENOENT')) return undefined;
    throw storeIoError('read', path, error);
  }
}
