import { describe, expect, it } from 'vitest';
import { BridgeCrashError } from './bridge-crash-error.js';
import { BridgeRunError } from './bridge-run-error.js';
import { classifyProviderError, createPythonErrorClassifier, pythonFailureOf } from './classify-python-error.js';

const failure = (pythonType: string, extra: Partial<ConstructorParameters<typeof BridgeRunError>[0]> = {}) =>
  new BridgeRunError({ message: `${pythonType}: boom`, pythonType, ...extra });

describe('pythonFailureOf', () => {
  it("reads the last segment of the Python type, preferring the runner's recovered details.errorType", () => {
    expect(pythonFailureOf(failure('litellm.exceptions.RateLimitError'))).toEqual({
      type: 'RateLimitError',
      explicitKind: false,
      details: {},
    });
    const recovered = failure('baton_bridge.errors.RunError', {
      kind: 'fatal',
      details: { errorType: 'openai.APITimeoutError', framework: 'x' },
    });
    expect(pythonFailureOf(recovered)).toEqual({
      type: 'APITimeoutError',
      explicitKind: true,
      details: { errorType: 'openai.APITimeoutError', framework: 'x' },
    });
  });

  it('ignores errors that are not Python run failures', () => {
    expect(pythonFailureOf(new BridgeCrashError({ message: 'gone', reason: 'signal' }))).toBeUndefined();
    expect(pythonFailureOf(new Error('RateLimitError'))).toBeUndefined();
    expect(pythonFailureOf(undefined)).toBeUndefined();
  });
});

describe('classifyProviderError', () => {
  it.each([
    ['RateLimitError', 'rate_limited'],
    ['ReadTimeout', 'timeout'],
    ['OverloadedError', 'retryable'],
    ['ContextWindowExceededError', 'fatal'],
  ])('classifies %s as %s', (type, kind) => {
    expect(classifyProviderError({ type })).toEqual({ kind });
  });

  it('leaves unknown classes alone', () => {
    expect(classifyProviderError({ type: 'ValueError' })).toBeUndefined();
  });
});

describe('createPythonErrorClassifier', () => {
  const classify = createPythonErrorClassifier({ FrameworkError: 'fatal', RateLimitError: 'retryable' });

  it("tries the framework's own classes first, then the LLM SDKs'", () => {
    expect(classify(failure('framework.FrameworkError'))).toEqual({ kind: 'fatal' });
    expect(classify(failure('openai.RateLimitError'))).toEqual({ kind: 'retryable' });
    expect(classify(failure('openai.AuthenticationError'))).toEqual({ kind: 'fatal' });
  });

  it('leaves explicit kinds, HTTP statuses (for SDK classes), unknown types and other errors to core', () => {
    expect(classify(failure('framework.FrameworkError', { kind: 'retryable' }))).toBeUndefined();
    expect(classify(failure('framework.FrameworkError', { status: 503 }))).toEqual({ kind: 'fatal' });
    expect(classify(failure('openai.InternalServerError', { status: 503 }))).toBeUndefined();
    expect(classify(failure('builtins.ValueError'))).toBeUndefined();
    expect(classify(new BridgeCrashError({ message: 'gone', reason: 'signal' }))).toBeUndefined();
  });
});
