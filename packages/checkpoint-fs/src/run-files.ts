import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { assertValidRunId, CHECKPOINT_FORMAT_VERSION, CheckpointStoreError, type CheckpointRecord } from '@baton/core';
import { storeIoError } from './fs-util.js';

const LOG_SUFFIX = '.jsonl';
const ANCHOR_SUFFIX = '.anchor';

/** The log file of a run (the run id was validated, so it cannot leave `runsDir`). */
export function logPath(runsDir: string, runId: string): string {
  return join(runsDir, `${runId}${LOG_SUFFIX}`);
}

/**
 * Ids of the runs with a log or an anchor in `runsDir`, sorted (an anchor
 * without its log is a deleted log, reported when read); stray files and
 * invalid names are ignored.
 */
export async function listRunIds(runsDir: string): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(runsDir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw storeIoError('list', runsDir, error);
  }
  const runIds = new Set<string>();
  for (const name of names) {
    const suffix = [LOG_SUFFIX, ANCHOR_SUFFIX].find((ending) => name.endsWith(ending) && !name.startsWith('.'));
    if (suffix !== undefined) runIds.add(name.slice(0, -suffix.length));
  }
  return [...runIds].filter(isValidRunId).sort();
}

/** Throws unless `record` can be appended: an object with a valid run id and this format version. */
export function assertAppendable(record: CheckpointRecord): void {
  if (typeof record !== 'object' || record === null)
    throw new CheckpointStoreError(`Cannot append ${JSON.stringify(record)}: not a checkpoint record`);
  assertValidRunId(record.runId);
  if (record.v !== CHECKPOINT_FORMAT_VERSION) {
    throw new CheckpointStoreError(
      `Cannot append a record of format version ${JSON.stringify(record.v)} to run '${record.runId}' (this store writes v${CHECKPOINT_FORMAT_VERSION})`,
    );
  }
}

function isValidRunId(runId: string): boolean {
  try {
    assertValidRunId(runId);
    return true;
  } catch {
    return false;
  }
}
