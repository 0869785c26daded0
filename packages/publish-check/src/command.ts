import { spawn } from 'node:child_process';

/** What a finished command printed and how it exited. */
export interface CommandResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** A command of the publish check exited non-zero: `label` says which package and which check. */
export class CommandFailedError extends Error {
  /** Stable code. */
  readonly code = 'PUBLISH_CHECK_COMMAND_FAILED';
  override readonly name = 'CommandFailedError';

  constructor(
    /** Which package and which check, e.g. `@baton/core: attw --profile esm-only`. */
    readonly label: string,
    /** The command line that ran. */
    readonly command: string,
    /** Its exit code and output. */
    readonly result: CommandResult,
  ) {
    super(
      `${label}: \`${command}\` exited with ${result.code}\n--- stdout\n${result.stdout.trim()}\n--- stderr\n${result.stderr.trim()}`,
    );
  }
}

/** Runs `command args` in `cwd` to completion; never rejects on a non-zero exit (see {@link runOrThrow}). */
export function run(
  command: string,
  args: readonly string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv },
): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, [...args], { cwd: options.cwd, env: options.env ?? process.env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Runs a command and throws a {@link CommandFailedError} naming `label` when it exits non-zero. */
export async function runOrThrow(
  label: string,
  command: string,
  args: readonly string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv },
): Promise<CommandResult> {
  const result = await run(command, args, options);
  if (result.code !== 0) throw new CommandFailedError(label, [command, ...args].join(' '), result);
  return result;
}
