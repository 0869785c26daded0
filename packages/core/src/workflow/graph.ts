import type { ValidationProblem } from '../errors/errors.js';

/**
 * The dependency graph in index form, built once per workflow (internal to the
 * supervisor). Edges are stored in compressed sparse rows: the dependencies of
 * step `i` are `depList[depStart[i]]` up to (excluding) `depList[depStart[i + 1]]`,
 * in the order of its `needs` (duplicates dropped); its dependents likewise in
 * `dependentStart`/`dependentList`, in step order. Four typed arrays instead of
 * two small arrays per step keep 100,000-step workflows cheap to build and to hold.
 */
export interface WorkflowGraph {
  ids: string[];
  indexOf: Map<string, number>;
  depStart: Int32Array;
  depList: Int32Array;
  dependentStart: Int32Array;
  dependentList: Int32Array;
  /** A topological order (only complete when the graph is acyclic). */
  order: Int32Array;
  /** Steps without dependencies, in step order. */
  roots: Int32Array;
}

/** The dependencies of step `index`, as a new array (for code that keeps them per step). */
export function depsOf(graph: WorkflowGraph, index: number): number[] {
  return Array.from(graph.depList.subarray(graph.depStart[index]!, graph.depStart[index + 1]!));
}

/** The dependents of step `index`, as a new array. */
export function dependentsOf(graph: WorkflowGraph, index: number): number[] {
  return Array.from(graph.dependentList.subarray(graph.dependentStart[index]!, graph.dependentStart[index + 1]!));
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
  needsOf: (index: number) => readonly unknown[] | undefined,
  options: { maxDepth: number; entrypoint?: string },
): GraphAnalysis {
  const errors: ValidationProblem[] = [];
  const warnings: ValidationProblem[] = [];
  const indexOf = new Map<string, number>();
  for (let index = 0; index < ids.length; index++) indexOf.set(ids[index]!, index);
  const { depStart, depList } = linkNeeds(ids, indexOf, needsOf, errors);
  const { dependentStart, dependentList } = invert(depStart, depList);
  const order = topologicalOrder(depStart, dependentStart, dependentList);
  const graph: WorkflowGraph = {
    ids,
    indexOf,
    depStart,
    depList,
    dependentStart,
    dependentList,
    order,
    roots: rootsOf(depStart),
  };
  if (order.length < ids.length) errors.push(...findCycles(graph, order));
  else checkDepth(graph, options.maxDepth, errors);
  if (options.entrypoint !== undefined) checkEntrypoint(options.entrypoint, graph, errors, warnings);
  return { graph, errors, warnings };
}

/** Resolves every step's `needs` to indices (CSR), reporting self and unknown dependencies. */
function linkNeeds(
  ids: string[],
  indexOf: Map<string, number>,
  needsOf: (index: number) => readonly unknown[] | undefined,
  errors: ValidationProblem[],
): { depStart: Int32Array; depList: Int32Array } {
  const depStart = new Int32Array(ids.length + 1);
  const edges: number[] = [];
  for (let index = 0; index < ids.length; index++) {
    const needs = needsOf(index);
    if (needs) linkStep(ids[index]!, needs, indexOf, edges, errors);
    depStart[index + 1] = edges.length;
  }
  return { depStart, depList: Int32Array.from(edges) };
}

function linkStep(
  id: string,
  needs: readonly unknown[],
  indexOf: Map<string, number>,
  edges: number[],
  errors: ValidationProblem[],
): void {
  const seen = needs.length > 1 ? new Set<number>() : undefined;
  for (let position = 0; position < needs.length; position++) {
    const need = needs[position];
    if (typeof need !== 'string') continue; // reported by the schema
    if (need === id) {
      errors.push({
        code: 'self_dependency',
        stepId: id,
        path: ['steps', id, 'needs', position],
        message: `step '${id}' needs itself`,
      });
      continue;
    }
    const target = indexOf.get(need);
    if (target === undefined) {
      errors.push({
        code: 'unknown_dependency',
        stepId: id,
        path: ['steps', id, 'needs', position],
        message: `step '${id}' needs unknown step '${need}'`,
      });
      continue;
    }
    if (seen) {
      if (seen.has(target)) continue; // listing a dependency twice changes nothing
      seen.add(target);
    }
    edges.push(target);
  }
}

