import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { AgentRegistry } from '@baton/core';
import { CliError } from '../errors.js';
import type { RegistryEntry } from './define-config.js';

/**
 * Turns the config's registry into what `parseWorkflowDocument` takes:
 * string entries (`"./agents.mjs#plan"`) are imported, relative to `projectDir`.
 */
export async function resolveRegistry(
  entries: Record<string, RegistryEntry> | undefined,
  projectDir: string,
  configFile: string,
): Promise<AgentRegistry> {
  const registry: Record<string, Exclude<RegistryEntry, string>> = {};
  for (const [key, entry] of Object.entries(entries ?? {})) {
    registry[key] = typeof entry === 'string' ? await importEntry(key, entry, projectDir, configFile) : entry;
  }
  return registry;
}

async function importEntry(
  key: string,
  specifier: string,
  projectDir: string,
  configFile: string,
): Promise<Exclude<RegistryEntry, string>> {
  const [modulePath = '', exportName = 'default'] = specifier.split('#');
  const target =
    modulePath.startsWith('.') || isAbsolute(modulePath)
      ? pathToFileURL(resolve(projectDir, modulePath)).href
      : modulePath;
  let module: Record<string, unknown>;
  try {
    module = (await import(target)) as Record<string, unknown>;
  } catch (error) {
    throw CliError.config(
      configFile,
      `registry.${key}: cannot import ${JSON.stringify(specifier)}: ${(error as Error).message}`,
      error,
    );
  }
  const value = module[exportName];
  const isAgentLike =
    typeof value === 'object' && value !== null && typeof (value as { invoke?: unknown }).invoke === 'function';
  if (typeof value !== 'function' && !isAgentLike) {
    throw CliError.config(
      configFile,
      `registry.${key}: export '${exportName}' of ${JSON.stringify(modulePath)} is not a function or an Agent`,
    );
  }
  return value as Exclude<RegistryEntry, string>;
}
