import { RunNotFoundError } from '@baton/core';
import { CliError } from '../errors.js';
import type { ExitCodeValue } from '../exit-codes.js';
import { openProject, type GlobalOptions } from '../project.js';
import { executeWithDisplay, type OutputOptions } from '../run/execute.js';
import { parseDurationFlag } from '../run/parse-flags.js';
import { recordedWorkflowFile } from '../run/workflow-file-meta.js';
import { missingConfigNote } from '../config/find-config.js';
import { loadWorkflowFile } from '../workflow/check-workflow-file.js';
import { createProjectSupervisor, outputFlags } from './run.js';

/** Flags of `baton resume`. */
export interface ResumeCommandOptions extends GlobalOptions, Pick<OutputOptions, 'json' | 'quiet'> {
  allowChanged?: boolean;
  /** The workflow file, when the run did not record one (or it moved). */
  file?: string;
  timeout?: string;
}

/**
 * `baton resume <runId>`: continues a run from its checkpoints with the
 * workflow file it was started from (recorded in the run) or `--file`.
 * A changed workflow is refused (exit 2) unless `--allow-changed`.
 */
export async function resumeCommand(runId: string, options: ResumeCommandOptions): Promise<ExitCodeValue> {
  const timeoutMs = parseDurationFlag('--timeout', options.timeout);
  const project = await openProject(options, process.cwd());
  try {
    const records = await project.store.read(runId);
    if (records.length === 0) throw new RunNotFoundError(runId);
    const file = options.file ?? recordedWorkflowFile(records, project.projectDir);
    if (!file)
      throw new CliError(`Run '${runId}' does not record its workflow file; pass it with --file <workflow.yaml>`);
    const workflow = await loadWorkflowFile(
      file,
      await project.registry(),
      project.file ? undefined : missingConfigNote(project.searched),
    );
    const supervisor = createProjectSupervisor(project, file);
    return await executeWithDisplay(
      supervisor,
      workflow,
      (signal) =>
        supervisor.resume(workflow, runId, {
          signal,
          allowChangedWorkflow: Boolean(options.allowChanged),
          ...(timeoutMs ? { timeoutMs } : {}),
        }),
      outputFlags(options, project),
    );
  } finally {
    await project.close();
  }
}
