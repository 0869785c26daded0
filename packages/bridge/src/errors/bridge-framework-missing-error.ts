import { BatonError } from '@baton/core';

/** Options of {@link BridgeFrameworkMissingError}. */
export interface BridgeFrameworkMissingErrorOptions {
  message: string;
  /** The Python module that is not importable, e.g. `crewai`. */
  framework: string;
  /** What to run to fix it, e.g. `pip install crewai`. */
  installHint: string;
  runner?: string;
}

/** The runner's framework (or a module the target imports) is not installed in the worker's Python. Fatal. */
export class BridgeFrameworkMissingError extends BatonError {
  readonly framework: string;
  readonly installHint: string;
  readonly runner: string | undefined;

  constructor(options: BridgeFrameworkMissingErrorOptions) {
    super('BATON_BRIDGE_FRAMEWORK_MISSING', { message: options.message }, 'fatal');
    this.framework = options.framework;
    this.installHint = options.installHint;
    this.runner = options.runner;
  }
}
