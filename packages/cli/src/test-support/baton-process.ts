import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The built binary the integration tests drive. */
export const BIN = fileURLToPath(new URL('../../dist/bin.js', import.meta.url));
const FIXTURES = fileURLToPath(new URL('../__fixtures__', import.meta.url));
const PACKAGE_MODULES = fileURLToPath(new URL('../../node_modules', import.meta.url));

/** Fails loudly (never skips) when the package was not built: `pnpm build` runs before `test:int`. */
export function assertBuilt(): void {
  if (!existsSync(BIN)) throw new Error(`${BIN} is missing: build the package first (pnpm --filter @baton/cli build)`);
}

/**
 * A fresh copy of a fixture project (a folder of `src/__fixtures__`) in a temp folder. With `linkModules`, its
 * `node_modules` links to this package's, so the project's own modules can import `@baton/core` and the stores.
 */
export function makeProject(fixture = 'project', options: { linkModules?: boolean } = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'baton-cli-'));
  cpSync(join(FIXTURES, fixture), dir, { recursive: true });
  if (options.linkModules) symlinkSync(PACKAGE_MODULES, join(dir, 'node_modules'), 'dir');
  return dir;
}

/** Environment for a child: no colour, no inherited config, no forced colour from the test runner. */
export function childEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', ...extra };
  delete env.FORCE_COLOR;
  delete env.BATON_CONFIG;
  return env;
}

/** What a finished child printed and how it exited. */
export interface Finished {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** A running child with its output so far. */
export interface Running {
  child: ChildProcessWithoutNullStreams;
  readonly stdout: string;
  readonly stderr: string;
  /** Resolves once `pattern` appears in stdout or stderr (rejects if the child exits first). */
  waitFor(pattern: RegExp): Promise<void>;
  done: Promise<Finished>;
}

/** Starts `command args` in `cwd`, collecting its output. */
export function start(
  command: string,
  args: readonly string[],
  cwd: string,
  env: NodeJS.ProcessEnv = childEnv(),
): Running {
  const child = spawn(command, [...args], { cwd, env });
  let stdout = '';
  let stderr = '';
  const waiters: { pattern: RegExp; resolve: () => void }[] = [];
  const check = () => {
    for (const waiter of [...waiters]) {
      if (waiter.pattern.test(stdout) || waiter.pattern.test(stderr)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve();
      }
    }
  };
  child.stdout.on('data', (chunk: Buffer) => ((stdout += chunk.toString('utf8')), check()));
  child.stderr.on('data', (chunk: Buffer) => ((stderr += chunk.toString('utf8')), check()));
  const done = new Promise<Finished>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })),
  );
  return {
    child,
    get stdout() {
      return stdout;
    },
    get stderr() {
      return stderr;
    },
    waitFor(pattern) {
      return new Promise<void>((resolve, reject) => {
        waiters.push({ pattern, resolve });
        check();
        void done.then(({ code }) =>
          reject(new Error(`exited (${code}) before ${pattern} appeared.\nstdout: ${stdout}\nstderr: ${stderr}`)),
        );
      });
    },
    done,
  };
}

/** Starts the `baton` binary with `args` in `cwd`. */
export function startBaton(args: readonly string[], cwd: string, env?: NodeJS.ProcessEnv): Running {
  return start(process.execPath, [BIN, ...args], cwd, env);
}

/** Runs the `baton` binary to completion. */
export function baton(args: readonly string[], cwd: string, env?: NodeJS.ProcessEnv): Promise<Finished> {
  return startBaton(args, cwd, env).done;
}
