import { BatonError, CheckpointConflictError, CheckpointCorruptedError, type RunSummary } from '@baton/core';
import { getObject, listAll, mapLimit, type StoreContext } from './context.js';
import { openDetached, statusOf } from './records.js';

const SKIPPABLE = new Set(['BATON_CHECKPOINT_CORRUPTED', 'BATON_CHECKPOINT_CONFLICT']);

interface RunKeys {
  runId: string;
  keys: string[];
}

/**
 * Summarizes every run from one listing plus two reads per run (its first and
 * last record), instead of reading whole logs. The status comes from the last
 * record: a run is finished exactly when its last record is `run.finished`.
 */
export async function summarizeRuns(context: StoreContext): Promise<RunSummary[]> {
  const runs = groupByRun(context, await listAll(context, context.keys.runsPrefix()));
  const summaries = await mapLimit(runs, context.readConcurrency, (run) => summarizeOrWarn(context, run));
  return summaries.filter((summary): summary is RunSummary => summary !== undefined);
}

/** Ids of every run that has at least one record, in key order. */
export async function listRunIds(context: StoreContext): Promise<string[]> {
  return groupByRun(context, await listAll(context, context.keys.runsPrefix())).map((run) => run.runId);
}

function groupByRun(context: StoreContext, keys: readonly string[]): RunKeys[] {
  const runs = new Map<string, string[]>();
  for (const key of keys) {
    const parsed = context.keys.parseRecordKey(key);
    if (!parsed) continue; // leases and anything else that is not a record
    let list = runs.get(parsed.runId);
    if (!list) runs.set(parsed.runId, (list = []));
    list.push(key);
  }
  return [...runs].map(([runId, runKeys]) => ({ runId, keys: runKeys }));
}

async function summarizeOrWarn(context: StoreContext, run: RunKeys): Promise<RunSummary | undefined> {
  try {
    return await summarizeRun(context, run);
  } catch (error) {
    // One damaged (or concurrently deleted) run must not hide all the others from `listRuns`; `read` still throws for it.
    const skippable = BatonError.isInstance(error) && SKIPPABLE.has(error.code);
    if (!skippable) throw error;
    context.warn({
      code: 'run_unreadable',
      message: `listRuns skipped run '${run.runId}': ${(error as Error).message}`,
      runId: run.runId,
    });
    return undefined;
  }
}

async function summarizeRun(context: StoreContext, { runId, keys }: RunKeys): Promise<RunSummary | undefined> {
  const firstKey = keys[0]!;
  const lastKey = keys[keys.length - 1]!;
  const lastSeq = context.keys.parseRecordKey(lastKey)!.seq;
  if (lastSeq !== keys.length - 1) {
    throw new CheckpointCorruptedError(
      `s3://${context.bucket}/${context.keys.recordsPrefix(runId)}`,
      `${keys.length} records but the last is seq ${lastSeq}`,
    );
  }
  const open = async (key: string, seq: number) => {
    const object = await getObject(context, key);
    if (!object)
      throw new CheckpointConflictError(runId, `record ${key} disappeared while listing (run deleted concurrently?)`);
    return openDetached(context, runId, key, object.body, seq);
  };
  const [first, last] =
    lastSeq === 0 ? [await open(firstKey, 0)] : await Promise.all([open(firstKey, 0), open(lastKey, lastSeq)]);
  const end = last ?? first;
  return {
    runId,
    workflow: end!.workflow,
    status: statusOf(end!),
    startedAt: first!.at,
    updatedAt: end!.at,
    records: keys.length,
  };
}
