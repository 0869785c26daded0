/**
 * The bench shapes as idiomatic LangGraph.js 1.x StateGraphs. Idiomatic
 * matters: one `value` channel for the chain and one merging `results`
 * channel for the fan-out were the fastest forms we tried (a channel per
 * step cost LangGraph 1.3–1.7× more), so the comparison is fair to it.
 */
import { EventEmitter } from 'node:events';
import { Annotation, END, START, StateGraph } from '@langchain/langgraph';
import { identity, increment, sumValues, type Shape } from './shapes.js';

// LangGraph adds one abort listener per parallel task to a shared signal, so a
// 100-wide superstep trips Node's "possible leak" warning (a false alarm here).
// 0 disables that check for EventTargets created from now on.
EventEmitter.defaultMaxListeners = 0;

const ChainState = Annotation.Root({ value: Annotation<number>() });

const FanoutState = Annotation.Root({
  value: Annotation<number>(),
  rootOut: Annotation<number>(),
  // Mutating the per-run default object is safe (it is fresh per invocation)
  // and avoids an O(width²) spread.
  results: Annotation<Record<string, number>>({
    reducer: (into, update) => Object.assign(into, update),
    default: () => ({}),
  }),
});

/** Builder of a `length`-node chain through public API (`addNode` + `addEdge`). */
export function buildChain(length: number): StateGraph<any, any, any, any> {
  const graph: any = new StateGraph(ChainState);
  for (let i = 0; i < length; i++)
    graph.addNode(`s${i}`, async (state: { value: number }) => ({ value: await increment(state.value) }));
  graph.addEdge(START, 's0');
  for (let i = 1; i < length; i++) graph.addEdge(`s${i - 1}`, `s${i}`);
  graph.addEdge(`s${length - 1}`, END);
  return graph;
}

/**
 * The same chain, but edges go straight into the builder's `edges` set.
 * `addEdge` scans every existing edge (O(n) each, O(n²) in all: ~100 s for
 * 100,000 nodes), so this isolates what `compile()` itself costs.
 */
export function buildChainRawEdges(length: number): StateGraph<any, any, any, any> {
  const graph: any = new StateGraph(ChainState);
  for (let i = 0; i < length; i++)
    graph.addNode(`s${i}`, async (state: { value: number }) => ({ value: await increment(state.value) }));
  const edges: Set<[string, string]> = graph.edges;
  if (!(edges instanceof Set)) throw new Error('LangGraph internals changed: StateGraph.edges is no longer a Set');
  edges.add([START, 's0']);
  for (let i = 1; i < length; i++) edges.add([`s${i - 1}`, `s${i}`]);
  edges.add([`s${length - 1}`, END]);
  return graph;
}

/** Builder of `root -> m0..m(width-1) -> join`; the join waits for every middle node. */
export function buildFanout(width: number): StateGraph<any, any, any, any> {
  const graph: any = new StateGraph(FanoutState);
  const mids = Array.from({ length: width }, (_, i) => `m${i}`);
  graph.addNode('root', async (state: { value: number }) => ({ rootOut: await identity(state.value) }));
  for (const id of mids)
    graph.addNode(id, async (state: { rootOut: number }) => ({ results: { [id]: await increment(state.rootOut) } }));
  graph.addNode('join', async (state: { results: Record<string, number> }) => ({
    value: await sumValues(state.results),
  }));
  graph.addEdge(START, 'root');
  for (const id of mids) graph.addEdge('root', id);
  graph.addEdge(mids, 'join');
  graph.addEdge('join', END);
  return graph;
}

/** The builder for a shape. */
export function buildShape(shape: Shape): StateGraph<any, any, any, any> {
  return shape.kind === 'chain' ? buildChain(shape.length) : buildFanout(shape.width);
}

/** Supersteps a shape needs (LangGraph's default `recursionLimit` is 25). */
export function recursionLimitFor(shape: Shape): number {
  return (shape.kind === 'chain' ? shape.length : 3) + 10;
}
