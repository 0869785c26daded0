/**
 * `pnpm bench [-- [names...] [--json [file.json]] [--quick] [--full] [--list]]`
 * Discovers `src/*.bench.ts`, runs each selected one in its own process,
 * prints its rows as tables and optionally writes everything as JSON.
 */
import { fork } from 'node:child_process';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { cpus, loadavg, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs, selectBenches } from './lib/args.js';
import { renderTables } from './lib/table.js';
import { CONTEXT_ENV, type BenchContext, type BenchRow, type RowsMessage } from './lib/types.js';

// This file runs as dist/run.js; tsup puts every entry flat in dist/ (see tsup.config.ts).
const distDir = dirname(fileURLToPath(import.meta.url));
const benchDir = dirname(distDir);
const SUFFIX = '.bench.js';

const HELP = `usage: pnpm bench [-- [name...] [options]]
  name          run only benches whose name contains it (core, fs-store, s3, bridge, ...)
  --json [f]    also write results as JSON (default bench/results/latest.json)
  --quick       short smoke run (numbers not worth quoting)
  --full        include slow measurements (minutes)
  --list        list benches and exit
  other --flags are passed to every bench`;

/** Result of one bench file. */
interface FileResult {
  name: string;
  ok: boolean;
  exitCode: number | null;
  durationMs: number;
  rows: BenchRow[];
}

async function discover(): Promise<string[]> {
  const entries = await readdir(distDir);
  return entries
    .filter((entry) => entry.endsWith(SUFFIX))
    .map((entry) => entry.slice(0, -SUFFIX.length))
    .sort();
}

/** Runs one bench file in a child process; its stdout/stderr go straight to ours. */
function runFile(name: string, context: BenchContext): Promise<FileResult> {
  const started = performance.now();
  const rows: BenchRow[] = [];
  const child = fork(join(distDir, 'child.js'), [join(distDir, name + SUFFIX)], {
    env: { ...process.env, [CONTEXT_ENV]: JSON.stringify(context) },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  child.on('message', (message: RowsMessage) => {
    if (message?.type === 'baton-bench-rows') rows.push(...message.rows);
  });
  return new Promise((resolve) => {
    child.on('exit', (code) => {
      resolve({ name, ok: code === 0, exitCode: code, durationMs: performance.now() - started, rows });
    });
  });
}

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2), { cwd: process.env.INIT_CWD ?? process.cwd(), benchDir });
  const all = await discover();
  if (args.help || args.list) {
    console.log(args.help ? HELP : all.join('\n'));
    return 0;
  }
  const selected = selectBenches(all, args.filters);
  if (selected.length === 0) {
    console.error(`no bench matches ${args.filters.join(', ')}; have: ${all.join(', ')}`);
    return 2;
  }
  const context: BenchContext = { quick: args.quick, full: args.full, args: args.passThrough };
  const meta = {
    date: new Date().toISOString(),
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    cpu: cpus()[0]?.model ?? 'unknown',
    cpus: cpus().length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    // Other work on the machine skews every number: record how busy it was.
    loadAverage1m: loadavg()[0]!,
    ...context,
  };
  const header = `Baton bench · ${meta.date} · node ${meta.node} · ${meta.cpus}× ${meta.cpu} · load ${meta.loadAverage1m.toFixed(1)}`;
  console.log(`${header}${args.quick ? ' · QUICK (not for quoting)' : ''}\n`);
  const results: FileResult[] = [];
  for (const name of selected) {
    console.log(`## ${name}\n`);
    const result = await runFile(name, context);
    results.push(result);
    if (result.rows.length > 0) console.log(`${renderTables(result.rows)}\n`);
    const status = result.ok ? 'done' : `FAILED (exit ${result.exitCode})`;
    // Load after the bench too: a machine that got busy during the run shows up here.
    console.log(
      `(${name}: ${status} in ${(result.durationMs / 1000).toFixed(1)} s; load now ${loadavg()[0]!.toFixed(1)})\n`,
    );
  }
  if (args.json) {
    await mkdir(dirname(args.json), { recursive: true });
    await writeFile(args.json, `${JSON.stringify({ meta, results }, null, 2)}\n`);
    console.log(`JSON written to ${args.json}`);
  }
  return results.every((result) => result.ok) ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
