import { unlink } from 'node:fs/promises';
import {
  BatonError,
  CheckpointStoreError,
  GENESIS_HASH,
  RunNotFoundError,
  sealRecord,
  summarizeRun,
  unsealRecord,
  type CheckpointRecord,
  type PruneOptionsWithDefaults,
  type RunSummary,
} from '@baton/core';
import { anchorPath, writeAnchor, type AnchorHead } from './anchor.js';
import { ignoreMissing, replaceFile, storeIoError } from './fs-util.js';
import { readLog, type ParsedLog } from './log-file.js';
import { finalRecords } from './final-records.js';

/** What maintenance needs from the store. */
export interface MaintenanceContext {
  readonly durable: boolean;
  logPath(runId: string): string;
  listRunIds(): Promise<string[]>;
  /** Reads a run's log, after any append of this process that was issued earlier. */
  readRun(runId: string): Promise<ParsedLog | undefined>;
  listRuns(): Promise<RunSummary[]>;
  /**
   * Runs `operation` owning the run: its lock taken (unless this store holds
   * it) and in-process appends drained. `operation` must not call `readRun`
   * for the same run (it would wait for itself).
   */
  withRun<T>(runId: string, operation: () => Promise<T>): Promise<T>;
  /** Makes the runs directory's entries durable. */
  syncDirectory(): Promise<void>;
}

/**
 * What `verify` concluded about one run:
 * - `ok`: intact, and finished with an anchor matching the log's end (no record removed since).
 * - `unfinished`: intact so far, but no `run.finished` after its last start or resume, so nothing
 *   marks where its log should end: records removed from its end cannot be detected (yet).
 * - `unanchored`: intact, ends in `run.finished`, but no anchor covers that end: a crash between that
 *   record and its anchor, a log written before anchors existed, or a removed anchor file. Truncation
 *   cannot be ruled out; `anchor(runId)` accepts the log as it is.
 * - `corrupted`: damaged, truncated below its anchor, rewritten, or deleted while its anchor remains.
 */
export type RunVerificationStatus = 'ok' | 'unfinished' | 'unanchored' | 'corrupted';

/** The verification of one run's log. */
export interface RunVerification {
  runId: string;
  file: string;
  /** See `RunVerificationStatus`. */
  status: RunVerificationStatus;
  /** True only for status `ok`. */
  ok: boolean;
  /** Complete, verified records. */
  records: number;
  /** Bytes of a torn tail ignored after the last record (a crash mid-append); not an error. */
  tornBytes: number;
  /** Why the log failed verification: usually a `CheckpointCorruptedError` naming file, line and reason. */
  error?: BatonError;
}

/** Result of `FsCheckpointStore.verify`. */
export interface VerifyReport {
  /** True when every verified run is intact. */
  ok: boolean;
  runs: RunVerification[];
}

/** Result of `FsCheckpointStore.prune`. */
export interface PruneResult {
  /** Runs whose logs were deleted. */
  deleted: string[];
  /** Candidates left in place, with why (e.g. another process holds the lock). */
  skipped: { runId: string; reason: string }[];
}

/** Result of `FsCheckpointStore.compact`. */
export interface CompactResult {
  runId: string;
  /** Records before and after compaction. */
  before: number;
  after: number;
}

/** Verifies one run, or every run when `runId` is undefined. */
export async function verifyRuns(context: MaintenanceContext, runId?: string): Promise<VerifyReport> {
  const runIds = runId === undefined ? await context.listRunIds() : [runId];
  const runs: RunVerification[] = [];
  for (const id of runIds) {
    const file = context.logPath(id);
    try {
      const parsed = await context.readRun(id);
      if (!parsed) {
        if (runId !== undefined) throw new RunNotFoundError(id);
        continue; // Deleted while we were listing.
      }
      const status = intactStatus(parsed);
      runs.push({
        runId: id,
        file,
        status,
        ok: status === 'ok',
        records: parsed.records.length,
        tornBytes: parsed.tornBytes,
      });
    } catch (error) {
      if (!BatonError.isInstance(error) || error instanceof RunNotFoundError) throw error;
      runs.push({ runId: id, file, status: 'corrupted', ok: false, records: 0, tornBytes: 0, error });
    }
  }
  return { ok: runs.every((run) => run.ok), runs };
}

function intactStatus(parsed: ParsedLog): RunVerificationStatus {
  if (summarizeRun(parsed.records.map(unsealRecord))?.status === 'running') return 'unfinished';
  return parsed.anchor === 'end' ? 'ok' : 'unanchored';
}

