import { BatonError } from '@baton/core';

/** The pool, worker or agent was closed; it accepts no more calls. Fatal. */
export class BridgeClosedError extends BatonError {
  constructor(what: string) {
    super('BATON_BRIDGE_CLOSED', { message: `${what} is closed and accepts no more calls` }, 'fatal');
  }
}
