import { BatonError } from '@baton/core';
import { ExitCode, type ExitCodeValue } from './exit-codes.js';

/**
 * An error the CLI reports as one clean message (no stack) and turns into an
 * exit code: bad flags, an unreadable config or workflow file, an unknown run.
 */
export class CliError extends BatonError {
  /** The process exit code this error leads to. */
  readonly exitCode: ExitCodeValue;

  constructor(message: string, options: { code?: string; exitCode?: ExitCodeValue; cause?: unknown } = {}) {
    super(options.code ?? 'BATON_CLI_USAGE', { message, cause: options.cause }, 'fatal');
    this.exitCode = options.exitCode ?? ExitCode.usage;
  }

  /** A problem with the project config file (`baton.config.*`). */
  static config(file: string, reason: string, cause?: unknown): CliError {
    return new CliError(`Invalid config ${file}: ${reason}`, { code: 'BATON_CLI_CONFIG', cause });
  }
}
