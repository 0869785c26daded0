import { ExitCode, type ExitCodeValue } from '../exit-codes.js';
import { verifyStore, type RunCheck } from '../maintenance/store-maintenance.js';
import { openProject, type GlobalOptions } from '../project.js';

/**
 * `baton verify [runId]`: checks the integrity of one run's checkpoint log,
 * or of every run's. Exit 1 if any is corrupted.
 */
export async function verifyCommand(
  runId: string | undefined,
  options: GlobalOptions & { json?: boolean },
): Promise<ExitCodeValue> {
  const project = await openProject(options, process.cwd());
  try {
    const checks = await verifyStore(project.store, runId);
    const ok = checks.every((check) => check.ok);
    process.stdout.write(`${options.json ? JSON.stringify({ ok, runs: checks }, null, 2) : formatChecks(checks)}\n`);
    return ok ? ExitCode.ok : ExitCode.failed;
  } finally {
    await project.close();
  }
}

function formatChecks(checks: readonly RunCheck[]): string {
  if (checks.length === 0) return 'No runs to verify.';
  const lines = checks.map((check) => {
    if (!check.ok) return `CORRUPTED  ${check.runId}: ${check.error?.message ?? 'unknown problem'}`;
    const torn = check.tornBytes ? `, ignored a torn tail of ${check.tornBytes} bytes` : '';
    return `ok         ${check.runId} (${check.records} records${torn})`;
  });
  const bad = checks.filter((check) => !check.ok).length;
  lines.push(
    bad === 0
      ? `${checks.length} run(s) verified, all intact.`
      : `${bad} of ${checks.length} run(s) failed verification.`,
  );
  return lines.join('\n');
}
