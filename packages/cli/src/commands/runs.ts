import { RunNotFoundError, type CheckpointRecord, type CheckpointStore, type RunSummary } from '@baton/core';
import { redactSecrets } from '../config/redact.js';
import { CliError } from '../errors.js';
import { ExitCode, type ExitCodeValue } from '../exit-codes.js';
import { formatTable, formatTimestamp, paletteFor } from '../display/format.js';
import { buildTimeline, formatTimeline } from '../inspect/timeline.js';
import { openProject, type GlobalOptions } from '../project.js';
import { parseCountFlag } from '../run/parse-flags.js';
import {
  inFlightSteps,
  judgeLiveness,
  LIVENESS_UNKNOWN,
  type RunLiveness,
  type ShownStatus,
} from '../inspect/run-status.js';
import { workflowForInspection, type InspectedWorkflow } from '../run/run-workflow.js';
import { describeIdentity } from '../config/workflow-registry.js';
import { recordedWorkflowFile } from '../run/workflow-file-meta.js';
import { formatWaits, pendingWaits } from '../inspect/pending-waits.js';

const STATUSES = ['running', 'succeeded', 'failed', 'cancelled', 'timed_out', 'suspended', 'interrupted'] as const;

/** A listed run with the status the CLI shows (`interrupted` when its owner is gone). */
export type ShownRunSummary = Omit<RunSummary, 'status'> &
  Omit<RunLiveness, 'status'> & {
    status: ShownStatus;
    /** For a suspended run: the keys it waits for. */
    waiting?: string[];
    /** For a suspended run: true when a wait's deadline passed (the next resume takes its `onTimeout`). */
    overdue?: boolean;
  };

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
    // `interrupted` is not a stored status: those runs are stored as running, and told apart by their owner.
    const stored = status === 'interrupted' ? 'running' : status;
    const listed = await project.store.listRuns({
      ...(stored ? { status: stored as RunSummary['status'] } : {}),
      ...(options.workflow ? { workflow: options.workflow } : {}),
    });
    const runs = (await Promise.all(listed.map((run) => withLiveness(project.store, run)))).filter(
      (run) => status === undefined || run.status === status,
    );
    runs.sort((a, b) => b.startedAt - a.startedAt);
    const shown = limit === undefined ? runs : runs.slice(0, limit);
    process.stdout.write(`${options.json ? JSON.stringify(shown, null, 2) : formatRuns(shown)}\n`);
    return ExitCode.ok;
  } finally {
    await project.close();
  }
}

async function withLiveness(
  store: Pick<CheckpointStore, 'ownerOf' | 'read'>,
  run: RunSummary,
): Promise<ShownRunSummary> {
  const shown: ShownRunSummary = { ...run, ...(await judgeLiveness(store, run.runId, run.status)) };
  if (run.status !== 'suspended') return shown;
  const waits = pendingWaits(await store.read(run.runId));
  shown.waiting = waits.map((wait) => wait.key);
  shown.overdue = waits.some((wait) => wait.overdue);
  shown.note = `waiting for ${shown.waiting.join(', ')}${shown.overdue ? ' (overdue)' : ''}`;
  return shown;
}

/** `interrupted`, or `running (liveness unknown)` when the store cannot tell. */
function statusCell(run: Pick<ShownRunSummary, 'status' | 'note' | 'overdue'>): string {
  if (run.status === 'suspended') return run.overdue ? 'suspended (overdue)' : 'suspended';
  return run.note?.startsWith(LIVENESS_UNKNOWN) ? `${run.status} (${LIVENESS_UNKNOWN})` : run.status;
}

/** The `runs list` table; a run whose liveness is unknown reads `running (liveness unknown)`. */
export function formatRuns(runs: readonly ShownRunSummary[]): string {
  if (runs.length === 0) return 'No runs.';
  const rows = runs.map((run) => [
    run.runId,
    `${run.workflow.name}@${run.workflow.version}`,
    statusCell(run),
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
    const liveness = await judgeLiveness(project.store, runId, statusOf(records));
    const inspected = await workflowForInspection(project, records);
    const inFlight =
      liveness.status === 'running' || liveness.status === 'interrupted'
        ? inspected.workflow && inFlightSteps(inspected.workflow, records)
        : [];
    const waits = liveness.status === 'suspended' ? pendingWaits(records) : [];
    const supervisorOptions = project.config.supervisor ?? {};
    const timeline = buildTimeline(records, {
      ...(supervisorOptions.classifiers ? { classifiers: supervisorOptions.classifiers } : {}),
      ...(supervisorOptions.unknownErrorKind ? { unknownKind: supervisorOptions.unknownErrorKind } : {}),
    });
    if (options.json) {
      // Records may quote a connection string (an input, an error); its password is never printed.
      process.stdout.write(
        `${redactSecrets(JSON.stringify({ runId, ...liveness, workflow: records.at(-1)!.workflow, workflowFile: recordedWorkflowFile(records, project.projectDir), workflowSource: inspected.source ?? null, workflowNote: inspected.note, inFlight: inFlight ?? null, waiting: waits, input: inputOf(records), timeline, records }, null, 2))}\n`,
      );
    } else {
      process.stdout.write(
        redactSecrets(
          `${formatHeader(runId, records, { liveness, inspected, inFlight })}\n${waits.length > 0 ? `${formatWaits(waits)}\n` : ''}\n${formatTimeline(timeline, paletteFor(process.stdout))}\n`,
        ),
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

/** What the header says beyond the records: liveness, the workflow found, the in-flight steps. */
interface HeaderFacts {
  liveness: RunLiveness;
  inspected: InspectedWorkflow;
  /** Undefined when they cannot be derived (no matching workflow); empty for a finished run. */
  inFlight: string[] | undefined;
}

/** The header of `runs show`: status (with its owner or why it is interrupted), workflow, in-flight steps. */
export function formatHeader(runId: string, records: readonly CheckpointRecord[], facts: HeaderFacts): string {
  const last = records.at(-1)!;
  const input = JSON.stringify(inputOf(records)) ?? '(none)';
  const { liveness, inspected, inFlight } = facts;
  const status = liveness.note
    ? `${liveness.status} (${liveness.note})`
    : liveness.owner
      ? `${liveness.status} (owner ${liveness.owner.description})`
      : liveness.status;
  const lines = [
    `Run:      ${runId}`,
    `Status:   ${status}`,
    `Workflow: ${describeIdentity(last.workflow)}  ${inspected.source ?? inspected.note ?? ''}`.trimEnd(),
  ];
  if (liveness.status === 'running' || liveness.status === 'interrupted') {
    const steps =
      inFlight === undefined
        ? 'unknown (no matching workflow definition to derive them from)'
        : inFlight.length > 0
          ? `${inFlight.join(', ')}  (ready and unfinished${liveness.status === 'interrupted' ? ' when it stopped' : ''})`
          : 'none';
    lines.push(`In flight: ${steps}`);
  }
  lines.push(
    `Started:  ${formatTimestamp(records[0]!.at)}   updated ${formatTimestamp(last.at)}   ${records.length} records`,
    `Input:    ${input.length > 200 ? `${input.slice(0, 197)}...` : input}`,
  );
  return lines.join('\n');
}
