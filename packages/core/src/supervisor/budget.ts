import type { UsageTotals } from '../checkpoint/types.js';
import { BudgetExceededError } from '../errors/wait-errors.js';
import type { BudgetOptions, ModelPrice, TokenUsage } from '../workflow/types.js';
import type { PlannedStep } from './compile-plan.js';
import { WaitSuspension } from './waits.js';

/** The key of the wait a `suspend` budget opens. */
export const BUDGET_WAIT_KEY = 'budget';

/** JSON Schema of a budget answer: how much more to allow. */
const BUDGET_ANSWER_SCHEMA: Record<string, unknown> = {
  type: 'object',
  properties: { tokens: { type: 'number', minimum: 0 }, costUsd: { type: 'number', minimum: 0 } },
  additionalProperties: false,
};

/** Tokens of one report: `totalTokens`, else input + output. */
function tokensOf(usage: TokenUsage): number {
  return usage.totalTokens ?? (usage.inputTokens ?? 0) + (usage.outputTokens ?? 0);
}

/** USD of one report by the price table; a model not listed (or no model) costs 0. */
function costOf(usage: TokenUsage, prices: Readonly<Record<string, ModelPrice>> | undefined): number {
  const price = usage.model === undefined ? undefined : prices?.[usage.model];
  if (!price) return 0;
  return (
    ((usage.inputTokens ?? 0) * price.inputUsdPerMillion + (usage.outputTokens ?? 0) * price.outputUsdPerMillion) / 1e6
  );
}

/**
 * One execution's usage accounting: the run's total (what earlier executions recorded plus this one's), each
 * step's usage in this execution, the raises people allowed (answers to `budget` waits), and the breach that
 * ends a step which crossed a budget (kept so that an agent swallowing the thrown error cannot hide it).
 */
export class UsageLedger {
  private readonly run: UsageTotals;
  private readonly steps: (UsageTotals | undefined)[];
  private readonly breaches: unknown[];

  constructor(
    prior: UsageTotals,
    private readonly raise: UsageTotals,
    stepCount: number,
    private readonly runBudget: BudgetOptions | undefined,
    private readonly prices: Readonly<Record<string, ModelPrice>> | undefined,
  ) {
    this.run = { ...prior };
    this.steps = new Array<UsageTotals | undefined>(stepCount);
    this.breaches = new Array<unknown>(stepCount);
  }

  /** Adds a report; throws (and remembers) `BudgetExceededError` or a `budget` `WaitSuspension` on a breach. */
  charge(step: PlannedStep, usage: TokenUsage): void {
    const tokens = tokensOf(usage);
    const costUsd = costOf(usage, this.prices);
    const own = (this.steps[step.index] ??= { tokens: 0, costUsd: 0 });
    own.tokens += tokens;
    own.costUsd += costUsd;
    this.run.tokens += tokens;
    this.run.costUsd += costUsd;
    const breach =
      this.check(step, 'step', step.definition.budget, own) ?? this.check(step, 'run', this.runBudget, this.run);
    if (breach === undefined) return;
    this.breaches[step.index] ??= breach;
    throw breach;
  }

  /** What the step reported in this execution, if anything. */
  stepUsage(index: number): UsageTotals | undefined {
    return this.steps[index];
  }

  /** The breach that ends this step's attempts, if its usage crossed a budget. */
  breachOf(index: number): unknown {
    return this.breaches[index];
  }

  private check(
    step: PlannedStep,
    scope: 'step' | 'run',
    budget: BudgetOptions | undefined,
    used: UsageTotals,
  ): unknown {
    if (!budget) return undefined;
    for (const measure of ['tokens', 'costUsd'] as const) {
      const base = budget[measure];
      if (base === undefined) continue;
      const limit = base + this.raise[measure];
      if (used[measure] <= limit) continue;
      if (budget.onExceeded === 'fail') return new BudgetExceededError(step.id, scope, measure, used[measure], limit);
      const unit = measure === 'tokens' ? 'tokens' : 'USD';
      return new WaitSuspension(
        {
          stepId: step.id,
          key: BUDGET_WAIT_KEY,
          prompt: `Step '${step.id}' used ${used[measure]} ${unit}, over the ${scope === 'run' ? "run's" : "step's"} budget of ${limit}: allow how much more ({ tokens?, costUsd? })?`,
          schema: BUDGET_ANSWER_SCHEMA,
        },
        true,
      );
    }
    return undefined;
  }
}
