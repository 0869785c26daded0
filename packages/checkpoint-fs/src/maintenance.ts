import { randomUUID } from 'node:crypto';
import { close, constants, fdatasync, open, writeSync } from 'node:fs';
import { rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { promisify } from 'node:util';
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
import { ignoreMissing, storeIoError } from './fs-util.js';
import { readLog, type ParsedLog } from './log-file.js';
import { finalRecords } from './final-records.js';

const openAsync = promisify(open);
const closeAsync = promisify(close);
const fdatasyncAsync = promisify(fdatasync);

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

/** The verification of one run's log. */
export interface RunVerification {
  runId: string;
  file: string;
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
      runs.push({ runId: id, file, ok: true, records: parsed.records.length, tornBytes: parsed.tornBytes });
    } catch (error) {
      if (!BatonError.isInstance(error) || error instanceof RunNotFoundError) throw error;
      runs.push({ runId: id, file, ok: false, records: 0, tornBytes: 0, error });
    }
  }
  return { ok: runs.every((run) => run.ok), runs };
}

/** Deletes the runs that `options` select (see `PruneOptions`). */
export async function pruneRuns(context: MaintenanceContext, options: PruneOptionsWithDefaults): Promise<PruneResult> {
  const cutoff = options.olderThan === undefined ? undefined : options.olderThan instanceof Date ? options.olderThan.getTime() : Date.now() - options.olderThan;
  const statuses = new Set<RunSummary['status']>(options.status);
  const matching = (await context.listRuns()).filter((run) => statuses.has(run.status));
  matching.sort((a, b) => b.updatedAt - a.updatedAt || a.runId.localeCompare(b.runId));
  const candidates = matching.slice(options.keepLast ?? 0).filter((run) => cutoff === undefined || run.updatedAt < cutoff);
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
  const path = context.logPath(selected.runId);
  await unlink(path).catch(ignoreMissing).catch((error: unknown) => {
    throw storeIoError('delete', path, error);
  });
  return undefined;
}

/** Rewrites a finished run's log to its final records (see `finalRecords`), atomically. */
export async function compactRun(context: MaintenanceContext, runId: string): Promise<CompactResult> {
  return context.withRun(runId, async () => {
    // Read directly: the run's queue is held by this very operation.
    const parsed = await readLog(context.logPath(runId), runId);
    if (!parsed) throw new RunNotFoundError(runId);
    const records = parsed.records.map(unsealRecord);
    if (summarizeRun(records)?.status === 'running') {
      throw new CheckpointStoreError(`Cannot compact run '${runId}': it is still running (no run.finished record after its last start or resume)`);
    }
    const kept = finalRecords(records);
    if (kept.length < records.length || parsed.tornBytes > 0) {
      await replaceFile(context.logPath(runId), resealAll(kept), context.durable);
      if (context.durable) await context.syncDirectory();
    }
    return { runId, before: records.length, after: kept.length };
  });
}

/** Seals records again as a fresh chain with contiguous `seq`. */
function resealAll(records: readonly CheckpointRecord[]): string {
  let prev = GENESIS_HASH;
  let text = '';
  records.forEach((record, seq) => {
    const sealed = sealRecord({ ...record, seq }, prev);
    text += `${sealed.text}\n`;
    prev = sealed.hash;
  });
  return text;
}

/** Writes a sibling temporary file, makes it durable, and renames it over `path`: readers see the old or the new log, never a mix. */
export async function replaceFile(path: string, content: string, durable: boolean): Promise<void> {
  const temporary = join(dirname(path), `.${basename(path)}.${randomUUID()}.tmp`);
  try {
    const fd = await openAsync(temporary, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o644);
    try {
      const buffer = Buffer.from(content, 'utf8');
      for (let offset = 0; offset < buffer.length; ) offset += writeSync(fd, buffer, offset, buffer.length - offset);
      if (durable) await fdatasyncAsync(fd);
    } finally {
      await closeAsync(fd);
    }
    await rename(temporary, path);
  } catch (error) {
    await unlink(temporary).catch(() => undefined);
    throw storeIoError('rewrite', path, error);
  }
}
