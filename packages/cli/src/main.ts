import { readFileSync } from 'node:fs';
import { BatonError } from '@baton/core';
import { CommanderError } from 'commander';
import { redactSecrets } from './config/redact.js';
import { CliError } from './errors.js';
import { ExitCode, type ExitCodeValue } from './exit-codes.js';
import { buildProgram } from './program.js';

// Errors that mean "the invocation was wrong", not "the work failed": exit 2.
const USAGE_CODES = new Set([
  'BATON_WORKFLOW_INVALID',
  'BATON_INVALID_RUN_ID',
  'BATON_RUN_NOT_FOUND',
  'BATON_RUN_EXISTS',
  'BATON_WORKFLOW_CHANGED',
  'BATON_INVALID_INPUT',
  'BATON_UNKNOWN_WAIT',
  'BATON_RUN_NOT_SUSPENDED',
]);

// The library's messages speak in API terms; these say what to type instead.
const HINTS: Record<string, string> = {
  BATON_RUN_EXISTS: 'to continue that run, use `baton resume <runId>`; to start a new one, pick another --run-id',
  BATON_WORKFLOW_CHANGED: 'pass --allow-changed to `baton resume` to resume under the changed workflow anyway',
  BATON_UNKNOWN_WAIT: 'see the waits of the run with `baton runs show <runId>`',
  BATON_INVALID_INPUT: 'the schema of each wait is shown by `baton runs show <runId>`; nothing was recorded',
  BATON_RUN_NOT_FOUND:
    'list the runs of this store with `baton runs list` (is --config / --store-dir pointing at the right project?)',
};

/**
 * Runs the CLI with `argv` (as `process.argv`: node, script, ...args) and
 * resolves to the exit code. Never rejects: errors are printed to stderr.
 */
export async function main(argv: readonly string[]): Promise<ExitCodeValue> {
  let code: ExitCodeValue = ExitCode.ok;
  const program = buildProgram(readVersion(), (exitCode) => (code = exitCode));
  try {
    await program.parseAsync([...argv]);
    return code;
  } catch (error) {
    return reportError(error);
  }
}

/** Every error message goes through here: a connection string's password is never printed. */
function printError(text: string): void {
  process.stderr.write(redactSecrets(text));
}

function reportError(error: unknown): ExitCodeValue {
  if (error instanceof CommanderError) {
    // Commander has already printed its message (or the help/version text).
    return error.exitCode === 0 ? ExitCode.ok : ExitCode.usage;
  }
  if (CliError.isInstance(error) && error instanceof CliError) {
    printError(`baton: ${error.message}\n`);
    return error.exitCode;
  }
  if (BatonError.isInstance(error)) {
    const hint = HINTS[error.code];
    printError(`baton: ${error.message} [${error.code}]\n${hint ? `hint: ${hint}\n` : ''}`);
    return USAGE_CODES.has(error.code) ? ExitCode.usage : ExitCode.failed;
  }
  printError(`baton: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  return ExitCode.failed;
}

function readVersion(): string {
  try {
    const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
      version?: string;
    };
    return manifest.version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
}
