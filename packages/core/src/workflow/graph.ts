import type { ValidationProblem } from '../errors/errors.js';

/** The dependency graph in index form, built once per workflow. */
export interface WorkflowGraph {
  ids: string[];
  indexOf: Map<string, number>;
  /** deps[i]: indices step i needs. */
  deps: number[][];
  /** dependents[i]: indices that need step i. */
  dependents: number[][];
  /** A topological order (only complete when the graph is acyclic). */
  order: number[];
  roots: number[];
}

/** What `analyzeGraph` found. */
export interface GraphAnalysis {
  graph: WorkflowGraph;
  errors: ValidationProblem[];
  warnings: ValidationProblem[];
}

/**
 * Checks dependencies, cycles, depth and reachability in O(steps + edges),
 * without recursion (a 1,000,000-step chain must not overflow the stack).
 */
export function analyzeGraph(
  ids: string[],
  needsOf: (index: number) => readonly string[] | undefined,
  options: { maxDepth: number; entrypoint?: string },
): GraphAnalysis {
  const errors: ValidationProblem[] = [];
  const warnings: ValidationProblem[] = [];
  const indexOf = new Map<string, number>();
  ids.forEach((id, index) => indexOf.set(id, index));
  const deps: number[][] = ids.map(() => []);
  const dependents: number[][] = ids.map(() => []);
  for (let index = 0; index < ids.length; index++) {
    linkNeeds(index, ids, indexOf, needsOf(index) ?? [], deps, dependents, errors);
  }
  const order = topologicalOrder(deps, dependents);
  if (order.length < ids.length) errors.push(...findCycles(ids, deps, order));
  else checkDepth(ids, deps, order, options.maxDepth, errors);
  const roots = ids.flatMap((_, index) => (deps[index]!.length === 0 ? [index] : []));
  if (options.entrypoint !== undefined) checkEntrypoint(options.entrypoint, ids, indexOf, dependents, errors, warnings);
  return { graph: { ids, indexOf, deps, dependents, order, roots }, errors, warnings };
}

function linkNeeds(
  index: number, ids: string[], indexOf: Map<string, number>, needs: readonly string[],
  deps: number[][], dependents: number[][], errors: ValidationProblem[],
): void {
  const id = ids[index]!;
  const seen = needs.length > 1 ? new Set<number>() : undefined;
  for (let position = 0; position < needs.length; position++) {
    const need = needs[position];
    if (typeof need !== 'string') continue; // reported by the schema
    if (need === id) {
      errors.push({ code: 'self_dependency', stepId: id, path: ['steps', id, 'needs', position], message: `step '${id}' needs itself` });
      continue;
    }
    const target = indexOf.get(need);
    if (target === undefined) {
      errors.push({ code: 'unknown_dependency', stepId: id, path: ['steps', id, 'needs', position], message: `step '${id}' needs unknown step '${need}'` });
      continue;
    }
    if (seen) {
      if (seen.has(target)) continue; // listing a dependency twice changes nothing
      seen.add(target);
    }
    deps[index]!.push(target);
    dependents[target]!.push(index);
  }
}

/** Kahn's algorithm; returns fewer indices than steps when there is a cycle. */
function topologicalOrder(deps: number[][], dependents: number[][]): number[] {
  const remaining = deps.map((list) => list.length);
  const order: number[] = [];
  for (let index = 0; index < deps.length; index++) if (remaining[index] === 0) order.push(index);
  for (let head = 0; head < order.length; head++) {
    for (const next of dependents[order[head]!]!) if (--remaining[next]! === 0) order.push(next);
  }
  return order;
}

/**
 * Every step left after Kahn's algorithm has a dependency also left, so walking
 * dependencies from any of them must revisit a step: that loop is a cycle.
 */
function findCycles(ids: string[], deps: number[][], order: number[]): ValidationProblem[] {
  const left = new Uint8Array(ids.length).fill(1);
  for (const index of order) left[index] = 0;
  const done = new Uint8Array(ids.length);
  const problems: ValidationProblem[] = [];
  for (let start = 0; start < ids.length; start++) {
    if (!left[start] || done[start]) continue;
    const path: number[] = [];
    const position = new Map<number, number>();
    let current = start;
    while (!done[current] && !position.has(current)) {
      position.set(current, path.length);
      path.push(current);
      current = deps[current]!.find((dep) => left[dep])!;
    }
    if (!done[current]) problems.push(cycleProblem(ids, path.slice(position.get(current)!)));
    for (const index of path) done[index] = 1;
  }
  return problems;
}

function cycleProblem(ids: string[], walked: number[]): ValidationProblem {
  // The walk followed "needs" edges; data flows the other way, so reverse it for display.
  const names = walked.map((index) => ids[index]!).reverse();
  const text = [...names, names[0]].join(' -> ');
  return { code: 'cycle', stepId: names[0]!, path: ['steps', names[0]!, 'needs'], message: `cycle: ${text}` };
}

function checkDepth(ids: string[], deps: number[][], order: number[], maxDepth: number, errors: ValidationProblem[]): void {
  const depth = new Uint32Array(ids.length);
  for (const index of order) {
    let longest = 0;
    for (const dep of deps[index]!) if (depth[dep]! > longest) longest = depth[dep]!;
    depth[index] = longest + 1;
    if (depth[index]! > maxDepth) {
      errors.push({ code: 'depth_exceeded', stepId: ids[index]!, path: ['steps', ids[index]!], message: `step '${ids[index]}' is ${depth[index]} steps deep, over maxDepth ${maxDepth}` });
      return;
    }
  }
}

function checkEntrypoint(
  entrypoint: string, ids: string[], indexOf: Map<string, number>, dependents: number[][],
  errors: ValidationProblem[], warnings: ValidationProblem[],
): void {
  const start = indexOf.get(entrypoint);
  if (start === undefined) {
    errors.push({ code: 'invalid_option', path: ['entrypoint'], message: `entrypoint '${entrypoint}' is not a step` });
    return;
  }
  const reached = new Uint8Array(ids.length);
  const queue = [start];
  reached[start] = 1;
  for (let head = 0; head < queue.length; head++) {
    for (const next of dependents[queue[head]!]!) if (!reached[next]) (reached[next] = 1), queue.push(next);
  }
  ids.forEach((id, index) => {
    if (!reached[index]) warnings.push({ code: 'unreachable_step', stepId: id, path: ['steps', id], message: `step '${id}' is not reachable from entrypoint '${entrypoint}' (it still runs, as an independent root)` });
  });
}
