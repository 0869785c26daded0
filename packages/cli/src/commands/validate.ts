import { dirname, relative, resolve } from 'node:path';
import type { AgentRegistry } from '@baton/core';
import { loadConfig } from '../config/load-config.js';
import { resolveRegistry } from '../config/resolve-registry.js';
import { ExitCode, type ExitCodeValue } from '../exit-codes.js';
import type { GlobalOptions } from '../project.js';
import { checkWorkflowFile, type FileCheck } from '../workflow/check-workflow-file.js';
import { formatProblem } from '../workflow/format-problem.js';

/** Flags of `baton validate`. */
export interface ValidateOptions extends GlobalOptions {
  json?: boolean;
}

/**
 * `baton validate <file...>`: prints every problem of every file with its
 * position; exit 1 if any file has an error, 0 otherwise (warnings are printed).
 */
export async function validateCommand(files: string[], options: ValidateOptions): Promise<ExitCodeValue> {
  const checks: (FileCheck & { registryChecked: boolean; configSearched?: string[] })[] = [];
  const registries = new Map<string, Promise<RegistryFor>>();
  for (const file of files) {
    const { registry, checked, searched } = await registryFor(file, options, registries);
    checks.push({
      ...(await checkWorkflowFile(file, registry)),
      registryChecked: checked,
      ...(checked ? {} : { configSearched: searched }),
    });
  }
  const errorCount = checks.reduce((sum, check) => sum + check.errors.length, 0);
  if (options.json) {
    process.stdout.write(
      `${JSON.stringify({ ok: errorCount === 0, files: checks.map(({ document: _document, ...check }) => check) }, null, 2)}\n`,
    );
  } else {
    process.stdout.write(`${formatReport(checks)}\n`);
  }
  return errorCount > 0 ? ExitCode.failed : ExitCode.ok;
}

function formatReport(checks: (FileCheck & { registryChecked: boolean; configSearched?: string[] })[]): string {
  const lines: string[] = [];
  for (const check of checks) {
    const name = relative(process.cwd(), resolve(check.file)) || check.file;
    for (const problem of [...check.errors, ...check.warnings]) lines.push(formatProblem(name, problem));
    if (check.errors.length === 0)
      lines.push(`${name}: ok${check.warnings.length ? ` (${check.warnings.length} warning(s))` : ''}`);
    if (!check.registryChecked) {
      const where = check.configSearched?.length
        ? ` (looked for baton.config.* in: ${check.configSearched.join(', ')})`
        : '';
      lines.push(`${name}: note: no baton.config found, so \`uses:\` keys were not checked${where}`);
    }
  }
  const errors = checks.reduce((sum, check) => sum + check.errors.length, 0);
  const warnings = checks.reduce((sum, check) => sum + check.warnings.length, 0);
  lines.push(`${checks.length} file(s): ${errors} error(s), ${warnings} warning(s)`);
  return lines.join('\n');
}

/** The registry of the project a file belongs to (config searched from the file's folder), cached per config. */
interface RegistryFor {
  registry: AgentRegistry;
  checked: boolean;
  searched: string[];
}

async function registryFor(
  file: string,
  options: ValidateOptions,
  cache: Map<string, Promise<RegistryFor>>,
): Promise<RegistryFor> {
  const loaded = await loadConfig({ explicitFile: options.config, searchFrom: dirname(resolve(file)) });
  const key = loaded.file ?? `\0${loaded.searched[0] ?? ''}`;
  let entry = cache.get(key);
  if (!entry) {
    entry = loaded.file
      ? resolveRegistry(loaded.config.registry, loaded.projectDir, loaded.file).then((registry) => ({
          registry,
          checked: true,
          searched: loaded.searched,
        }))
      : Promise.resolve({ registry: acceptAnyKey(), checked: false, searched: loaded.searched });
    cache.set(key, entry);
  }
  return entry;
}

// Without a config there is no registry to check `uses:` against; everything else is still validated.
function acceptAnyKey(): AgentRegistry {
  const placeholder = () => undefined;
  return new Proxy(
    {},
    {
      get: () => placeholder,
      has: () => true,
      getOwnPropertyDescriptor: () => ({ value: placeholder, enumerable: true, configurable: true, writable: false }),
    },
  );
}
