/**
 * The graphs every engine runs. Steps are trivial async functions, so what
 * gets measured is the engine's own cost per step.
 */

/** A chain `s0 -> s1 -> ... -> s(length-1)`, or a fan-out `root -> m0..m(width-1) -> join`. */
export type Shape = { kind: 'chain'; length: number } | { kind: 'fanout'; width: number };

/** An engine-neutral step: what Baton and the floor executor both consume. */
export interface StepSpec {
  id: string;
  needs: string[];
  run: (input: any) => Promise<unknown>;
}

/** Short label for tables, e.g. `chain 200` or `fan-out 1→100→1`. */
export function shapeLabel(shape: Shape): string {
  return shape.kind === 'chain' ? `chain ${shape.length}` : `fan-out 1→${shape.width}→1`;
}

/** Number of steps in the shape. */
export function stepCount(shape: Shape): number {
  return shape.kind === 'chain' ? shape.length : shape.width + 2;
}

/** Id of the step whose output is the run's result. */
export function lastStepId(shape: Shape): string {
  return shape.kind === 'chain' ? `s${shape.length - 1}` : 'join';
}

/** What the last step returns for `input`: every engine is checked against it. */
export function expectedResult(shape: Shape, input: number): number {
  return shape.kind === 'chain' ? input + shape.length : shape.width * (input + 1);
}

// The step bodies, shared by all engines so no engine gets cheaper work.
/** Chain and fan-out middle step. */
export const increment = async (x: number): Promise<number> => x + 1;
/** Fan-out root. */
export const identity = async (x: number): Promise<number> => x;
/** Fan-in: sums the values of an object keyed by dependency id. */
export const sumValues = async (inputs: Record<string, number>): Promise<number> => {
  let sum = 0;
  for (const key in inputs) sum += inputs[key]!;
  return sum;
};

/** The shape as a list of steps with `needs` (dependencies first). */
export function stepsOf(shape: Shape): StepSpec[] {
  if (shape.kind === 'chain') {
    return Array.from({ length: shape.length }, (_, i) => ({
      id: `s${i}`,
      needs: i === 0 ? [] : [`s${i - 1}`],
      run: increment,
    }));
  }
  const mids = Array.from({ length: shape.width }, (_, i) => `m${i}`);
  return [
    { id: 'root', needs: [], run: identity },
    ...mids.map((id) => ({ id, needs: ['root'], run: increment })),
    { id: 'join', needs: mids, run: sumValues },
  ];
}