/** Dependents in CSR form (a counting sort of the edges by target, so each list is in step order). */
function invert(depStart: Int32Array, depList: Int32Array): { dependentStart: Int32Array; dependentList: Int32Array } {
  const count = depStart.length - 1;
  const dependentStart = new Int32Array(count + 1);
  for (let edge = 0; edge < depList.length; edge++) dependentStart[depList[edge]! + 1]!++;
  for (let index = 0; index < count; index++) dependentStart[index + 1]! += dependentStart[index]!;
  const next = dependentStart.slice(0, count);
  const dependentList = new Int32Array(depList.length);
  for (let index = 0; index < count; index++) {
    for (let edge = depStart[index]!; edge < depStart[index + 1]!; edge++)
      dependentList[next[depList[edge]!]!++] = index;
  }
  return { dependentStart, dependentList };
}

function rootsOf(depStart: Int32Array): Int32Array {
  const roots: number[] = [];
  for (let index = 0; index + 1 < depStart.length; index++)
    if (depStart[index] === depStart[index + 1]) roots.push(index);
  return Int32Array.from(roots);
}

/** Kahn's algorithm; returns fewer indices than steps when there is a cycle. */
function topologicalOrder(depStart: Int32Array, dependentStart: Int32Array, dependentList: Int32Array): Int32Array {
  const count = depStart.length - 1;
  const remaining = new Int32Array(count);
  const order = new Int32Array(count);
  let length = 0;
  for (let index = 0; index < count; index++) {
    remaining[index] = depStart[index + 1]! - depStart[index]!;
    if (remaining[index] === 0) order[length++] = index;
  }
  for (let head = 0; head < length; head++) {
    const current = order[head]!;
    for (let edge = dependentStart[current]!; edge < dependentStart[current + 1]!; edge++) {
      const next = dependentList[edge]!;
      if (--remaining[next]! === 0) order[length++] = next;
    }
  }
  return length === count ? order : order.slice(0, length);
}

/**
 * Every step left after Kahn's algorithm has a dependency also left, so walking
 * dependencies from any of them must revisit a step: that loop is a cycle.
 */
function findCycles(graph: WorkflowGraph, ordered: Int32Array): ValidationProblem[] {
  const { ids, depStart, depList } = graph;
  const left = new Uint8Array(ids.length).fill(1);
  for (let i = 0; i < ordered.length; i++) left[ordered[i]!] = 0;
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
      let edge = depStart[current]!;
      while (!left[depList[edge]!]) edge++; // the first dependency also left (one exists, see above)
      current = depList[edge]!;
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

function checkDepth(graph: WorkflowGraph, maxDepth: number, errors: ValidationProblem[]): void {
  const { ids, depStart, depList, order } = graph;
  const depth = new Uint32Array(ids.length);
  for (let i = 0; i < order.length; i++) {
    const index = order[i]!;
    let longest = 0;
    for (let edge = depStart[index]!; edge < depStart[index + 1]!; edge++)
      if (depth[depList[edge]!]! > longest) longest = depth[depList[edge]!]!;
    depth[index] = longest + 1;
    if (depth[index]! > maxDepth) {
      errors.push({
        code: 'depth_exceeded',
        stepId: ids[index]!,
        path: ['steps', ids[index]!],
        message: `step '${ids[index]}' is ${depth[index]} steps deep, over maxDepth ${maxDepth}`,
      });
      return;
    }
  }
}

function checkEntrypoint(
  entrypoint: string,
  graph: WorkflowGraph,
  errors: ValidationProblem[],
  warnings: ValidationProblem[],
): void {
  const { ids, indexOf, dependentStart, dependentList } = graph;
  const start = indexOf.get(entrypoint);
  if (start === undefined) {
    errors.push({ code: 'invalid_option', path: ['entrypoint'], message: `entrypoint '${entrypoint}' is not a step` });
    return;
  }
  const reached = new Uint8Array(ids.length);
  const queue = [start];
  reached[start] = 1;
  for (let head = 0; head < queue.length; head++) {
    const current = queue[head]!;
    for (let edge = dependentStart[current]!; edge < dependentStart[current + 1]!; edge++) {
      const next = dependentList[edge]!;
      if (!reached[next]) (reached[next] = 1), queue.push(next);
    }
  }
  ids.forEach((id, index) => {
    if (!reached[index])
      warnings.push({
        code: 'unreachable_step',
        stepId: id,
        path: ['steps', id],
        message: `step '${id}' is not reachable from entrypoint '${entrypoint}' (it still runs, as an independent root)`,
      });
  });
}
