import { CliError } from '../errors.js';
import { ExitCode, type ExitCodeValue } from '../exit-codes.js';
import { pruneStore } from '../maintenance/store-maintenance.js';
import { openProject, type GlobalOptions } from '../project.js';
import { parseCountFlag, parseDurationFlag } from '../run/parse-flags.js';

/** Flags of `baton prune`. */
export interface PruneOptions extends GlobalOptions {
  olderThan?: string;
  keepLast?: string;
  dryRun?: boolean;
  json?: boolean;
}

/**
 * `baton prune --older-than 7d --keep-last N [--dry-run]`: deletes finished
 * runs last updated before the cutoff, always keeping the N most recent.
 * Unfinished (`running`) runs are never deleted.
 */
export async function pruneCommand(options: PruneOptions): Promise<ExitCodeValue> {
  const olderThanMs = parseDurationFlag('--older-than', options.olderThan);
  const keepLast = parseCountFlag('--keep-last', options.keepLast);
  if (olderThanMs === undefined && keepLast === undefined) {
    throw new CliError('prune needs --older-than <duration>, --keep-last <n>, or both (refusing to delete every run)');
  }
  const project = await openProject(options, process.cwd());
  try {
    const outcome = await pruneStore(project.store, { olderThanMs, keepLast, dryRun: Boolean(options.dryRun) });
    if (options.json) {
      process.stdout.write(`${JSON.stringify({ dryRun: Boolean(options.dryRun), ...outcome }, null, 2)}\n`);
    } else {
      const verb = options.dryRun ? 'Would delete' : 'Deleted';
      const lines = [`${verb} ${outcome.deleted.length} run(s).`, ...outcome.deleted.map((runId) => `  ${runId}`)];
      for (const skipped of outcome.skipped) lines.push(`Skipped ${skipped.runId}: ${skipped.reason}`);
      process.stdout.write(`${lines.join('\n')}\n`);
    }
    return ExitCode.ok;
  } finally {
    await project.close();
  }
}
