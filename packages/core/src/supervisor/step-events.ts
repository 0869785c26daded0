import type { Agent } from '../workflow/types.js';
import type { PlannedStep } from './compile-plan.js';
import type { RunHost } from './run-host.js';

type StepEventFields = { type: string } & Record<string, unknown>;

/**
 * The fields every step event starts with, in the order events have always had them
 * (listeners and stores may serialize events, so the key order is kept stable).
 */
function stepEventBase(
  host: RunHost,
  step: PlannedStep,
  agent: Agent | undefined,
  at: number,
): Record<string, unknown> {
  const event: Record<string, unknown> = { runId: host.runId, workflow: host.workflow, at, stepId: step.id };
  if (agent) {
    event.agentId = agent.id;
    if (agent.name) event.agentName = agent.name;
    if (agent.provider) event.provider = agent.provider;
    if (agent.remote) event.remote = true;
  }
  return event;
}

/** Emits a step event (only built when someone listens). */
export function emitStep(host: RunHost, step: PlannedStep, agent: Agent | undefined, fields: StepEventFields): void {
  const events = host.services.events;
  if (!events.has(fields.type as never)) return;
  events.emit(Object.assign(stepEventBase(host, step, agent, Date.now()), fields) as never);
}

// step.started and step.succeeded happen for every step of every run. For steps
// without an agent they are one object literal: no intermediate `fields` object,
// and no properties added later (which would allocate a second, out-of-object store).

/** Emits `step.started` for `attempt`, at `at` (epoch ms). */
export function emitStepStarted(
  host: RunHost,
  step: PlannedStep,
  agent: Agent | undefined,
  attempt: number,
  at: number,
): void {
  const events = host.services.events;
  if (!events.has('step.started')) return;
  events.emit(
    (agent
      ? Object.assign(stepEventBase(host, step, agent, at), { type: 'step.started', attempt })
      : { runId: host.runId, workflow: host.workflow, at, stepId: step.id, type: 'step.started', attempt }) as never,
  );
}

/** Emits `step.succeeded` after `attempt`, at `at` (epoch ms). */
export function emitStepSucceeded(
  host: RunHost,
  step: PlannedStep,
  agent: Agent | undefined,
  attempt: number,
  durationMs: number,
  at: number,
): void {
  const events = host.services.events;
  if (!events.has('step.succeeded')) return;
  events.emit(
    (agent
      ? Object.assign(stepEventBase(host, step, agent, at), { type: 'step.succeeded', attempt, durationMs })
      : {
          runId: host.runId,
          workflow: host.workflow,
          at,
          stepId: step.id,
          type: 'step.succeeded',
          attempt,
          durationMs,
        }) as never,
  );
}
