/**
 * The contract between `src/run.ts` and a `src/*.bench.ts` file (see bench/README.md).
 * Kept free of imports so every bench file can use it without pulling in anything else.
 */

/** A printable cell value: numbers are formatted by the runner, `null` prints as `-`. */
export type Cell = string | number | boolean | null;

/**
 * One result row. Rows with the same `table` value are printed together as one
 * table whose columns are the rows' other keys, in the order they first appear.
 */
export interface BenchRow {
  /** Title of the table the row belongs to. */
  table: string;
  [column: string]: Cell;
}

/** What the runner hands to a bench (also readable by script-style benches via `readContext()`). */
export interface BenchContext {
  /** Fewer, shorter samples: for smoke runs and tests, not for numbers worth quoting. */
  quick: boolean;
  /** Also run measurements that take minutes (e.g. LangGraph's quadratic 100k-node build). */
  full: boolean;
  /** Flags the runner did not recognise, passed through untouched (e.g. `--case=chain`). */
  args: string[];
}

/** The default export of a function-style bench file. */
export type BenchFunction = (ctx: BenchContext) => Promise<BenchRow[]>;

/** Environment variable the runner uses to pass the `BenchContext` to a bench process. */
export const CONTEXT_ENV = 'BATON_BENCH_CONTEXT';

/** The context of the current bench process (defaults when started by hand). */
export function readContext(): BenchContext {
  const raw = process.env[CONTEXT_ENV];
  if (!raw) return { quick: false, full: false, args: process.argv.slice(2) };
  return JSON.parse(raw) as BenchContext;
}

/** A message a bench process sends to the runner over IPC. */
export interface RowsMessage {
  type: 'baton-bench-rows';
  rows: BenchRow[];
}

/**
 * Hands rows to the runner from a script-style bench (one without a default export).
 * Outside the runner (no IPC channel) it prints them as JSON instead.
 */
export function reportRows(rows: BenchRow[]): Promise<void> {
  const message: RowsMessage = { type: 'baton-bench-rows', rows };
  if (!process.send) {
    console.log(JSON.stringify(rows, null, 2));
    return Promise.resolve();
  }
  return new Promise((resolve, reject) => {
    process.send!(message, undefined, {}, (error) => (error ? reject(error) : resolve()));
  });
}

/** Progress text for humans; goes to stderr so stdout stays the tables. */
export function log(message: string): void {
  process.stderr.write(`  ${message}\n`);
}
