import { BatonError } from '@baton/core';

/** An adapter factory was given something it cannot use: invalid options, a non-agent, a non-function. */
export class AiSdkAdapterOptionsError extends BatonError {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super('BATON_AI_SDK_INVALID_OPTIONS', { message, cause: options.cause }, 'fatal');
  }
}
