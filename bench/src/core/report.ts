/** Turns engine results into the printed tables (pure: easy to test). */
import type { Stats } from '../lib/stats.js';
import type { BenchRow } from '../lib/types.js';
import {
  CONCURRENT_RUNS,
  VALIDATION_LENGTH,
  type ChildResult,
  type ConcurrentResult,
  type StepsResult,
} from './cases.js';

/** The targets: printed beside the results, never asserted. */
export const TARGETS = {
  overheadUs: 5,
  speedupVsLangGraph: 100,
  runsPerSec: 50_000,
  peakRssMB: 150,
  validationMs: 100,
} as const;

const T_PER_STEP = 'Per-step time, µs (median; lower is better)';
const T_CONCURRENT = `${CONCURRENT_RUNS.toLocaleString('en-US')} concurrent 5-step runs (1→3→1), one process per engine`;
const T_VALIDATION = 'Validation of a chain (median)';
const T_TARGETS = 'Targets (printed, not asserted)';
const T_SAMPLES =
  'Sampling detail (per op: one run or one batch of 1,000 concurrent runs; cpu/wall < 1 = descheduled by other load)';
const T_ERRORS = 'Errors';

/** All results of one `core` bench run. */
export interface CoreResults {
  steps: ChildResult[];
  concurrent: ChildResult[];
}

const ratio = (a: number | undefined, b: number | undefined): number | null =>
  a === undefined || b === undefined || b === 0 ? null : a / b;
const diff = (a: number | undefined, b: number | undefined): number | null =>
  a === undefined || b === undefined ? null : a - b;

function stepsOf(results: ChildResult[]): StepsResult[] {
  return results.filter((result): result is StepsResult => result.kind === 'steps');
}

function concurrentOf(results: ChildResult[]): ConcurrentResult[] {
  return results.filter((result): result is ConcurrentResult => result.kind === 'concurrent');
}

/** µs per step of `engine` on `shape`, if measured. */
function perStep(results: StepsResult[], engine: string, shape: string): number | undefined {
  return results.find((result) => result.engine === engine)?.shapes.find((s) => s.shape === shape)?.perStepUs;
}

function perStepRows(results: StepsResult[]): BenchRow[] {
  const shapes = [...new Set(results.flatMap((result) => result.shapes.map((s) => s.shape)))];
  return shapes.map((shape) => {
    const row: BenchRow = { table: T_PER_STEP, graph: shape };
    for (const result of results) row[result.engine] = perStep(results, result.engine, shape) ?? null;
    const baton = perStep(results, 'baton', shape);
    row['baton − floor'] = diff(baton, perStep(results, 'floor', shape));
    row['baton/langgraph'] = ratio(baton, perStep(results, 'langgraph', shape));
    if (results.some((result) => result.engine === 'langgraph+saver'))
      row['baton/langgraph+saver'] = ratio(baton, perStep(results, 'langgraph+saver', shape));
    row['baton/floor'] = ratio(baton, perStep(results, 'floor', shape));
    // What an output schema on every step costs (zod 4, see engine-baton-schema.ts).
    if (results.some((result) => result.engine === 'baton+schema'))
      row['schema cost'] = diff(perStep(results, 'baton+schema', shape), baton);
    return row;
  });
}

function concurrentRows(results: ConcurrentResult[]): BenchRow[] {
  return results.map((result) => ({
    table: T_CONCURRENT,
    engine: result.engine,
    'runs/s': Math.round(result.runsPerSec),
    'ms per 1,000': result.stats.medianNs / 1e6,
    'µs/step': result.perStepUs,
    'peak RSS MB': result.peakRssMB,
    'RSS before runs MB': result.baselineRssMB,
  }));
}

function validationRows(results: StepsResult[]): BenchRow[] {
  return results.flatMap((result) =>
    result.validations.map((v) => ({
      table: T_VALIDATION,
      operation: v.label,
      steps: v.steps,
      ms: v.ms,
      samples: v.samples,
    })),
  );
}

function sampleRows(steps: StepsResult[], concurrent: ConcurrentResult[]): BenchRow[] {
  const row = (engine: string, what: string, s: Stats): BenchRow => ({
    table: T_SAMPLES,
    engine,
    measurement: what,
    'median ms': s.medianNs / 1e6,
    'min ms': s.minNs / 1e6,
    'max ms': s.maxNs / 1e6,
    samples: s.samples,
    'ops/sample': s.batch,
    // < 1: the process was descheduled or idle (a busy machine); > 1: GC threads helped.
    'cpu/wall': s.cpuMedianNs / s.medianNs,
  });
  return [
    ...steps.flatMap((result) => result.shapes.map((s) => row(result.engine, s.shape, s.stats))),
    ...concurrent.map((result) => row(result.engine, `${result.runs} concurrent runs`, result.stats)),
  ];
}

