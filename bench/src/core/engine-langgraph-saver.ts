import { MemorySaver } from '@langchain/langgraph';
import type { Engine, Runner } from './engine.js';
import { buildShape, recursionLimitFor } from './langgraph-graphs.js';
import type { Shape } from './shapes.js';

/**
 * LangGraph.js with its in-memory checkpointer: the like-for-like
 * configuration for Baton's `MemoryCheckpointStore` (both persist every step).
 */
export const engine: Engine = {
  name: 'langgraph+saver',
  prepare(shape: Shape): Runner {
    const builder = buildShape(shape);
    let graph = builder.compile({ checkpointer: new MemorySaver() });
    let thread = 0;
    const recursionLimit = recursionLimitFor(shape);
    return {
      async run(input) {
        const config = { recursionLimit, configurable: { thread_id: `t${thread++}` } };
        const state = (await graph.invoke({ value: input }, config)) as { value: number };
        return state.value;
      },
      fresh() {
        // The saver keeps every thread; start each sample from an empty one.
        graph = builder.compile({ checkpointer: new MemorySaver() });
      },
    };
  },
};
