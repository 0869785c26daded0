import { describe, expect, it } from 'vitest';
import { MemoryCheckpointStore } from '../checkpoint/memory-store.js';
import { BudgetExceededError } from '../errors/wait-errors.js';
import { defineWorkflow } from '../workflow/define-workflow.js';
import type { StepContext, TokenUsage } from '../workflow/types.js';
import { createSupervisor } from './supervisor.js';

/** A step that reports `usage` once, then returns `value`. */
const spends =
  (usage: TokenUsage, value: string, calls: string[] = []) =>
  (_input: unknown, ctx: StepContext) => {
    calls.push(ctx.stepId);
    ctx.reportUsage(usage);
    return value;
  };

describe('budgets', () => {
  it("fails the step that crosses its own budget with a fatal BudgetExceededError (onExceeded 'fail'), not retried", async () => {
    const calls: string[] = [];
    const workflow = defineWorkflow({
      name: 'step-budget',
      version: '1',
      retry: { maxAttempts: 3, initialDelayMs: 1 },
      steps: {
        think: { run: spends({ totalTokens: 900 }, 'thought', calls), budget: { tokens: 500, onExceeded: 'fail' } },
      },
    });
    const result = await createSupervisor().run(workflow);
    expect(result.status).toBe('failed');
    expect(result.failedStep).toBe('think');
    expect(result.error).toBeInstanceOf(BudgetExceededError);
    expect(result.error).toMatchObject({ code: 'BATON_BUDGET_EXCEEDED', scope: 'step', used: 900, limit: 500 });
    expect(calls).toEqual(['think']);
  });

  it('fails even when the agent swallows the thrown breach', async () => {
    const workflow = defineWorkflow({
      name: 'swallowed',
      version: '1',
      steps: {
        think: {
          run: (_input: unknown, ctx: StepContext) => {
            try {
              ctx.reportUsage({ inputTokens: 400, outputTokens: 400 });
            } catch {
              // an adapter reporting usage from a callback that ignores errors
            }
            return 'done anyway';
          },
          budget: { tokens: 500, onExceeded: 'fail' },
        },
      },
    });
    const result = await createSupervisor().run(workflow);
    expect(result.status).toBe('failed');
    expect(result.error).toBeInstanceOf(BudgetExceededError);
  });

  it('prices cost from the supervisor price table per model and fails a run over its costUsd budget', async () => {
    const workflow = defineWorkflow({
      name: 'cost',
      version: '1',
      budget: { costUsd: 1, onExceeded: 'fail' },
      steps: {
        a: { run: spends({ model: 'big', inputTokens: 100_000, outputTokens: 50_000 }, 'A') },
        b: { needs: ['a'], run: spends({ model: 'big', inputTokens: 100_000, outputTokens: 50_000 }, 'B') },
        free: { run: spends({ model: 'unlisted', inputTokens: 10_000_000 }, 'F') },
      },
    });
    const supervisor = createSupervisor({ prices: { big: { inputUsdPerMillion: 2, outputUsdPerMillion: 8 } } });
    const result = await supervisor.run(workflow);
    // a costs 0.2 + 0.4 = 0.6 USD; b brings the run to 1.2 > 1; the unlisted model costs nothing.
    expect(result.status).toBe('failed');
    expect(result.failedStep).toBe('b');
    expect(result.error).toMatchObject({ scope: 'run', measure: 'costUsd', limit: 1 });
    expect(result.outputs).toMatchObject({ a: 'A', free: 'F' });
  });

  it("suspends with a 'budget' wait (onExceeded 'suspend'); the answer raises the run budget, usage is counted across resumes", async () => {
    const store = new MemoryCheckpointStore();
    const supervisor = createSupervisor({ store });
    const calls: string[] = [];
    const workflow = defineWorkflow({
      name: 'ask-more',
      version: '1',
      budget: { tokens: 500, onExceeded: 'suspend' },
      steps: {
        a: { run: spends({ totalTokens: 300 }, 'A', calls) },
        b: { needs: ['a'], run: spends({ totalTokens: 300 }, 'B', calls) },
        c: { needs: ['b'], run: spends({ totalTokens: 300 }, 'C', calls) },
      },
    });
    const first = await supervisor.run(workflow, undefined, { runId: 'money' });
    expect(first.status).toBe('suspended');
    expect(first.waiting).toMatchObject([{ stepId: 'b', key: 'budget', schema: { type: 'object' } }]);
    expect(first.waiting?.[0]?.prompt).toContain("used 600 tokens, over the run's budget of 500");
    // A bad answer is refused by the recorded JSON Schema, nothing appended.
    await expect(
      supervisor.resume(workflow, 'money', { inputs: { budget: { tokens: 'lots' } } }),
    ).rejects.toMatchObject({ code: 'BATON_INVALID_INPUT' });
    // Allow 200 more (limit 700). The suspended attempt of b really spent its 300 tokens (recorded with its wait):
    // the run stands at 600, b's re-run brings it to 900, so b asks again.
    const second = await supervisor.resume(workflow, 'money', { inputs: { budget: { tokens: 200 } } });
    expect(second.status).toBe('suspended');
    expect(second.waiting).toMatchObject([{ stepId: 'b', key: 'budget' }]);
    expect(second.waiting?.[0]?.prompt).toContain("used 900 tokens, over the run's budget of 700");
    // Allow 1000 more (limit 1700): 900 spent, b's re-run 1200, c 1500.
    const third = await supervisor.resume(workflow, 'money', { inputs: { budget: { tokens: 1000 } } });
    expect(third.status).toBe('succeeded');
    expect(third.outputs).toEqual({ a: 'A', b: 'B', c: 'C' });
    // a ran once (restored after), b three times (suspended twice), c once.
    expect(calls).toEqual(['a', 'b', 'b', 'b', 'c']);
    const records = await store.read('money');
    expect(records.filter((record) => record.type === 'step' && record.stepId === 'a')[0]).toMatchObject({
      usage: { tokens: 300, costUsd: 0 },
    });
  });

  it('refuses a budget without tokens or costUsd at definition time', () => {
    expect(() =>
      defineWorkflow({
        name: 'bad',
        version: '1',
        steps: { a: { run: () => 1, budget: { onExceeded: 'fail' } } },
      }),
    ).toThrow(/a budget needs `tokens` or `costUsd`/);
  });
});
