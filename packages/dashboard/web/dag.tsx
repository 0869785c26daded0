import dagre from '@dagrejs/dagre';
import { useMemo } from 'preact/hooks';
import type { StepView } from './api.js';

const NODE_W = 150;
const NODE_H = 40;

/** The workflow's steps as a DAG laid out by dagre, each node coloured by its status; a click opens the drawer. */
export function Dag({
  steps,
  onSelect,
  selected,
}: {
  steps: StepView[];
  onSelect: (id: string) => void;
  selected?: string;
}) {
  const layout = useMemo(() => {
    const graph = new dagre.graphlib.Graph();
    graph.setGraph({ rankdir: 'LR', nodesep: 24, ranksep: 56, marginx: 12, marginy: 12 });
    graph.setDefaultEdgeLabel(() => ({}));
    const ids = new Set(steps.map((step) => step.id));
    for (const step of steps) graph.setNode(step.id, { width: NODE_W, height: NODE_H });
    for (const step of steps) for (const need of step.needs) if (ids.has(need)) graph.setEdge(need, step.id);
    dagre.layout(graph);
    const size = graph.graph();
    return {
      width: Math.max(size.width ?? 0, NODE_W),
      height: Math.max(size.height ?? 0, NODE_H),
      nodes: steps.map((step) => ({ step, ...(graph.node(step.id) as { x: number; y: number }) })),
      edges: graph.edges().map((edge) => ({
        key: `${edge.v}->${edge.w}`,
        points: (graph.edge(edge) as { points: { x: number; y: number }[] }).points,
      })),
    };
  }, [steps]);
  return (
    <svg
      class="dag"
      data-testid="dag"
      width={layout.width}
      height={layout.height}
      viewBox={`0 0 ${layout.width} ${layout.height}`}
      role="img"
      aria-label="Workflow steps"
    >
      <defs>
        <marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="6" markerHeight="6" orient="auto">
          <path d="M0,0 L10,5 L0,10 z" class="arrow" />
        </marker>
      </defs>
      {layout.edges.map((edge) => (
        <polyline
          key={edge.key}
          class="edge"
          points={edge.points.map((point) => `${point.x},${point.y}`).join(' ')}
          marker-end="url(#arrow)"
        />
      ))}
      {layout.nodes.map(({ step, x, y }) => (
        // biome-ignore lint/a11y/useSemanticElements: an SVG group cannot be a <button>
        <g
          key={step.id}
          class={`node status-${step.status}${selected === step.id ? ' selected' : ''}`}
          transform={`translate(${x - NODE_W / 2},${y - NODE_H / 2})`}
          data-testid="dag-node"
          data-step-id={step.id}
          data-status={step.status}
          role="button"
          tabIndex={0}
          onClick={() => onSelect(step.id)}
          onKeyDown={(event) => {
            if (event.key === 'Enter' || event.key === ' ') onSelect(step.id);
          }}
        >
          <rect width={NODE_W} height={NODE_H} rx="6" />
          <text x={NODE_W / 2} y={NODE_H / 2 - 3} text-anchor="middle">
            {step.id.length > 18 ? `${step.id.slice(0, 17)}…` : step.id}
          </text>
          <text x={NODE_W / 2} y={NODE_H / 2 + 12} text-anchor="middle" class="node-status">
            {step.status}
          </text>
        </g>
      ))}
    </svg>
  );
}
