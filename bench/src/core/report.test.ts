import { describe, expect, it } from 'vitest';
import type { Stats } from '../lib/stats.js';
import type { ChildResult, ConcurrentResult, StepsResult } from './cases.js';
import { coreRows } from './report.js';

const stats = (ms: number): Stats => ({
  medianNs: ms * 1e6,
  minNs: ms * 1e6,
  maxNs: ms * 1e6,
  samples: 3,
  batch: 1,
  cpuMedianNs: ms * 1e6,
});

function steps(engine: string, chainUs: number, validations: StepsResult['validations'] = []): StepsResult {
  return {
    kind: 'steps',
    engine,
    shapes: [{ shape: 'chain 200', steps: 200, stats: stats((chainUs * 200) / 1e3), perStepUs: chainUs }],
    validations,
  };
}

function concurrent(engine: string, runsPerSec: number, peakRssMB: number): ConcurrentResult {
  const ms = 1e6 / runsPerSec;
  return {
    kind: 'concurrent',
    engine,
    runs: 1000,
    stepsPerRun: 5,
    stats: stats(ms),
    runsPerSec,
    perStepUs: (ms * 1e3) / 5000,
    baselineRssMB: 40,
    peakRssMB,
  };
}

const targets = (rows: ReturnType<typeof coreRows>) =>
  Object.fromEntries(rows.filter((row) => row.table.startsWith('Targets')).map((row) => [row.target, row]));

describe('coreRows', () => {
  const results: { steps: ChildResult[]; concurrent: ChildResult[] } = {
    steps: [
      steps('floor', 0.5, [{ label: 'floor: Kahn', steps: 100_000, ms: 10, samples: 5 }]),
      steps('baton', 3, [{ label: 'baton: validateWorkflow()', steps: 100_000, ms: 150, samples: 5 }]),
      steps('langgraph', 600),
    ],
    concurrent: [
      concurrent('floor', 500_000, 60),
      concurrent('baton', 60_000, 120),
      { kind: 'error', engine: 'langgraph', task: 'concurrent', message: 'boom\nstack' },
    ],
  };
  const rows = coreRows(results);

  it('puts every engine side by side with overhead and ratios', () => {
    const chain = rows.find((row) => row.table.startsWith('Per-step') && row.graph === 'chain 200')!;
    expect(chain).toMatchObject({
      floor: 0.5,
      baton: 3,
      langgraph: 600,
      'baton − floor': 2.5,
      'baton/langgraph': 0.005,
      'baton/floor': 6,
    });
  });

  it('judges each target and marks what it could not measure', () => {
    const t = targets(rows);
    expect(t['per-step overhead ≤ 5 µs (chain 200, baton − floor)']).toMatchObject({ measured: 2.5, status: 'met' });
    expect(t['≥ 100× faster per step than LangGraph.js (chain 200)']).toMatchObject({ measured: 200, status: 'met' });
    expect(t['≥ 100× faster per step than LangGraph.js (1,000 concurrent)']).toMatchObject({
      measured: null,
      status: 'n/a',
    });
    expect(t['1,000 concurrent 5-step runs ≥ 50,000 runs/s']).toMatchObject({ measured: 60_000, status: 'met' });
    expect(t['peak RSS ≤ 150 MB (same run, whole process)']).toMatchObject({ measured: 120, status: 'met' });
    expect(t['100,000-step validation ≤ 100 ms (validateWorkflow())']).toMatchObject({
      measured: 150,
      status: 'MISSED',
    });
  });

  it('lists failed engine processes with the first line of their error', () => {
    expect(rows.filter((row) => row.table === 'Errors')).toEqual([
      { table: 'Errors', engine: 'langgraph', task: 'concurrent', error: 'boom' },
    ]);
  });
});
