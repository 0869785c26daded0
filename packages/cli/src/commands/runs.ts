import { RunNotFoundError, type CheckpointRecord, type RunSummary } from '@baton/core';
import { CliError } from '../errors.js';
import { ExitCode, type ExitCodeValue } from '../exit-codes.js';
import { formatTable, formatTimestamp, paletteFor } from '../display/format.js';
import { buildTimeline, formatTimeline } from '../inspect/timeline.js';
import { openProject, type GlobalOptions } from '../project.js';
import { parseCountFlag } from '../run/parse-flags.js';
import { recordedWorkflowFile } from '../run/workflow-file-meta.js';

const STATUSES = ['running', 'succeeded', 'failed', 'cancelled', 'timed_out'] as const;

/** Flags of `baton runs list`. */
export interface RunsListOptions extends GlobalOptions {
  status?: string;
  workflow?: string;
  limit?: string;
  json?: boolean;
}

/** `baton runs list`: the store's runs, newest first. */
export async function runsListCommand(options: RunsListOptions): Promise<ExitCodeValue> {
  const status = options.status;
  if (status !== undefined && !(STATUSES as readonly string[]).includes(status)) {
    throw new CliError(`--status ${JSON.stringify(status)} is not one of ${STATUSES.join(', ')}`);
  }
  const limit = parseCountFlag('--limit', options.limit);
  const project = await openProject(options, process.cwd());
  try {
    const runs = await project.store.listRuns({
      ...(status ? { status: status as RunSummary['status'] } : {}),
      ...(options.workflow ? { workflow: options.workflow } : {}),
    });
    runs.sort((a, b) => b.startedAt - a.startedAt);
    const shown = limit === undefined ? runs : runs.slice(0, limit);
    process.stdout.write(`${options.json ? JSON.stringify(shown, null, 2) : formatRuns(shown)}\n`);
    return ExitCode.ok;
  } finally {
    await project.close();
  }
}

function formatRuns(runs: readonly RunSummary[]): string {
  if (runs.length === 0) return 'No runs.';
  const rows = runs.map((run) => [
    run.runId,
    `${run.workflow.name}@${run.workflow.version}`,
    run.status,
    formatTimestamp(run.startedAt),
    formatTimestamp(run.updatedAt),
    String(run.records),
  ]);
  return formatTable(['RUN', 'WORKFLOW', 'STATUS', 'STARTED', 'UPDATED', 'RECORDS'], rows);
}

/** `baton runs show <runId>`: the run's header and a timeline of its records. */
export async function runsShowCommand(
  runId: string,
  options: GlobalOptions & { json?: boolean },
): Promise<ExitCodeValue> {
  const project = await openProject(options, process.cwd());
  try {
    const records = await project.store.read(runId);
    if (records.length === 0) throw new RunNotFoundError(runId);
    const file = recordedWorkflowFile(records, project.projectDir);
    const supervisorOptions = project.config.supervisor ?? {};
    const timeline = buildTimeline(records, {
      ...(supervisorOptions.classifiers ? { classifiers: supervisorOptions.classifiers } : {}),
      ...(supervisorOptions.unknownErrorKind ? { unknownKind: supervisorOptions.unknownErrorKind } : {}),
    });
    if (options.json) {
      process.stdout.write(
        `${JSON.stringify({ runId, status: statusOf(records), workflow: records.at(-1)!.workflow, workflowFile: file, input: inputOf(records), timeline, records }, null, 2)}\n`,
      );
    } else {
      process.stdout.write(
        `${formatHeader(runId, records, file)}\n\n${formatTimeline(timeline, paletteFor(process.stdout))}\n`,
      );
    }
    return ExitCode.ok;
  } finally {
    await project.close();
  }
}

/** `running` unless the last start or resume was followed by `run.finished` (the stores' rule too). */
function statusOf(records: readonly CheckpointRecord[]): RunSummary['status'] {
  let status: RunSummary['status'] = 'running';
  for (const record of records) {
    if (record.type === 'run.finished') status = record.status;
    else if (record.type === 'run.resumed') status = 'running';
  }
  return status;
}

function inputOf(records: readonly CheckpointRecord[]): unknown {
  const start = records[0];
  return start?.type === 'run.started' ? start.input : undefined;
}

function formatHeader(runId: string, records: readonly CheckpointRecord[], file: string | undefined): string {
  const last = records.at(-1)!;
  const input = JSON.stringify(inputOf(records)) ?? '(none)';
  return [
    `Run:      ${runId}`,
    `Status:   ${statusOf(records)}`,
    `Workflow: ${last.workflow.name}@${last.workflow.version} (hash ${last.workflow.hash.slice(0, 12)})${file ? `  file ${file}` : ''}`,
    `Started:  ${formatTimestamp(records[0]!.at)}   updated ${formatTimestamp(last.at)}   ${records.length} records`,
    `Input:    ${input.length > 200 ? `${input.slice(0, 197)}...` : input}`,
  ].join('\n');
}
