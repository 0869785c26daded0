import type { Engine } from './engine.js';
import { planFloor, runFloor, validateFloor } from './floor.js';
import { lastStepId, stepsOf } from './shapes.js';

/** The hand-written minimal executor (see floor.ts). */
export const engine: Engine = {
  name: 'floor',
  prepare(shape) {
    const plan = planFloor(stepsOf(shape));
    const last = lastStepId(shape);
    return { run: async (input) => (await runFloor(plan, input))[last] };
  },
  validations(length) {
    const steps = stepsOf({ kind: 'chain', length });
    return [
      {
        label: 'floor: Kahn check (dup ids, unknown deps, cycles)',
        steps: length,
        op: () => {
          const errors = validateFloor(steps);
          if (errors.length > 0) throw new Error(errors.join('; '));
        },
      },
    ];
  },
};
