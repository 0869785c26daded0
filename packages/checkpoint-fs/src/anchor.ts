import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { CheckpointCorruptedError, type SealedRecord } from '@baton/core';
import { isErrno, replaceFile, storeIoError } from './fs-util.js';

const ANCHOR_VERSION = 1;

/** The end of a finished run's log: how many records it had and the hash of the last one. */
export interface AnchorHead {
  records: number;
  lastHash: string;
}

/**
 * `<runId>.anchor`, written (temporary file, fsync, rename) after each
 * `run.finished` record is durable. Every head it lists is a log end the store
 * wrote; a log that ends before one of them, or differs from it, was truncated
 * or rewritten. Two heads (the end before and after) while a `run.finished`
 * record is appended or `compact` replaces the log, so a crash at any point
 * leaves a log its anchor accepts.
 * `hash` is a plain SHA-256 of the rest: it catches damage, not a forger.
 */
export interface Anchor {
  v: typeof ANCHOR_VERSION;
  runId: string;
  heads: AnchorHead[];
  hash: string;
}

/** How a parsed log relates to its anchor. */
export type AnchorMatch =
  /** No anchor file. */
  | 'none'
  /** The log ends exactly at the anchor's newest head. */
  | 'end'
  /** The log continues past a head (a finished run resumed later). */
  | 'prefix';

/** The anchor file next to a run's log (`x.jsonl` → `x.anchor`). */
export function anchorPath(logPath: string): string {
  return `${logPath.slice(0, -'.jsonl'.length)}.anchor`;
}

/** Reads a run's anchor; `undefined` when there is none. A damaged anchor throws `CheckpointCorruptedError`. */
export async function readAnchor(path: string, runId: string): Promise<Anchor | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if (isErrno(error, 'ENOENT')) return undefined;
    throw storeIoError('read', path, error);
  }
  let anchor: Anchor;
  try {
    anchor = JSON.parse(text) as Anchor;
  } catch (error) {
    throw new CheckpointCorruptedError(path, 'anchor is not valid JSON', { cause: error });
  }
  if (
    anchor?.v !== ANCHOR_VERSION ||
    !Array.isArray(anchor.heads) ||
    anchor.heads.length === 0 ||
    !anchor.heads.every(isHead)
  ) {
    throw new CheckpointCorruptedError(path, `not an anchor of format v${ANCHOR_VERSION}: ${text.slice(0, 200)}`);
  }
  if (anchor.hash !== anchorHash(anchor.runId, anchor.heads))
    throw new CheckpointCorruptedError(path, 'anchor hash mismatch (the anchor was altered)');
  if (anchor.runId !== runId)
    throw new CheckpointCorruptedError(path, `anchor belongs to run ${JSON.stringify(anchor.runId)}, not '${runId}'`);
  return anchor;
}

/** Replaces a run's anchor with `heads` (temporary file, fdatasync when `durable`, rename). */
export async function writeAnchor(path: string, runId: string, heads: AnchorHead[], durable: boolean): Promise<void> {
  const anchor: Anchor = { v: ANCHOR_VERSION, runId, heads, hash: anchorHash(runId, heads) };
  await replaceFile(path, `${JSON.stringify(anchor)}\n`, durable, 'write the anchor');
}

/**
 * Checks the log's records against its anchor. Throws `CheckpointCorruptedError`
 * (at `logFile`) when the log matches none of the anchor's heads: whole
 * records were removed from its end, or records were rewritten.
 */
export function matchAnchor(
  records: readonly SealedRecord[],
  anchor: Anchor | undefined,
  logFile: string,
  anchorFile: string,
): AnchorMatch {
  if (!anchor) return 'none';
  let match: AnchorMatch | undefined;
  for (const head of anchor.heads) {
    if (records[head.records - 1]?.hash !== head.lastHash) continue;
    if (head.records === records.length) return 'end';
    match = 'prefix';
  }
  if (match) return match;
  const head = anchor.heads[anchor.heads.length - 1] as AnchorHead;
  if (records.length < head.records) {
    throw new CheckpointCorruptedError(
      logFile,
      `truncated: the log has ${records.length} record(s) but its anchor ${anchorFile} says the run finished with ${head.records}, the last hashing to ${head.lastHash} (whole records were removed from its end)`,
    );
  }
  throw new CheckpointCorruptedError(
    logFile,
    `record ${head.records} has hash ${records[head.records - 1]?.hash} but its anchor ${anchorFile} says ${head.lastHash} (records were rewritten)`,
  );
}

function anchorHash(runId: string, heads: readonly AnchorHead[]): string {
  return createHash('sha256')
    .update(JSON.stringify({ v: ANCHOR_VERSION, runId, heads }))
    .digest('hex');
}

function isHead(value: unknown): value is AnchorHead {
  const head = value as AnchorHead;
  return (
    typeof head === 'object' &&
    head !== null &&
    Number.isInteger(head.records) &&
    head.records > 0 &&
    typeof head.lastHash === 'string'
  );
}
