import { describe, expect, it } from 'vitest';
import { BridgeCrashError, BridgeRunError } from '@baton/bridge';
import { classifyCrewAIError } from './classify-crewai-error.js';

const failure = (pythonType: string, extra: Partial<ConstructorParameters<typeof BridgeRunError>[0]> = {}) =>
  new BridgeRunError({ message: `${pythonType}: boom`, pythonType, ...extra });

describe('classifyCrewAIError', () => {
  it.each([
    ['crewai.hooks.dispatch.HookAborted', 'fatal'],
    ['crewai.llms.base_llm.LLMCallBlockedError', 'fatal'],
    ['crewai.utilities.exceptions.context_window_exceeding_exception.LLMContextLengthExceededError', 'fatal'],
    ['pydantic_core._pydantic_core.ValidationError', 'fatal'],
    ['crewai.utilities.converter.ConverterError', 'retryable'],
    ['openai.RateLimitError', 'rate_limited'],
    ['litellm.exceptions.RateLimitError', 'rate_limited'],
    ['openai.APITimeoutError', 'timeout'],
    ['openai.APIConnectionError', 'retryable'],
    ['openai.AuthenticationError', 'fatal'],
    ['anthropic.BadRequestError', 'fatal'],
  ])('classifies %s as %s', (pythonType, kind) => {
    expect(classifyCrewAIError(failure(pythonType))).toEqual({ kind });
  });

  it('leaves explicit kinds, HTTP statuses and unknown types to core', () => {
    expect(classifyCrewAIError(failure('openai.RateLimitError', { kind: 'fatal' }))).toBeUndefined();
    expect(classifyCrewAIError(failure('openai.InternalServerError', { status: 503 }))).toBeUndefined();
    expect(classifyCrewAIError(failure('builtins.ValueError'))).toBeUndefined();
  });

  it('ignores errors that are not Python run failures', () => {
    expect(classifyCrewAIError(new BridgeCrashError({ message: 'gone', reason: 'signal' }))).toBeUndefined();
    expect(classifyCrewAIError(new Error('RateLimitError'))).toBeUndefined();
    expect(classifyCrewAIError(undefined)).toBeUndefined();
  });
});
