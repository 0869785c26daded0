import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { ChildResult } from './cases.js';
import type { EngineName } from './engine.js';

// Bundled, this code sits in dist/ beside engine-child.js (see tsup.config.ts).
const childFile = fileURLToPath(new URL('./engine-child.js', import.meta.url));

/**
 * Measures one engine in a fresh process (see engine-child.ts). Never rejects:
 * a crash becomes an `error` result so one broken engine does not hide the others.
 */
export function measureInChild(engine: EngineName, task: 'steps' | 'concurrent'): Promise<ChildResult> {
  return new Promise((resolve) => {
    let answer: ChildResult | undefined;
    // env (inherited) carries the BenchContext.
    const child = fork(childFile, [engine, task], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    child.on('message', (message: ChildResult) => (answer = message));
    child.on('error', (error) => resolve({ kind: 'error', engine, task, message: error.message }));
    child.on('exit', (code, signal) => {
      resolve(
        answer ?? {
          kind: 'error',
          engine,
          task,
          message: `engine process exited with ${signal ?? `code ${code}`} and no result`,
        },
      );
    });
  });
}
