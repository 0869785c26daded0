import { describe, expect, it } from 'vitest';
import { BridgeConfigError, BridgeRunError } from '@baton/bridge';
import { autogenBridgeOptions } from './autogen-agent.js';

describe('autogenBridgeOptions', () => {
  it('fixes the runner and derives the id', () => {
    expect(autogenBridgeOptions({ target: 'app.teams:build', pool: { size: 2 } })).toMatchObject({
      id: 'autogen:app.teams:build',
      runner: 'autogen',
      target: 'app.teams:build',
      pool: { size: 2 },
    });
    expect(autogenBridgeOptions({ target: './teams/review.JSON', id: 'review' })).toMatchObject({
      id: 'review',
      target: './teams/review.JSON',
    });
  });

  it("consults the user's classifier before the adapter's", () => {
    const error = new BridgeRunError({ message: 'x', pythonType: 'openai.AuthenticationError' });
    expect(autogenBridgeOptions({ target: 'a:b' }).classifyError?.(error)).toEqual({ kind: 'fatal' });
    expect(
      autogenBridgeOptions({ target: 'a:b', classifyError: () => ({ kind: 'retryable' }) }).classifyError?.(error),
    ).toEqual({ kind: 'retryable' });
  });

  it.each(['', 'module_only', 'team.yaml', 'a:b:c'])('rejects the target %j', (target) => {
    expect(() => autogenBridgeOptions({ target })).toThrow(BridgeConfigError);
  });
});
