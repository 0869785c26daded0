import { isAbsolute, resolve } from 'node:path';

/** What `pnpm bench -- ...` asked for. */
export interface RunnerArgs {
  /** Bench names (or parts of names) to run; empty means all. */
  filters: string[];
  /** Where to write JSON results, or undefined for none. */
  json?: string;
  quick: boolean;
  full: boolean;
  list: boolean;
  help: boolean;
  /** Other `--flags`, handed to every bench. */
  passThrough: string[];
}

/** Used when `--json` is given without a file name (relative to the bench package). */
export const DEFAULT_JSON = 'results/latest.json';

/**
 * Parses runner arguments. `--` separators (pnpm forwards them) are ignored;
 * `--json` takes the next word as its file only if it ends in `.json`, so
 * `--json core` means "JSON to the default file, run `core`". A file name is
 * relative to `cwd` (where the user typed the command).
 */
export function parseArgs(argv: readonly string[], dirs: { cwd: string; benchDir: string }): RunnerArgs {
  const out: RunnerArgs = { filters: [], quick: false, full: false, list: false, help: false, passThrough: [] };
  const toPath = (file: string): string => (isAbsolute(file) ? file : resolve(dirs.cwd, file));
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') continue;
    if (arg === '--quick') out.quick = true;
    else if (arg === '--full') out.full = true;
    else if (arg === '--list') out.list = true;
    else if (arg === '--help' || arg === '-h') out.help = true;
    else if (arg.startsWith('--json=')) out.json = toPath(arg.slice('--json='.length));
    else if (arg === '--json') {
      const next = argv[i + 1];
      if (next !== undefined && next.endsWith('.json')) {
        out.json = toPath(next);
        i++;
      } else out.json = resolve(dirs.benchDir, DEFAULT_JSON);
    } else if (arg.startsWith('-')) out.passThrough.push(arg);
    else out.filters.push(arg);
  }
  return out;
}

/** Bench names matching the filters: a filter selects every name containing it. */
export function selectBenches(names: readonly string[], filters: readonly string[]): string[] {
  if (filters.length === 0) return [...names];
  return names.filter((name) => filters.some((filter) => name.includes(filter)));
}
