import { close, fdatasync, fsync, open, writeSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { DurableSample, RunLines } from './types.js';

const openAsync = promisify(open);
const closeAsync = promisify(close);
const fdatasyncAsync = promisify(fdatasync);
const fsyncAsync = promisify(fsync);

/**
 * The raw floor: `runs` files created at once (timed, as the store creates its logs), each
 * given `lines` one at a time with write + fdatasync on the thread pool (as the store syncs),
 * then one fsync of the directory for the new entries. No group commit: one sync per line.
 */
export async function floorRuns(dir: string, runs: number, lines: RunLines): Promise<DurableSample> {
  const fds: number[] = [];
  try {
    const started = performance.now();
    await Promise.all(
      Array.from({ length: runs }, async (_, index) => {
        const fd = await openAsync(join(dir, `r${index}.jsonl`), 'a');
        fds.push(fd);
        for (const line of lines) {
          writeSync(fd, line);
          await fdatasyncAsync(fd);
        }
      }),
    );
    const directory = await openAsync(dir, 'r');
    await fsyncAsync(directory);
    await closeAsync(directory);
    const ms = performance.now() - started;
    return { ms, records: runs * lines.length, commits: runs * lines.length + 1 };
  } finally {
    await Promise.all(fds.map((fd) => closeAsync(fd)));
  }
}
