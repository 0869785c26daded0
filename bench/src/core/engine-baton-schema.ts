import { defineWorkflow, type StepDefinition } from '@baton/core';
import { z } from 'zod';
import { batonRunner } from './engine-baton.js';
import type { Engine, Runner } from './engine.js';
import { stepsOf, type Shape } from './shapes.js';

/** Every step output is a number: one zod 4 schema, shared by all steps. */
const output = z.number();

/**
 * Baton exactly as the `baton` engine, plus an `output` schema on every step (checked before the output is
 * checkpointed). The difference between the two is what a schema costs per step.
 */
export const engine: Engine = {
  name: 'baton+schema',
  prepare(shape: Shape): Runner {
    const steps: Record<string, StepDefinition> = {};
    for (const step of stepsOf(shape))
      steps[step.id] = step.needs.length > 0 ? { run: step.run, needs: step.needs, output } : { run: step.run, output };
    const workflow = defineWorkflow({ name: `bench-schema-${shape.kind}`, version: '1.0.0', steps });
    return batonRunner(workflow, shape);
  },
};
