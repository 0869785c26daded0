import { defineWorkflow } from '../workflow/define-workflow.js';
import { createSupervisor } from '../supervisor/supervisor.js';
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
  options: { step?: Omit<StepDefinition, 'run'>; supervisor?: SupervisorOptions; signal?: AbortSignal; timeoutMs?: number } = {},
): Promise<{ result: RunResult; events: SupervisorEvent[] }> {
  const supervisor = createSupervisor(options.supervisor);
  const events: SupervisorEvent[] = [];
  supervisor.on('*', (event) => events.push(event));
  const workflow = defineWorkflow({ name: `agent-${agent.id}`, version: '0', steps: { agent: { ...options.step, run: agent } } });
  const result = await supervisor.run(workflow, input, {
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
  });
  return { result, events };
}
