import { readFile } from 'node:fs/promises';
import { dirname, extname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CliError } from '../errors.js';
import { formatConfigIssues } from './config-issues.js';
import { configSchema } from './config-schema.js';
import type { BatonConfig } from './define-config.js';
import { configSearchDirs, findConfigFile } from './find-config.js';

/** A config as loaded, with where it came from. */
export interface LoadedConfig {
  config: BatonConfig;
  /** Absolute path of the config file; undefined when none was found. */
  file: string | undefined;
  /** The project folder: the config file's folder, or the folder the search started in. */
  projectDir: string;
  /** The folders searched for a config, nearest first (empty when the file was named by --config or $BATON_CONFIG). */
  searched: string[];
}

/**
 * Loads the config named by `explicitFile` (or `$BATON_CONFIG`), else the one
 * `findConfigFile(searchFrom)` finds, else an empty config (fs store in
 * `searchFrom/.baton`, empty registry).
 */
export async function loadConfig(options: {
  explicitFile?: string | undefined;
  searchFrom: string;
}): Promise<LoadedConfig> {
  const named = options.explicitFile ?? process.env.BATON_CONFIG;
  const file = named ? resolve(named) : findConfigFile(options.searchFrom);
  const searched = named ? [] : configSearchDirs(options.searchFrom);
  if (!file) return { config: {}, file: undefined, projectDir: resolve(options.searchFrom), searched };
  const exported = await importConfig(file);
  const parsed = configSchema.safeParse(exported, { reportInput: true });
  if (!parsed.success) throw CliError.config(file, formatConfigIssues(parsed.error.issues).join('; '), parsed.error);
  return { config: exported as BatonConfig, file, projectDir: dirname(file), searched };
}

async function importConfig(file: string): Promise<unknown> {
  const extension = extname(file);
  try {
    if (extension === '.json') return JSON.parse(await readFile(file, 'utf8'));
    if (extension === '.ts' || extension === '.mts') return await importTypeScript(file);
    const module = (await import(pathToFileURL(file).href)) as { default?: unknown };
    return module.default;
  } catch (error) {
    if (CliError.isInstance(error)) throw error;
    const syntax = await locateSyntaxError(file, extension, error);
    if (syntax) throw CliError.config(`${file}:${syntax.line}:${syntax.col}`, `syntax error: ${syntax.reason}`, error);
    const reason = error instanceof Error ? error.message : String(error);
    throw CliError.config(file, `could not be loaded: ${reason}`, error);
  }
}

/**
 * Where a config's syntax error is. JSON reports an offset; jiti (used for TypeScript, and re-run for a JS
 * file whose native import failed, since Node's SyntaxError carries no position) reports `file:line:col`.
 */
async function locateSyntaxError(
  file: string,
  extension: string,
  error: unknown,
): Promise<{ line: number; col: number; reason: string } | undefined> {
  if (!(error instanceof Error)) return undefined;
  if (extension === '.json' && error instanceof SyntaxError) {
    const offset = /at position (\d+)/.exec(error.message);
    if (!offset) return undefined;
    const before = (await readFile(file, 'utf8')).slice(0, Number(offset[1]));
    const line = before.split('\n').length;
    const reason = error.message.replace(/ in JSON at position \d+.*$/s, '');
    return { line, col: before.length - before.lastIndexOf('\n'), reason };
  }
  let parseError: Error = error;
  if (extension !== '.ts' && extension !== '.mts') {
    // Node throws a SyntaxError; a bundler-backed loader (vitest) throws its own "Parse failure".
    if (!(error instanceof SyntaxError) && !/\bparse\b/i.test(error.message)) return undefined;
    parseError = await importTypeScript(file).then(
      () => error,
      (jitiError: unknown) => (jitiError instanceof Error ? jitiError : error),
    );
  }
  const escaped = file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const located = new RegExp(`${escaped}:(\\d+):(\\d+)`).exec(parseError.message);
  if (!located) return undefined;
  const reason = (error instanceof SyntaxError ? error.message : parseError.message.split('\n')[0]!)
    .replace(/^ParseError:\s*/, '')
    .trim();
  return { line: Number(located[1]), col: Number(located[2]), reason };
}

// jiti is only loaded for TypeScript configs: it transpiles them in-process, so users need no build step.
async function importTypeScript(file: string): Promise<unknown> {
  const { createJiti } = await import('jiti');
  const jiti = createJiti(import.meta.url, { moduleCache: false });
  return jiti.import(file, { default: true });
}
