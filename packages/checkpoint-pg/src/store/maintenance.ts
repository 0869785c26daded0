import { BatonError, parsePruneOptions, type PruneOptions, type RunSummary, type WorkflowIdentity } from '@baton/core';
import { recordLocation, type StoreContext } from './context.js';
import { readChain } from './records.js';

/** Result of `PostgresCheckpointStore.prune`. */
export interface PruneResult {
  /** Runs whose rows were deleted. */
  deleted: string[];
  /** Candidates left in place, with why (a live lease, or the run changed while pruning). */
  skipped: { runId: string; reason: string }[];
}

/** The verification of one run. */
export interface RunVerification {
  runId: string;
  /** `postgres:"<schema>".records(run_id='<runId>')`. */
  location: string;
  ok: boolean;
  /** Records verified (0 when verification failed). */
  records: number;
  /** Why the run failed verification, usually a `CheckpointCorruptedError` naming the row. */
  error?: BatonError;
}

/** Result of `PostgresCheckpointStore.verify`. */
export interface VerifyReport {
  ok: boolean;
  runs: RunVerification[];
}

interface SummaryRow {
  run_id: string;
  records: string;
  started_at: number | null;
  updated_at: number;
  workflow: string;
  mark_type: string | null;
  mark_status: string | null;
}

/**
 * Summaries of every run, in one query over the extracted columns (no record body is read):
 * status from the run's last start/resume/finish record, as `summarizeRun` computes it.
 */
export async function summarizeRuns(context: StoreContext): Promise<RunSummary[]> {
  const { rows } = await context.caller.call('list runs', () => context.pool.query<SummaryRow>(context.sql.summaries));
  return rows.map((row) => ({
    runId: row.run_id,
    workflow: JSON.parse(row.workflow) as WorkflowIdentity,
    status: row.mark_type === 'run.finished' ? (row.mark_status as RunSummary['status']) : 'running',
    startedAt: Number(row.started_at ?? row.updated_at),
    updatedAt: Number(row.updated_at),
    records: Number(row.records),
  }));
}

/** Deletes the runs `options` select, skipping leased runs and runs that changed since listing. */
export async function pruneRuns(
  context: StoreContext,
  listRuns: () => Promise<RunSummary[]>,
  options: PruneOptions,
  now: () => number,
): Promise<PruneResult> {
  const parsed = parsePruneOptions(options, { strict: true });
  const { olderThan } = parsed;
  const cutoff =
    olderThan === undefined ? undefined : olderThan instanceof Date ? olderThan.getTime() : now() - olderThan;
  const statuses = new Set<RunSummary['status']>(parsed.status);
  const matching = (await listRuns()).filter((run) => statuses.has(run.status));
  matching.sort((a, b) => b.updatedAt - a.updatedAt || (a.runId < b.runId ? -1 : 1));
  const candidates = matching
    .slice(parsed.keepLast ?? 0)
    .filter((run) => cutoff === undefined || run.updatedAt < cutoff);
  const result: PruneResult = { deleted: [], skipped: [] };
  for (const candidate of candidates) {
    const { rows } = await context.caller.call('prune', () =>
      context.pool.query<{ owner: string | null; deleted: string }>(context.sql.pruneRun, [
        candidate.runId,
        candidate.records,
      ]),
    );
    const row = rows[0]!;
    if (row.owner !== null) result.skipped.push({ runId: candidate.runId, reason: `leased by '${row.owner}'` });
    else if (Number(row.deleted) === 0)
      result.skipped.push({ runId: candidate.runId, reason: 'changed while pruning' });
    else result.deleted.push(candidate.runId);
  }
  return result;
}

/** Verifies the whole chain of one run, or of every run when `runId` is undefined. */
export async function verifyRuns(context: StoreContext, runId?: string): Promise<VerifyReport> {
  const runIds =
    runId === undefined
      ? (
          await context.caller.call('list run ids', () => context.pool.query<{ run_id: string }>(context.sql.runIds))
        ).rows.map((row) => row.run_id)
      : [runId];
  const runs: RunVerification[] = [];
  for (const id of runIds) {
    const location = recordLocation(context, id);
    try {
      runs.push({ runId: id, location, ok: true, records: (await readChain(context, id)).length });
    } catch (error) {
      if (!BatonError.isInstance(error) || error.code !== 'BATON_CHECKPOINT_CORRUPTED') throw error;
      runs.push({ runId: id, location, ok: false, records: 0, error });
    }
  }
  return { ok: runs.every((run) => run.ok), runs };
}
