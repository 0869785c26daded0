/**
 * The floor: the least an async DAG executor can do. A precomputed plan of
 * integer indices, dependency counters, and one promise per step; no events,
 * no checkpoints, no retries, no cancellation. Same input rule as Baton: the
 * run input for roots, the dependency's output for one need, an object keyed
 * by dependency id for several.
 */

/** Step fields the floor needs. */
export interface FloorStep {
  id: string;
  needs: readonly string[];
  run: (input: any) => unknown;
}

/** A DAG compiled to arrays of indices. */
export interface FloorPlan {
  ids: string[];
  runs: Array<(input: any) => unknown>;
  needs: number[][];
  dependents: number[][];
  indegree: Int32Array;
  roots: number[];
}

/**
 * Problems with a definition: duplicate ids, unknown dependencies, cycles.
 * Kahn's algorithm, iterative and linear; the floor of what validation costs.
 */
export function validateFloor(steps: ReadonlyArray<Pick<FloorStep, 'id' | 'needs'>>): string[] {
  const errors: string[] = [];
  const index = new Map<string, number>();
  steps.forEach((step, i) =>
    index.has(step.id) ? errors.push(`duplicate step id ${step.id}`) : index.set(step.id, i),
  );
  const indegree = new Int32Array(steps.length);
  const dependents: number[][] = steps.map(() => []);
  steps.forEach((step, i) => {
    for (const need of step.needs) {
      const j = index.get(need);
      if (j === undefined) errors.push(`step ${step.id} needs unknown step ${need}`);
      else {
        dependents[j]!.push(i);
        indegree[i]!++;
      }
    }
  });
  const queue: number[] = [];
  indegree.forEach((degree, i) => degree === 0 && queue.push(i));
  for (let head = 0; head < queue.length; head++) {
    for (const j of dependents[queue[head]!]!) if (--indegree[j]! === 0) queue.push(j);
  }
  if (queue.length < steps.length) errors.push(`cycle among ${steps.length - queue.length} steps`);
  return errors;
}

/** Compiles steps (already valid) into a plan, once per graph. */
export function planFloor(steps: readonly FloorStep[]): FloorPlan {
  const index = new Map(steps.map((step, i) => [step.id, i]));
  const needs = steps.map((step) => step.needs.map((id) => index.get(id)!));
  const dependents: number[][] = steps.map(() => []);
  needs.forEach((list, i) => list.forEach((j) => dependents[j]!.push(i)));
  return {
    ids: steps.map((step) => step.id),
    runs: steps.map((step) => step.run),
    needs,
    dependents,
    indegree: Int32Array.from(needs, (list) => list.length),
    roots: needs.flatMap((list, i) => (list.length === 0 ? [i] : [])),
  };
}

/** Runs a plan; resolves to every step's output by id, rejects on the first failure. */
export function runFloor(plan: FloorPlan, input: unknown): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const outputs: unknown[] = new Array(plan.ids.length);
    const waiting = plan.indegree.slice();
    let done = 0;
    let failed = false;
    const fail = (error: unknown): void => {
      failed = true;
      reject(error);
    };
    const finish = (i: number, output: unknown): void => {
      if (failed) return;
      outputs[i] = output;
      if (++done === plan.ids.length) {
        const result: Record<string, unknown> = {};
        plan.ids.forEach((id, k) => (result[id] = outputs[k]));
        resolve(result);
        return;
      }
      for (const j of plan.dependents[i]!) if (--waiting[j]! === 0) start(j);
    };
    const start = (i: number): void => {
      const needs = plan.needs[i]!;
      let arg: unknown = input;
      if (needs.length === 1) arg = outputs[needs[0]!];
      else if (needs.length > 1) {
        const object: Record<string, unknown> = {};
        for (const j of needs) object[plan.ids[j]!] = outputs[j];
        arg = object;
      }
      try {
        Promise.resolve(plan.runs[i]!(arg)).then((output) => finish(i, output), fail);
      } catch (error) {
        fail(error);
      }
    };
    if (plan.ids.length === 0) resolve({});
    for (const i of plan.roots) start(i);
  });
}
