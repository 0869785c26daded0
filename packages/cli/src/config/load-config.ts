import { readFile } from 'node:fs/promises';
import { dirname, extname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CliError } from '../errors.js';
import { configSchema } from './config-schema.js';
import type { BatonConfig } from './define-config.js';
import { findConfigFile } from './find-config.js';

/** A config as loaded, with where it came from. */
export interface LoadedConfig {
  config: BatonConfig;
  /** Absolute path of the config file; undefined when none was found. */
  file: string | undefined;
  /** The project folder: the config file's folder, or the folder the search started in. */
  projectDir: string;
}

/**
 * Loads the config named by `explicitFile` (or `$BATON_CONFIG`), else the one
 * `findConfigFile(searchFrom)` finds, else an empty config (fs store in
 * `searchFrom/.baton`, empty registry).
 */
export async function loadConfig(options: { explicitFile?: string | undefined; searchFrom: string }): Promise<LoadedConfig> {
  const named = options.explicitFile ?? process.env.BATON_CONFIG;
  const file = named ? resolve(named) : findConfigFile(options.searchFrom);
  if (!file) return { config: {}, file: undefined, projectDir: resolve(options.searchFrom) };
  const exported = await importConfig(file);
  const parsed = configSchema.safeParse(exported);
  if (!parsed.success) {
    const details = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`).join('; ');
    throw CliError.config(file, details);
  }
  return { config: exported as BatonConfig, file, projectDir: dirname(file) };
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
    const reason = error instanceof Error ? error.message : String(error);
    throw CliError.config(file, `could not be loaded: ${reason}`, error);
  }
}

// jiti is only loaded for TypeScript configs: it transpiles them in-process, so users need no build step.
async function importTypeScript(file: string): Promise<unknown> {
  const { createJiti } = await import('jiti');
  const jiti = createJiti(import.meta.url, { moduleCache: false });
  return jiti.import(file, { default: true });
}
