import { isAbsolute, relative, resolve } from 'node:path';
import type { CheckpointRecord, SupervisorPlugin } from '@baton/core';

/** Key of the run meta under which the CLI records which workflow file a run came from. */
export const WORKFLOW_FILE_META_KEY = 'baton.cli.workflowFile';

/**
 * A plugin that records the workflow file (relative to the project folder)
 * in the run's `run.started` / `run.resumed` record, so `baton resume <runId>`
 * finds the file again without being told.
 */
export function workflowFilePlugin(file: string, projectDir: string): SupervisorPlugin {
  const recorded = relative(projectDir, resolve(file)) || resolve(file);
  return { name: 'baton-cli', runMeta: () => ({ [WORKFLOW_FILE_META_KEY]: recorded }) };
}

/** The workflow file recorded for a run (absolute), from its latest start or resume record. */
export function recordedWorkflowFile(records: readonly CheckpointRecord[], projectDir: string): string | undefined {
  for (let index = records.length - 1; index >= 0; index--) {
    const record = records[index]!;
    if (record.type !== 'run.started' && record.type !== 'run.resumed') continue;
    const value = record.meta?.[WORKFLOW_FILE_META_KEY];
    if (typeof value === 'string') return isAbsolute(value) ? value : resolve(projectDir, value);
  }
  return undefined;
}
