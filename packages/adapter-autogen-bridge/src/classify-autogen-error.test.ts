import { describe, expect, it } from 'vitest';
import { BridgeProtocolError, BridgeRunError } from '@baton/bridge';
import { classifyAutoGenError } from './classify-autogen-error.js';

describe('classifyAutoGenError', () => {
  it.each([
    ['autogen_core.exceptions.CantHandleException', 'fatal'],
    ['autogen_core.exceptions.UndeliverableException', 'fatal'],
    ['autogen_core.utils._json_to_pydantic.UnsupportedKeywordError', 'fatal'],
    ['openai.RateLimitError', 'rate_limited'],
    ['openai.APITimeoutError', 'timeout'],
    ['openai.AuthenticationError', 'fatal'],
  ])('classifies %s as %s', (pythonType, kind) => {
    expect(classifyAutoGenError(new BridgeRunError({ message: 'x', pythonType }))).toEqual({ kind });
  });

  it("uses the participant's own type recovered from a team error", () => {
    const error = new BridgeRunError({
      message: 'RateLimitError: slow down',
      pythonType: 'baton_bridge.errors.RunError',
      details: { framework: 'autogen', errorType: 'RateLimitError' },
    });
    expect(classifyAutoGenError(error)).toEqual({ kind: 'rate_limited' });
  });

  it('leaves explicit kinds, HTTP statuses, unknown types and other errors to core', () => {
    expect(
      classifyAutoGenError(new BridgeRunError({ message: 'x', pythonType: 'openai.RateLimitError', kind: 'fatal' })),
    ).toBeUndefined();
    expect(
      classifyAutoGenError(new BridgeRunError({ message: 'x', pythonType: 'openai.RateLimitError', status: 429 })),
    ).toBeUndefined();
    expect(
      classifyAutoGenError(new BridgeRunError({ message: 'x', pythonType: 'builtins.ValueError' })),
    ).toBeUndefined();
    expect(classifyAutoGenError(new BridgeProtocolError({ message: 'bad frame' }))).toBeUndefined();
  });
});
