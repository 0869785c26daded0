/**
 * Runs one bench file in its own process (started by `src/run.ts`), so benches
 * never share a heap, a JIT profile or a peak RSS.
 *   function style: the default export is called and its rows are sent back;
 *   script style:   importing the file runs it; it may call `reportRows` itself.
 */
import { pathToFileURL } from 'node:url';
import { readContext, reportRows, type BenchFunction } from './types.js';

async function main(): Promise<void> {
  const file = process.argv[2];
  if (!file) throw new Error('usage: child.ts <bench file>');
  const mod = (await import(pathToFileURL(file).href)) as { default?: unknown };
  if (typeof mod.default !== 'function') return; // a script: it already ran.
  const rows = await (mod.default as BenchFunction)(readContext());
  if (!Array.isArray(rows))
    throw new TypeError(`${file}: the default export must resolve to an array of rows, got ${typeof rows}`);
  await reportRows(rows);
  // Function-style benches are done once they resolve; don't wait for stray handles.
  process.exit(0);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
