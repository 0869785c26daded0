/** Targets printed next to the results as met or missed (never asserted). */
import type { BenchRow } from '../lib/types.js';

/** One target: `measured` must be at most (`'≤'`) or at least (`'≥'`) `target`. */
export interface Goal {
  /** What is compared, e.g. "chain 200: Baton ÷ floor". */
  goal: string;
  measured: number;
  comparison: '≤' | '≥';
  target: number;
}

/** Whether `goal` is met; a measured `NaN` (no data) never is. */
export function goalMet(goal: Goal): boolean {
  if (Number.isNaN(goal.measured)) return false;
  return goal.comparison === '≤' ? goal.measured <= goal.target : goal.measured >= goal.target;
}

/** The goals as rows of one table titled `table`: goal, measured, target and `met` / `missed`. */
export function goalRows(table: string, goals: readonly Goal[]): BenchRow[] {
  return goals.map((goal) => ({
    table,
    goal: goal.goal,
    measured: goal.measured,
    target: `${goal.comparison} ${goal.target}`,
    result: goalMet(goal) ? 'met' : 'missed',
  }));
}
