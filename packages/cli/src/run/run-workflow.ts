import type { CheckpointRecord, Workflow, WorkflowIdentity } from '@baton/core';
import { findRegisteredWorkflow, registeredWorkflowFor } from '../config/workflow-registry.js';
import { missingConfigNote } from '../config/find-config.js';
import type { Project } from '../project.js';
import { loadWorkflowFile } from '../workflow/check-workflow-file.js';
import { recordedWorkflowFile } from './workflow-file-meta.js';

/** A run's workflow and where it came from: a file (given or recorded), or the config's `workflows`. */
export interface RunWorkflow {
  workflow: Workflow;
  /** The workflow file; undefined for a workflow registered in the config. */
  file: string | undefined;
}

/** The identities a run recorded: the one it started with and the latest (a resume under a changed workflow). */
export function recordedIdentities(records: readonly CheckpointRecord[]): {
  started: WorkflowIdentity;
  latest: WorkflowIdentity;
} {
  return { started: records[0]!.workflow, latest: records.at(-1)!.workflow };
}

const loadFile = async (project: Project, file: string): Promise<Workflow> =>
  loadWorkflowFile(file, await project.registry(), project.file ? undefined : missingConfigNote(project.searched));

/**
 * The workflow to resume a run with: `--file`, else the file the run recorded, else the workflow the config
 * registers under the run's recorded name, version and hash (`WorkflowNotRegisteredError` when there is none).
 */
export async function workflowForResume(
  project: Project,
  runId: string,
  records: readonly CheckpointRecord[],
  options: { file?: string | undefined; allowChanged?: boolean },
): Promise<RunWorkflow> {
  const file = options.file ?? recordedWorkflowFile(records, project.projectDir);
  if (file) return { workflow: await loadFile(project, file), file };
  const workflow = registeredWorkflowFor(runId, project.config.workflows ?? [], recordedIdentities(records), {
    allowChanged: Boolean(options.allowChanged),
    configFile: project.file,
  });
  return { workflow, file: undefined };
}

/** What `runs show` found of a run's workflow: the definition when it matches the run, else why not. */
export interface InspectedWorkflow {
  workflow?: Workflow;
  /** `file x`, `registered in the config`. */
  source?: string;
  /** Why there is no matching definition (in-flight steps then cannot be derived). */
  note?: string;
}

/**
 * The workflow `runs show` derives in-flight steps from: the recorded file or the registered workflow,
 * only when its hash is one the run recorded (another definition could have other steps). Never throws.
 */
export async function workflowForInspection(
  project: Project,
  records: readonly CheckpointRecord[],
): Promise<InspectedWorkflow> {
  const identities = recordedIdentities(records);
  const matches = (workflow: Workflow) =>
    workflow.hash === identities.started.hash || workflow.hash === identities.latest.hash;
  const file = recordedWorkflowFile(records, project.projectDir);
  if (file) {
    try {
      const workflow = await loadFile(project, file);
      if (matches(workflow)) return { workflow, source: `file ${file}` };
      return { note: `${file} changed since the run (it now hashes to ${workflow.hash.slice(0, 12)})` };
    } catch (error) {
      return { note: `${file} could not be loaded: ${error instanceof Error ? error.message : String(error)}` };
    }
  }
  const registered = project.config.workflows ?? [];
  const workflow =
    findRegisteredWorkflow(registered, identities.started) ?? findRegisteredWorkflow(registered, identities.latest);
  if (workflow) return { workflow, source: `registered in ${project.file ?? 'the config'}` };
  return {
    note: `started from code and not registered in ${project.file ?? 'baton.config (none found)'}${registered.length > 0 ? '' : ' (it registers no workflows)'}`,
  };
}
