import { createSupervisor, type SupervisorEvent } from '@baton/core';
import { describe, expect, it } from 'vitest';
import { researchWorkflow } from './research-workflow.js';

describe('the demo workflow', () => {
  it('retries the flaky check, opens the search breaker, falls back, and skips the escalation', async () => {
    const supervisor = createSupervisor({ retry: { initialDelayMs: 1 } });
    const events: SupervisorEvent[] = [];
    supervisor.on('*', (event) => events.push(event));
    const result = await supervisor.run(researchWorkflow({ flakyCalls: 0 }), { topic: 'breakers' });
    expect(result.status).toBe('succeeded');
    expect(result.steps).toMatchObject({
      check: { status: 'succeeded', attempts: 2 },
      search: { status: 'succeeded', attempts: 3 },
      escalate: { status: 'skipped' },
    });
    expect(result.outputs.write).toBe('Report on breakers: breakers: overview; breakers: history');
    expect(events.filter((event) => event.type === 'breaker.opened')).toEqual([
      expect.objectContaining({ key: 'primary-search', reason: '2 consecutive failures' }),
    ]);
    expect(events.find((event) => event.type === 'step.fallback')).toMatchObject({
      stepId: 'search',
      to: 'backup-search',
    });
  });
});
