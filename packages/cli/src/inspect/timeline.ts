import { classifyError, type CheckpointRecord, type ClassifyOptions, type SerializedError } from '@baton/core';
import { formatDuration, formatTable, type Palette } from '../display/format.js';

/** One row of `baton runs show`: a checkpoint record in plain words. */
export interface TimelineEntry {
  seq: number;
  /** ms since the run started. */
  offsetMs: number;
  event: string;
  stepId?: string;
  status?: string;
  attempts?: number;
  durationMs?: number;
  /** `Name: message` of the error, if any. */
  error?: string;
  /** The error's classification (`retryable`, `fatal`, `timeout`, ...). */
  classification?: string;
  /** True when the record held no classification and it was derived now from the stored error. */
  classificationDerived?: boolean;
}

/**
 * The classification of a stored error: the one recorded with it (Baton errors
 * carry their `kind`), else what `classifyError` says now about its name and
 * code, with the project's classifiers (an agent's own classifier is not available here).
 */
export function classifyStored(
  error: SerializedError,
  options: ClassifyOptions = {},
): { kind: string; derived: boolean } {
  if (error.kind) return { kind: error.kind, derived: false };
  const rebuilt = Object.assign(new Error(error.message), {
    name: error.name,
    ...(error.code ? { code: error.code } : {}),
  });
  return { kind: classifyError(rebuilt, options).kind, derived: true };
}

/** The run's records as a timeline, in seq order. */
export function buildTimeline(records: readonly CheckpointRecord[], classify: ClassifyOptions = {}): TimelineEntry[] {
  const startedAt = records[0]?.at ?? 0;
  return records.map((record) => {
    const entry: TimelineEntry = { seq: record.seq, offsetMs: record.at - startedAt, event: record.type };
    if (record.type === 'step') {
      Object.assign(entry, {
        stepId: record.stepId,
        status: record.status,
        attempts: record.attempt,
        durationMs: record.durationMs,
      });
    }
    if (record.type === 'run.finished') entry.status = record.status;
    if (record.type === 'wait.started') Object.assign(entry, { stepId: record.stepId, status: `waits: ${record.key}` });
    if (record.type === 'input.received') entry.status = `answer: ${record.key}${record.by ? ` by ${record.by}` : ''}`;
    if ((record.type === 'step' || record.type === 'run.finished') && record.error) {
      entry.error = `${record.error.name}: ${record.error.message.split('\n')[0]}${record.error.code ? ` (${record.error.code})` : ''}`;
      const { kind, derived } = classifyStored(record.error, classify);
      entry.classification = kind;
      if (derived) entry.classificationDerived = true;
    }
    return entry;
  });
}

/** Renders the timeline as a table. */
export function formatTimeline(entries: readonly TimelineEntry[], palette: Palette): string {
  const colour = (status: string | undefined) => {
    if (!status) return '';
    if (status === 'succeeded') return palette.green(status);
    if (status === 'failed' || status === 'timed_out') return palette.red(status);
    return palette.yellow(status);
  };
  const rows = entries.map((entry) => [
    `+${formatDuration(entry.offsetMs)}`,
    entry.event,
    entry.stepId ?? '',
    entry.status ?? '',
    entry.attempts === undefined ? '' : String(entry.attempts),
    entry.durationMs === undefined ? '' : formatDuration(entry.durationMs),
    entry.classification ? `${entry.classification}${entry.classificationDerived ? '*' : ''}` : '',
    entry.error ?? '',
  ]);
  // Pad before colouring: escape codes would throw the column widths off.
  const table = formatTable(['TIME', 'RECORD', 'STEP', 'STATUS', 'ATTEMPTS', 'DURATION', 'CLASS', 'ERROR'], rows).split(
    '\n',
  );
  const lines = table.map((line, index) =>
    index === 0 ? palette.dim(line) : colourStatus(line, entries[index - 1]?.status, colour),
  );
  if (entries.some((entry) => entry.classificationDerived))
    lines.push(palette.dim('* not recorded with the error; classified now from its name and code'));
  return lines.join('\n');
}

function colourStatus(
  line: string,
  status: string | undefined,
  colour: (status: string | undefined) => string,
): string {
  if (!status) return line;
  const at = line.indexOf(` ${status} `) >= 0 ? line.indexOf(` ${status} `) + 1 : line.lastIndexOf(status);
  return at < 0 ? line : `${line.slice(0, at)}${colour(status)}${line.slice(at + status.length)}`;
}
