import { defineWorkflow } from '../workflow/define-workflow.js';
import { createSupervisor, type Supervisor } from '../supervisor/supervisor.js';
import type { RunResult, SupervisorOptions } from '../supervisor/types.js';
import type { SupervisorEvent } from '../events/types.js';
import type { Agent, StepDefinition } from '../workflow/types.js';

/**
 * Runs one agent as a single-step workflow under a fresh supervisor and
 * collects every event: the quickest way to test a custom adapter.
 */
export async function runAgentOnce(
  agent: Agent,
  input: unknown,
  options: {
    step?: Omit<StepDefinition, 'run'>;
    /** A supervisor to use, or options for a fresh one. */
    supervisor?: Supervisor | SupervisorOptions;
    signal?: AbortSignal;
    timeoutMs?: number;
    /** Called with each event as it happens (e.g. to abort on the third token). */
    onEvent?: (event: SupervisorEvent) => void;
  } = {},
): Promise<{ result: RunResult; events: SupervisorEvent[] }> {
  const supervisor = isSupervisor(options.supervisor) ? options.supervisor : createSupervisor(options.supervisor);
  const events: SupervisorEvent[] = [];
  const off = supervisor.on('*', (event) => {
    events.push(event);
    options.onEvent?.(event);
  });
  const workflow = defineWorkflow({
    name: `agent-${agent.id}`,
    version: '0',
    steps: { agent: { ...options.step, run: agent } },
  });
  try {
    const result = await supervisor.run(workflow, input, {
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
    });
    return { result, events };
  } finally {
    off();
  }
}

function isSupervisor(value: unknown): value is Supervisor {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Supervisor).run === 'function' &&
    typeof (value as Supervisor).on === 'function'
  );
}