/** Deletes the runs that `options` select (see `PruneOptions`). */
export async function pruneRuns(context: MaintenanceContext, options: PruneOptionsWithDefaults): Promise<PruneResult> {
  const cutoff =
    options.olderThan === undefined
      ? undefined
      : options.olderThan instanceof Date
        ? options.olderThan.getTime()
        : Date.now() - options.olderThan;
  const statuses = new Set<RunSummary['status']>(options.status);
  const matching = (await context.listRuns()).filter((run) => statuses.has(run.status));
  matching.sort((a, b) => b.updatedAt - a.updatedAt || a.runId.localeCompare(b.runId));
  const candidates = matching
    .slice(options.keepLast ?? 0)
    .filter((run) => cutoff === undefined || run.updatedAt < cutoff);
  const result: PruneResult = { deleted: [], skipped: [] };
  for (const candidate of candidates) {
    try {
      const reason = await context.withRun(candidate.runId, () => deleteIfUnchanged(context, candidate));
      if (reason === undefined) result.deleted.push(candidate.runId);
      else result.skipped.push({ runId: candidate.runId, reason });
    } catch (error) {
      if (!BatonError.isInstance(error)) throw error;
      result.skipped.push({ runId: candidate.runId, reason: error.message });
    }
  }
  if (result.deleted.length > 0 && context.durable) await context.syncDirectory();
  return result;
}

/** Deletes a run's log unless it changed since it was selected; returns why it was kept, if it was. */
async function deleteIfUnchanged(context: MaintenanceContext, selected: RunSummary): Promise<string | undefined> {
  // Read directly: the run's queue is held by this very operation.
  const parsed = await readLog(context.logPath(selected.runId), selected.runId);
  const now = parsed && summarizeRun(parsed.records.map(unsealRecord));
  if (!now) return 'already gone';
  if (now.records !== selected.records || now.status !== selected.status) return 'changed while pruning';
  await deleteRunFiles(context.logPath(selected.runId));
  return undefined;
}

/**
 * Deletes a run's anchor, then its log. In that order, a crash in between
 * leaves an unanchored log (reported by `verify`, deleted by the next try),
 * never an anchor without its log (which reads as a deleted log).
 */
export async function deleteRunFiles(path: string): Promise<void> {
  for (const file of [anchorPath(path), path]) {
    await unlink(file)
      .catch(ignoreMissing)
      .catch((error: unknown) => {
        throw storeIoError('delete', file, error);
      });
  }
}

/** Rewrites a finished run's log to its final records (see `finalRecords`), atomically. */
export async function compactRun(context: MaintenanceContext, runId: string): Promise<CompactResult> {
  return context.withRun(runId, async () => {
    // Read directly: the run's queue is held by this very operation.
    const parsed = await readLog(context.logPath(runId), runId);
    if (!parsed) throw new RunNotFoundError(runId);
    const records = parsed.records.map(unsealRecord);
    if (summarizeRun(records)?.status === 'running') {
      throw new CheckpointStoreError(
        `Cannot compact run '${runId}': it is still running (no run.finished record after its last start or resume)`,
      );
    }
    const kept = finalRecords(records);
    if (kept.length < records.length || parsed.tornBytes > 0) {
      const path = context.logPath(runId);
      const resealed = resealAll(kept);
      // Both ends are valid while the log is replaced, so a crash at any point leaves a log its anchor accepts.
      await anchor(context, path, runId, [{ records: records.length, lastHash: parsed.lastHash }, resealed.head]);
      await replaceFile(path, resealed.text, context.durable);
      if (context.durable) await context.syncDirectory();
      await anchor(context, path, runId, [resealed.head]);
    } else if (parsed.anchor !== 'end') {
      await anchor(context, context.logPath(runId), runId, [{ records: records.length, lastHash: parsed.lastHash }]);
    }
    return { runId, before: records.length, after: kept.length };
  });
}

/**
 * Accepts a finished run's log as it is now: writes an anchor at its end (for a
 * run `verify` reports `unanchored`). Refuses a running run and a log that does
 * not read cleanly against its current anchor.
 */
export async function anchorRun(context: MaintenanceContext, runId: string): Promise<AnchorHead> {
  return context.withRun(runId, async () => {
    const path = context.logPath(runId);
    const parsed = await readLog(path, runId);
    if (!parsed) throw new RunNotFoundError(runId);
    if (summarizeRun(parsed.records.map(unsealRecord))?.status === 'running') {
      throw new CheckpointStoreError(
        `Cannot anchor run '${runId}': it is unfinished (no run.finished record after its last start or resume)`,
      );
    }
    const head = { records: parsed.records.length, lastHash: parsed.lastHash };
    if (parsed.anchor !== 'end') await anchor(context, path, runId, [head]);
    return head;
  });
}

async function anchor(context: MaintenanceContext, logPath: string, runId: string, heads: AnchorHead[]): Promise<void> {
  await writeAnchor(anchorPath(logPath), runId, heads, context.durable);
  if (context.durable) await context.syncDirectory();
}

/** Seals records again as a fresh chain with contiguous `seq`; returns the text and its end. */
function resealAll(records: readonly CheckpointRecord[]): { text: string; head: AnchorHead } {
  let prev = GENESIS_HASH;
  let text = '';
  records.forEach((record, seq) => {
    const sealed = sealRecord({ ...record, seq }, prev);
    text += `${sealed.text}\n`;
    prev = sealed.hash;
  });
  return { text, head: { records: records.length, lastHash: prev } };
}
