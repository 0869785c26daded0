import { BatonError, parsePruneOptions, type PruneOptions, type RunSummary } from '@baton/core';
import { getObject, listAll, locationOf, type StoreContext } from './context.js';
import { readChain } from './records.js';
import { listRunIds } from './summaries.js';

/** Result of `S3CheckpointStore.prune`. */
export interface PruneResult {
  /** Runs whose objects were deleted. */
  deleted: string[];
  /** Candidates left in place, with why (a live lease, or the run changed while pruning). */
  skipped: { runId: string; reason: string }[];
}

/** The verification of one run. */
export interface RunVerification {
  runId: string;
  /** `s3://bucket/prefix/runs/<runId>/`. */
  location: string;
  ok: boolean;
  /** Records verified (0 when verification failed). */
  records: number;
  /** Why the run failed verification, usually a `CheckpointCorruptedError` naming the object. */
  error?: BatonError;
}

/** Result of `S3CheckpointStore.verify`. */
export interface VerifyReport {
  ok: boolean;
  runs: RunVerification[];
}

/** What maintenance needs besides the context. */
export interface MaintenanceHooks {
  listRuns(): Promise<RunSummary[]>;
  deleteRun(runId: string): Promise<void>;
}

/** Deletes the runs `options` select, skipping leased runs and runs that changed since listing. */
export async function pruneRuns(
  context: StoreContext,
  hooks: MaintenanceHooks,
  options: PruneOptions,
): Promise<PruneResult> {
  // Strict, unlike the fs store's: this store has always rejected unknown option keys.
  const parsed = parsePruneOptions(options, { strict: true });
  const { olderThan } = parsed;
  const cutoff =
    olderThan === undefined ? undefined : olderThan instanceof Date ? olderThan.getTime() : context.now() - olderThan;
  const statuses = new Set<RunSummary['status']>(parsed.status);
  const matching = (await hooks.listRuns()).filter((run) => statuses.has(run.status));
  matching.sort((a, b) => b.updatedAt - a.updatedAt || (a.runId < b.runId ? -1 : 1));
  const candidates = matching
    .slice(parsed.keepLast ?? 0)
    .filter((run) => cutoff === undefined || run.updatedAt < cutoff);
  const result: PruneResult = { deleted: [], skipped: [] };
  for (const candidate of candidates) {
    const reason = await reasonToKeep(context, candidate);
    if (reason) result.skipped.push({ runId: candidate.runId, reason });
    else {
      await hooks.deleteRun(candidate.runId);
      result.deleted.push(candidate.runId);
    }
  }
  return result;
}

async function reasonToKeep(context: StoreContext, candidate: RunSummary): Promise<string | undefined> {
  const lease = await getObject(context, context.keys.leaseKey(candidate.runId));
  if (lease) {
    try {
      const held = JSON.parse(lease.body) as { owner?: unknown; expiresAt?: unknown; released?: unknown };
      if (held.released !== true && typeof held.expiresAt === 'number' && held.expiresAt > context.now())
        return `leased by '${String(held.owner)}'`;
    } catch {
      // An unreadable lease protects nothing.
    }
  }
  const records = (await listAll(context, context.keys.recordsPrefix(candidate.runId))).length;
  return records === candidate.records ? undefined : 'changed while pruning';
}

/** Verifies the whole chain of one run, or of every run when `runId` is undefined. */
export async function verifyRuns(context: StoreContext, runId?: string): Promise<VerifyReport> {
  const runIds = runId === undefined ? await listRunIds(context) : [runId];
  const runs: RunVerification[] = [];
  for (const id of runIds) {
    const location = locationOf(context, context.keys.runPrefix(id));
    try {
      runs.push({ runId: id, location, ok: true, records: (await readChain(context, id)).length });
    } catch (error) {
      if (!BatonError.isInstance(error) || error.code === 'BATON_CHECKPOINT_STORE') throw error;
      runs.push({ runId: id, location, ok: false, records: 0, error });
    }
  }
  return { ok: runs.every((run) => run.ok), runs };
}
