import { BatonError } from '@baton/core';

/** `fromRunnable` was given something it cannot use: a non-runnable, or invalid options. */
export class LangChainAdapterOptionsError extends BatonError {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super('BATON_LANGCHAIN_INVALID_OPTIONS', { message, cause: options.cause }, 'fatal');
  }
}
