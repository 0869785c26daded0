import type { RunResult, SerializedError, Workflow } from '@baton/core';
import { ExitCode, type ExitCodeValue } from '../exit-codes.js';
import { formatDuration, type Palette } from '../display/format.js';

/** Exit code of a finished run. */
export function exitCodeOf(status: RunResult['status']): ExitCodeValue {
  return {
    succeeded: ExitCode.ok,
    failed: ExitCode.failed,
    cancelled: ExitCode.cancelled,
    timed_out: ExitCode.timedOut,
    suspended: ExitCode.suspended,
  }[status];
}

/** An error as printed: no stack (it is in the checkpoint when the error came from a step). */
function plainError(error: Error | SerializedError | undefined): SerializedError | undefined {
  if (!error) return undefined;
  const { name, message } = error;
  const code = (error as { code?: unknown }).code;
  const kind = (error as { kind?: unknown }).kind;
  return {
    name,
    message,
    ...(typeof code === 'string' ? { code } : {}),
    ...(typeof kind === 'string' ? { kind } : {}),
  };
}

/** The `--json` form of a result: what scripts read. */
export function resultToJson(result: RunResult): Record<string, unknown> {
  const steps = Object.fromEntries(
    Object.entries(result.steps).map(([id, step]) => [
      id,
      { ...step, ...(step.error ? { error: plainError(step.error) } : {}) },
    ]),
  );
  return {
    runId: result.runId,
    status: result.status,
    durationMs: result.durationMs,
    outputs: result.outputs,
    ...(result.failedStep ? { failedStep: result.failedStep } : {}),
    ...(result.error ? { error: plainError(result.error) } : {}),
    ...(result.waiting ? { waiting: result.waiting } : {}),
    steps,
  };
}

/** Steps no other step needs: their outputs are the workflow's final outputs. */
export function finalStepIds(workflow: Workflow): string[] {
  const needed = new Set(Object.values(workflow.steps).flatMap((step) => step.needs ?? []));
  return Object.keys(workflow.steps).filter((id) => !needed.has(id));
}

/** The human summary printed after a run: status, the final outputs, and what to do next. */
export function formatSummary(result: RunResult, workflow: Workflow, palette: Palette, resumeHint: string): string {
  const lines: string[] = [];
  const status = result.status.replace('_', ' ');
  const colour =
    result.status === 'succeeded' ? palette.green : result.status === 'failed' ? palette.red : palette.yellow;
  lines.push(`${colour(`Run ${result.runId} ${status}`)} in ${formatDuration(result.durationMs)}`);
  if (result.status === 'succeeded') {
    const finals = Object.fromEntries(
      finalStepIds(workflow)
        .filter((id) => id in result.outputs)
        .map((id) => [id, result.outputs[id]]),
    );
    lines.push(`Outputs: ${JSON.stringify(finals, null, 2)}`);
    // From another folder the store is not found by default: say how to reach it.
    if (resumeHint) lines.push(`Inspect: baton runs show ${result.runId}${resumeHint}`);
    return lines.join('\n');
  }
  if (result.status === 'suspended') {
    for (const wait of result.waiting ?? []) lines.push(`Waiting: ${wait.key} (step ${wait.stepId}): ${wait.prompt}`);
    lines.push(
      `Answer:  baton resume ${result.runId}${resumeHint} --answer ${result.waiting?.[0]?.key ?? 'key'}='<json>'`,
    );
    return lines.join('\n');
  }
  if (result.failedStep) lines.push(`Step: ${result.failedStep}`);
  if (result.error) lines.push(`Error: ${result.error.message}`);
  lines.push(
    `Inspect: baton runs show ${result.runId}${resumeHint}`,
    `Resume:  baton resume ${result.runId}${resumeHint}`,
  );
  return lines.join('\n');
}
