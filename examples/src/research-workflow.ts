import { defineWorkflow, RetryableError, type Agent } from '@baton/core';

/** A search backend that is down: every call fails with a retryable error. */
export const primarySearch: Agent<{ topic: string }, string[]> = {
  id: 'primary-search',
  name: 'Primary search',
  async invoke() {
    throw Object.assign(new RetryableError('search backend unavailable (503)'), { status: 503 });
  },
};

/** The fallback used once the primary's breaker is open. */
export const backupSearch: Agent<{ topic: string }, string[]> = {
  id: 'backup-search',
  async invoke(plan) {
    return [`${plan.topic}: overview`, `${plan.topic}: history`];
  },
};

/** Builds the demo workflow; `flakyCalls` counts calls of the fact checker, which fails its first call. */
export function researchWorkflow(state: { flakyCalls: number }) {
  return defineWorkflow({
    name: 'research',
    version: '1.0.0',
    retry: { initialDelayMs: 50, jitter: 'none' },
    steps: {
      plan: { run: (input: { topic: string }) => ({ topic: input.topic, angles: ['facts', 'sources'] }) },
      // fan-out: search and check run in parallel after plan
      search: {
        run: primarySearch,
        needs: ['plan'],
        fallback: [backupSearch],
        breaker: { consecutiveFailures: 2, halfOpenAfterMs: 60_000 },
        retry: { maxAttempts: 4 },
      },
      check: {
        needs: ['plan'],
        run: async (plan: { topic: string }) => {
          state.flakyCalls++;
          if (state.flakyCalls === 1) throw new RetryableError('fact checker timed out once');
          return { ok: true, topic: plan.topic };
        },
      },
      // fan-in: write waits for both, and runs only when the check passed
      write: {
        needs: ['search', 'check'],
        when: (ctx) => (ctx.outputs.check as { ok: boolean }).ok,
        run: (deps: { search: string[]; check: { topic: string } }) =>
          `Report on ${deps.check.topic}: ${deps.search.join('; ')}`,
      },
      // a conditional step that is skipped in this demo
      escalate: {
        needs: ['check'],
        when: (ctx) => !(ctx.outputs.check as { ok: boolean }).ok,
        run: () => 'escalated to a human',
      },
    },
  });
}
