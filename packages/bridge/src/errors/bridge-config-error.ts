import { BatonError } from '@baton/core';

/** Options of {@link BridgeConfigError}. */
export interface BridgeConfigErrorOptions {
  message: string;
  /** The JSON-RPC error code, when the Python side reported it. */
  rpcCode?: number;
  data?: unknown;
  cause?: unknown;
}

/**
 * The bridge is misconfigured or misused: bad options, an unknown runner, a target that cannot be
 * imported, invalid run params, an output that is not JSON or too large. Fatal.
 */
export class BridgeConfigError extends BatonError {
  readonly rpcCode: number | undefined;
  readonly data: unknown;

  constructor(options: BridgeConfigErrorOptions) {
    super('BATON_BRIDGE_CONFIG', { message: options.message, cause: options.cause }, 'fatal');
    this.rpcCode = options.rpcCode;
    this.data = options.data;
  }
}
