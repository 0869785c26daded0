import {
  createSupervisor,
  defineWorkflow,
  MemoryCheckpointStore,
  validateWorkflow,
  type StepDefinition,
  type Supervisor,
  type Workflow,
} from '@baton/core';
import type { Engine, Runner } from './engine.js';
import { lastStepId, stepsOf, type Shape, type StepSpec } from './shapes.js';

/** A workflow definition (not yet validated) for Baton. */
function definition(
  name: string,
  steps: readonly StepSpec[],
): { name: string; version: string; steps: Record<string, StepDefinition> } {
  const record: Record<string, StepDefinition> = {};
  for (const step of steps)
    record[step.id] = step.needs.length > 0 ? { run: step.run, needs: step.needs } : { run: step.run };
  return { name, version: '1.0.0', steps: record };
}

/**
 * A supervisor as users run it with observability on: in-memory checkpoints
 * and one `*` listener (so every event is built and delivered).
 */
function supervisorWithEvents(): { supervisor: Supervisor; events: () => number } {
  const supervisor = createSupervisor({ store: new MemoryCheckpointStore() });
  let count = 0;
  supervisor.on('*', () => {
    count++;
  });
  return { supervisor, events: () => count };
}

/** Runs `workflow` (built from `shape`) on a fresh supervisor with events on; checks every result. */
export function batonRunner(workflow: Workflow, shape: Shape): Runner {
  const last = lastStepId(shape);
  let current = supervisorWithEvents();
  return {
    async run(input) {
      const result = await current.supervisor.run(workflow, input);
      if (result.status !== 'succeeded') throw result.error ?? new Error(`run ${result.runId} ended ${result.status}`);
      // Guards the "events on" claim: a run that delivered no event would measure something else.
      if (current.events() === 0) throw new Error('baton: the * listener received no event');
      return (result.outputs as Record<string, unknown>)[last];
    },
    fresh() {
      // The memory store keeps every run; start each sample from an empty one.
      current = supervisorWithEvents();
    },
  };
}

/** Baton core with defaults, a `MemoryCheckpointStore` and events on. */
export const engine: Engine = {
  name: 'baton',
  prepare(shape: Shape): Runner {
    return batonRunner(defineWorkflow(definition(`bench-${shape.kind}`, stepsOf(shape))), shape);
  },
  validations(length) {
    const chain = definition('bench-validate', stepsOf({ kind: 'chain', length }));
    return [
      {
        label: 'baton: validateWorkflow()',
        steps: length,
        op: () => {
          const result = validateWorkflow(chain);
          if (!result.ok) throw new Error(JSON.stringify(result.errors.slice(0, 3)));
        },
      },
      {
        label: 'baton: defineWorkflow() (validate + hash + freeze)',
        steps: length,
        op: () => defineWorkflow(chain).hash,
      },
    ];
  },
};