function status(ok: boolean | undefined): string {
  return ok === undefined ? 'n/a' : ok ? 'met' : 'MISSED';
}

function target(name: string, measured: number | null | undefined, unit: string, ok: boolean | undefined): BenchRow {
  return {
    table: T_TARGETS,
    target: name,
    measured: measured === null || measured === undefined ? null : measured,
    unit,
    status: status(measured == null ? undefined : ok),
  };
}

function targetRows(steps: StepsResult[], concurrent: ConcurrentResult[]): BenchRow[] {
  const rows: BenchRow[] = [];
  const conc = (engine: string): ConcurrentResult | undefined => concurrent.find((result) => result.engine === engine);
  const shapes = [...new Set(steps.flatMap((result) => result.shapes.map((s) => s.shape)))];
  for (const shape of shapes) {
    const overhead = diff(perStep(steps, 'baton', shape), perStep(steps, 'floor', shape));
    rows.push(
      target(
        `per-step overhead ≤ ${TARGETS.overheadUs} µs (${shape}, baton − floor)`,
        overhead,
        'µs',
        overhead !== null && overhead <= TARGETS.overheadUs,
      ),
    );
  }
  const cOverhead = diff(conc('baton')?.perStepUs, conc('floor')?.perStepUs);
  rows.push(
    target(
      `per-step overhead ≤ ${TARGETS.overheadUs} µs (1,000 concurrent, baton − floor)`,
      cOverhead,
      'µs',
      cOverhead !== null && cOverhead <= TARGETS.overheadUs,
    ),
  );
  for (const shape of shapes) {
    const speedup = ratio(perStep(steps, 'langgraph', shape), perStep(steps, 'baton', shape));
    rows.push(
      target(
        `≥ ${TARGETS.speedupVsLangGraph}× faster per step than LangGraph.js (${shape})`,
        speedup,
        '×',
        speedup !== null && speedup >= TARGETS.speedupVsLangGraph,
      ),
    );
  }
  const cSpeedup = ratio(conc('langgraph')?.perStepUs, conc('baton')?.perStepUs);
  rows.push(
    target(
      `≥ ${TARGETS.speedupVsLangGraph}× faster per step than LangGraph.js (1,000 concurrent)`,
      cSpeedup,
      '×',
      cSpeedup !== null && cSpeedup >= TARGETS.speedupVsLangGraph,
    ),
  );
  const baton = conc('baton');
  rows.push(
    target(
      `1,000 concurrent 5-step runs ≥ ${TARGETS.runsPerSec.toLocaleString('en-US')} runs/s`,
      baton ? Math.round(baton.runsPerSec) : null,
      'runs/s',
      baton && baton.runsPerSec >= TARGETS.runsPerSec,
    ),
  );
  rows.push(
    target(
      `peak RSS ≤ ${TARGETS.peakRssMB} MB (same run, whole process)`,
      baton?.peakRssMB,
      'MB',
      baton && baton.peakRssMB <= TARGETS.peakRssMB,
    ),
  );
  const validations = steps.find((result) => result.engine === 'baton')?.validations ?? [];
  for (const v of validations) {
    const full = v.steps >= VALIDATION_LENGTH;
    rows.push(
      target(
        `${v.steps.toLocaleString('en-US')}-step validation ≤ ${TARGETS.validationMs} ms (${v.label.replace(/^baton: /, '')})`,
        v.ms,
        'ms',
        full ? v.ms <= TARGETS.validationMs : undefined,
      ),
    );
  }
  return rows;
}

function errorRows(results: ChildResult[]): BenchRow[] {
  return results.flatMap((result) =>
    result.kind === 'error'
      ? [{ table: T_ERRORS, engine: result.engine, task: result.task, error: result.message.split('\n')[0] ?? '' }]
      : [],
  );
}

/** Every table of the core bench, in print order. */
export function coreRows(results: CoreResults): BenchRow[] {
  const steps = stepsOf(results.steps);
  const concurrent = concurrentOf(results.concurrent);
  return [
    ...perStepRows(steps),
    ...concurrentRows(concurrent),
    ...validationRows(steps),
    ...targetRows(steps, concurrent),
    ...sampleRows(steps, concurrent),
    ...errorRows([...results.steps, ...results.concurrent]),
  ];
}
