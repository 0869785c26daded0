import type { TimelineItem } from './api.js';
import { duration } from './format.js';

const ROW = 22;
const LABEL = 140;
const WIDTH = 720;

/**
 * The run's timeline: one bar per step record (its attempts and total duration), preceded by a hatched gap
 * for the time the step waited after it was ready (retries' backoff, limits), and marks for starts, resumes
 * and the finish.
 */
export function Timeline({ items }: { items: TimelineItem[] }) {
  const end = Math.max(1, ...items.map((item) => item.endMs));
  const x = (ms: number) => LABEL + (ms / end) * (WIDTH - LABEL - 10);
  const steps = items.filter((item) => item.kind === 'step');
  const marks = items.filter((item) => item.kind !== 'step');
  const height = (steps.length + 1) * ROW + 10;
  return (
    <svg
      class="timeline"
      data-testid="timeline"
      role="img"
      aria-label="Timeline of the run's steps"
      width={WIDTH}
      height={height}
      viewBox={`0 0 ${WIDTH} ${height}`}
    >
      {marks.map((mark) => (
        <g key={mark.seq}>
          <line
            class={`mark ${mark.kind.replace('.', '-')}`}
            x1={x(mark.startMs)}
            x2={x(mark.startMs)}
            y1={0}
            y2={height}
          />
          <title>{`${mark.kind}${mark.status ? ` (${mark.status})` : ''} at +${duration(mark.startMs)}`}</title>
        </g>
      ))}
      {steps.map((item, row) => {
        const y = row * ROW + 6;
        const waitStart = item.startMs - (item.waitMs ?? 0);
        return (
          <g key={item.seq} data-testid="timeline-bar" data-step-id={item.stepId}>
            <text x={4} y={y + 13} class="label">
              {item.stepId}
            </text>
            {item.waitMs ? (
              <rect
                class="wait"
                x={x(waitStart)}
                y={y + 4}
                width={Math.max(1, x(item.startMs) - x(waitStart))}
                height={ROW - 10}
              >
                <title>{`waited ${duration(item.waitMs)} after it was ready (backoff between attempts, limits)`}</title>
              </rect>
            ) : null}
            <rect
              class={`bar status-${item.status}`}
              x={x(item.startMs)}
              y={y}
              width={Math.max(2, x(item.endMs) - x(item.startMs))}
              height={ROW - 4}
            >
              <title>{`${item.stepId}: ${item.status}, ${item.attempts} attempt(s), ${duration(item.endMs - item.startMs)}`}</title>
            </rect>
            <text x={Math.min(WIDTH - 60, x(item.endMs) + 4)} y={y + 13} class="label muted">
              {item.attempts && item.attempts > 1 ? `×${item.attempts} ` : ''}
              {duration(item.endMs - item.startMs)}
            </text>
          </g>
        );
      })}
    </svg>
  );
}
