import { dirname, resolve } from 'node:path';
import { createSupervisor, type Supervisor } from '@baton/core';
import type { ExitCodeValue } from '../exit-codes.js';
import { openProject, type GlobalOptions, type Project } from '../project.js';
import { executeWithDisplay, type OutputOptions } from '../run/execute.js';
import { parseDurationFlag, parseInputFlag } from '../run/parse-flags.js';
import { hintFlags } from '../run/hint.js';
import { workflowFilePlugin } from '../run/workflow-file-meta.js';
import { missingConfigNote } from '../config/find-config.js';
import { loadWorkflowFile } from '../workflow/check-workflow-file.js';

/** Flags of `baton run`. */
export interface RunCommandOptions extends GlobalOptions, Pick<OutputOptions, 'json' | 'quiet'> {
  input?: string;
  runId?: string;
  timeout?: string;
}

/**
 * `baton run <file>`: loads the workflow file against the project's registry
 * and runs it under a supervisor on the project's store. Exit code from the run's status.
 */
export async function runCommand(file: string, options: RunCommandOptions): Promise<ExitCodeValue> {
  const input = await parseInputFlag(options.input);
  const timeoutMs = parseDurationFlag('--timeout', options.timeout);
  const project = await openProject(options, dirname(resolve(file)));
  try {
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
        supervisor.run(workflow, input, {
          signal,
          ...(options.runId ? { runId: options.runId } : {}),
          ...(timeoutMs ? { timeoutMs } : {}),
        }),
      { ...outputFlags(options, project) },
    );
  } finally {
    await project.close();
  }
}

/**
 * A supervisor on the project's store, with the config's options and the plugin that records `file`
 * (none for a workflow registered in the config: the run's recorded identity finds it again).
 */
export function createProjectSupervisor(project: Project, file: string | undefined): Supervisor {
  const supervisor = createSupervisor({ ...project.config.supervisor, store: project.store });
  if (file !== undefined) supervisor.use(workflowFilePlugin(file, project.projectDir));
  return supervisor;
}

/** Output options shared by `run` and `resume`. */
export function outputFlags(
  options: Pick<OutputOptions, 'json' | 'quiet'> & GlobalOptions,
  project: Project,
): OutputOptions {
  return {
    json: Boolean(options.json),
    quiet: Boolean(options.quiet),
    hint: hintFlags(options, project),
    retryDefaults: project.config.supervisor?.retry,
  };
}
