import { describe, expect, it } from 'vitest';
import { RetryableError } from '../errors/errors.js';
import { createSupervisor } from '../supervisor/supervisor.js';
import { runAgentOnce } from './run-agent.js';
import { scriptedAgent } from './scripted-agent.js';

describe('testing helpers', () => {
  it('scriptedAgent follows its script; runAgentOnce collects events and reports them live', async () => {
    const agent = scriptedAgent('writer', [{ error: new RetryableError('busy') }, { value: 'done' }]);
    const live: string[] = [];
    const { result, events } = await runAgentOnce(
      agent,
      { topic: 'x' },
      { step: { retry: { initialDelayMs: 1 } }, onEvent: (event) => live.push(event.type) },
    );
    expect(result).toMatchObject({ status: 'succeeded', outputs: { agent: 'done' } });
    expect(agent.calls.map((call) => call.attempt)).toEqual([1, 2]);
    expect(agent.calls[0]!.idempotencyKey).toBe(`${result.runId}:agent`);
    expect(events.map((event) => event.type)).toEqual(live);
    expect(live).toContain('step.retrying');
  });

  it('runAgentOnce accepts an existing supervisor and detaches its listener afterwards', async () => {
    const supervisor = createSupervisor();
    const { result } = await runAgentOnce(scriptedAgent('a', [{ value: 1 }]), null, { supervisor });
    expect(result.status).toBe('succeeded');
    expect(supervisor.health().a).toMatchObject({ calls: 1 });
  });
});
