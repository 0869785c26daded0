import { describe, expect, it } from 'vitest';
import { BridgeConfigError, BridgeRunError } from '@baton/bridge';
import type { StepContext } from '@baton/core';
import { CREWAI_QUIET_ENV, crewAIAgent, crewAIBridgeOptions } from './crewai-agent.js';
import { CrewAIInputError } from './errors.js';

describe('crewAIBridgeOptions', () => {
  it('fixes the runner, derives the id and keeps CrewAI offline unless the user says otherwise', () => {
    const options = crewAIBridgeOptions({
      target: 'app.crews:build',
      env: { CREWAI_TRACING_ENABLED: 'true', X: '1' },
      python: 'py',
    });
    expect(options).toMatchObject({
      id: 'crewai:app.crews:build',
      runner: 'crewai',
      target: 'app.crews:build',
      python: 'py',
    });
    expect(options.env).toEqual({ ...CREWAI_QUIET_ENV, CREWAI_TRACING_ENABLED: 'true', X: '1' });
    expect(crewAIBridgeOptions({ target: 'a:b', id: 'mine' }).id).toBe('mine');
  });

  it("consults the user's classifier before the adapter's", () => {
    const rateLimit = new BridgeRunError({ message: 'slow down', pythonType: 'openai.RateLimitError' });
    const own = crewAIBridgeOptions({ target: 'a:b', classifyError: () => ({ kind: 'fatal' }) });
    expect(own.classifyError?.(rateLimit)).toEqual({ kind: 'fatal' });
    const passThrough = crewAIBridgeOptions({ target: 'a:b', classifyError: () => undefined });
    expect(passThrough.classifyError?.(rateLimit)).toEqual({ kind: 'rate_limited' });
  });

  it.each(['', 'no_colon', 'a:', ':b', 'a b:c'])('rejects the target %j', (target) => {
    expect(() => crewAIBridgeOptions({ target })).toThrow(BridgeConfigError);
  });
});

describe('crewAIAgent', () => {
  it('rejects inputs CrewAI cannot take before starting any worker', async () => {
    // No worker can start with this interpreter: the input check must come first.
    const agent = crewAIAgent({ target: 'a:b', python: '/nonexistent/python' });
    for (const input of ['text', [1, 2], 42, new Date()]) {
      const error = await Promise.resolve(agent.invoke(input as never, {} as StepContext)).catch(
        (caught: unknown) => caught,
      );
      expect(error).toBeInstanceOf(CrewAIInputError);
      expect(error).toMatchObject({ code: 'BATON_CREWAI_INPUT', kind: 'fatal' });
    }
    await agent.close?.();
  });
});
