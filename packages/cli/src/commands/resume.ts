import { RunNotFoundError } from '@baton/core';
import type { ExitCodeValue } from '../exit-codes.js';
import { openProject, type GlobalOptions } from '../project.js';
import { executeWithDisplay, type OutputOptions } from '../run/execute.js';
import { parseDurationFlag } from '../run/parse-flags.js';
import { workflowForResume } from '../run/run-workflow.js';
import { createProjectSupervisor, outputFlags } from './run.js';

/** Flags of `baton resume`. */
export interface ResumeCommandOptions extends GlobalOptions, Pick<OutputOptions, 'json' | 'quiet'> {
  allowChanged?: boolean;
  /** The workflow file, when the run did not record one (or it moved). */
  file?: string;
  timeout?: string;
}

/**
 * `baton resume <runId>`: continues a run from its checkpoints with `--file`, else the workflow file it was
 * started from (recorded in the run), else the workflow the config registers (`workflows`) under the run's
 * recorded name, version and hash. A changed workflow is refused (exit 2) unless `--allow-changed`.
 */
export async function resumeCommand(runId: string, options: ResumeCommandOptions): Promise<ExitCodeValue> {
  const timeoutMs = parseDurationFlag('--timeout', options.timeout);
  const project = await openProject(options, process.cwd());
  try {
    const records = await project.store.read(runId);
    if (records.length === 0) throw new RunNotFoundError(runId);
    const { workflow, file } = await workflowForResume(project, runId, records, options);
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
