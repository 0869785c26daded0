import type { Engine, Runner, ValidationCase } from './engine.js';
import { buildChain, buildChainRawEdges, buildShape, recursionLimitFor } from './langgraph-graphs.js';
import type { Shape } from './shapes.js';

/** LangGraph.js without a checkpointer (its fastest configuration). */
export const engine: Engine = {
  name: 'langgraph',
  prepare(shape: Shape): Runner {
    const graph = buildShape(shape).compile();
    const config = { recursionLimit: recursionLimitFor(shape) };
    return {
      async run(input) {
        const state = (await graph.invoke({ value: input }, config)) as { value: number };
        return state.value;
      },
    };
  },
  validations(length, full) {
    // addEdge is O(n) per call, so a 100k public-API build takes minutes: measure it
    // at a tenth of the size by default, and at full size only with --full.
    const small = Math.min(length, 10_000);
    const rawBuilder = buildChainRawEdges(length);
    const cases: ValidationCase[] = [
      { label: 'langgraph: build + compile() (public API)', steps: small, op: () => buildChain(small).compile() },
      {
        label: 'langgraph: compile() only (prebuilt, edges inserted directly)',
        steps: length,
        op: () => rawBuilder.compile(),
      },
    ];
    if (full)
      cases.push({
        label: 'langgraph: build + compile() (public API)',
        steps: length,
        op: () => buildChain(length).compile(),
        once: true,
      });
    return cases;
  },
};
