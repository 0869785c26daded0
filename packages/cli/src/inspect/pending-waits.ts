import type { CheckpointRecord, WaitStartedRecord } from '@baton/core';
import { formatTimestamp } from '../display/format.js';

/** A wait the run's records leave open: opened (`wait.started`) and not answered (`input.received`). */
export interface ShownWait {
  stepId: string;
  key: string;
  prompt: string;
  /** The answer's JSON Schema, when the wait recorded one. */
  schema?: Record<string, unknown>;
  deadline?: number;
  /** True when the deadline passed: the next resume takes the wait's `onTimeout`. */
  overdue: boolean;
}

/** The open waits of a run, in the order they opened. */
export function pendingWaits(records: readonly CheckpointRecord[], now: number = Date.now()): ShownWait[] {
  const opened = new Map<string, WaitStartedRecord>();
  const answered = new Set<string>();
  for (const record of records) {
    if (record.type === 'wait.started' && !opened.has(record.key)) opened.set(record.key, record);
    else if (record.type === 'input.received') answered.add(record.key);
  }
  return [...opened.values()]
    .filter((record) => !answered.has(record.key))
    .map((record) => ({
      stepId: record.stepId,
      key: record.key,
      prompt: record.prompt,
      ...(record.schema ? { schema: record.schema } : {}),
      ...(record.deadline === undefined ? {} : { deadline: record.deadline }),
      overdue: record.deadline !== undefined && now >= record.deadline,
    }));
}

/** The `Waiting for:` block of `baton runs show`. */
export function formatWaits(waits: readonly ShownWait[]): string {
  const lines = ['Waiting for:'];
  for (const wait of waits) {
    const due =
      wait.deadline === undefined ? '' : `  due ${formatTimestamp(wait.deadline)}${wait.overdue ? ' (overdue)' : ''}`;
    lines.push(`  ${wait.key} (step ${wait.stepId}): ${wait.prompt}${due}`);
    lines.push(`    schema: ${wait.schema ? JSON.stringify(wait.schema) : '(none recorded: any JSON)'}`);
  }
  return lines.join('\n');
}
