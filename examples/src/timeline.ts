import type { AgentProgress, SupervisorEvent } from '@baton/core';

/** Formats supervisor events as a readable timeline line, relative to `start`. */
export function timelineLine(event: SupervisorEvent, start: number): string | undefined {
  const t = `+${String(event.at - start).padStart(4)}ms`;
  switch (event.type) {
    case 'run.started':
      return `${t}  run ${event.runId} started (${event.stepCount} steps)`;
    case 'step.started':
      return `${t}  ▶ ${event.stepId} attempt ${event.attempt}${event.agentId ? ` [${event.agentId}]` : ''}`;
    case 'step.retrying':
      return `${t}  ↻ ${event.stepId} failed (${event.classification.kind}: ${event.error.message}); retry in ${event.delayMs}ms`;
    case 'step.fallback':
      return `${t}  ⤷ ${event.stepId}: breaker '${event.from}' open, using fallback '${event.to}'`;
    case 'step.succeeded':
      return `${t}  ✔ ${event.stepId} after ${event.attempt} attempt(s), ${event.durationMs}ms`;
    case 'step.failed':
      return `${t}  ✘ ${event.stepId} ${event.status}: ${event.error.message}`;
    case 'step.skipped':
      return `${t}  ⏭ ${event.stepId} skipped (${event.reason})`;
    case 'breaker.opened':
      return `${t}  ⚡ breaker '${event.key}' opened: ${event.reason}`;
    case 'breaker.closed':
      return `${t}  ⚡ breaker '${event.key}' closed`;
    case 'step.progress':
      return progressLine(t, event.stepId, event.data as AgentProgress);
    case 'step.usage':
      return `${t}  Σ ${event.stepId} used ${event.usage.totalTokens ?? '?'} tokens${event.usage.model ? ` (${event.usage.model})` : ''}`;
    case 'run.completed':
      return `${t}  run ${event.status} in ${event.durationMs}ms`;
    default:
      return undefined;
  }
}

/** Tool calls and results of agent steps; streamed tokens are left out (one line each would drown the rest). */
function progressLine(t: string, stepId: string, progress: AgentProgress): string | undefined {
  switch (progress?.type) {
    case 'tool-call':
      return `${t}  🔧 ${stepId} calls ${progress.toolName}(${clip(JSON.stringify(progress.input))})`;
    case 'tool-result':
      return `${t}  ↩ ${stepId} ${progress.toolName} returned ${clip(JSON.stringify(progress.output))}`;
    case 'tool-error':
      return `${t}  ✘ ${stepId} ${progress.toolName} threw: ${clip(progress.message)}`;
    default:
      return undefined;
  }
}

function clip(text: string | undefined, max = 80): string {
  if (text === undefined) return '';
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
