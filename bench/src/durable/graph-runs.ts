import { BatonError } from '@baton/core';
import type { BaseCheckpointSaver } from '@langchain/langgraph-checkpoint';
import { buildShape, recursionLimitFor } from '../core/langgraph-graphs.js';
import { expectedResult, type Shape } from '../core/shapes.js';

/** LangGraph's checkpoint modes that write during the run (`exit` writes only at the end). */
export type LangGraphDurability = 'sync' | 'async';

/** Thrown when a graph run returns another value than every engine must compute. Code `BENCH_GRAPH_RESULT`. */
export class GraphResultError extends BatonError {
  constructor(message: string, cause?: unknown) {
    super('BENCH_GRAPH_RESULT', { message, cause });
  }
}

/**
 * `runs` invocations of `shape` started at once (thread `t<i>`, input `i`) on one graph compiled
 * with `checkpointer`; resolves to the wall time in ms. Results are checked after the timed region.
 * `durability: 'sync'` makes each superstep wait for its checkpoint (the like-for-like match of a
 * Baton store that makes each record durable before dependents start).
 */
export async function timedGraphRuns(
  checkpointer: BaseCheckpointSaver,
  shape: Shape,
  runs: number,
  durability: LangGraphDurability,
): Promise<number> {
  const graph = buildShape(shape).compile({ checkpointer });
  const recursionLimit = recursionLimitFor(shape);
  const started = performance.now();
  const states = await Promise.all(
    Array.from({ length: runs }, (_, index) =>
      graph.invoke({ value: index }, { recursionLimit, durability, configurable: { thread_id: `t${index}` } }),
    ),
  );
  const ms = performance.now() - started;
  states.forEach((state, index) => {
    const value = (state as { value: number }).value;
    const expected = expectedResult(shape, index);
    if (value !== expected)
      throw new GraphResultError(`langgraph thread t${index} returned ${String(value)}, expected ${expected}`);
  });
  return ms;
}
