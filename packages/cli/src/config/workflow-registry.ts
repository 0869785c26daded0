import type { Workflow, WorkflowIdentity } from '@baton/core';
import { CliError } from '../errors.js';
import { ExitCode } from '../exit-codes.js';

/** `research@1.0.0 (hash 0123456789ab)`: how a workflow identity is shown. */
export function describeIdentity(identity: WorkflowIdentity): string {
  return `${identity.name}@${identity.version} (hash ${identity.hash.slice(0, 12)})`;
}

const identityOf = ({ name, version, hash }: WorkflowIdentity): WorkflowIdentity => ({ name, version, hash });

const sameIdentity = (a: WorkflowIdentity, b: WorkflowIdentity): boolean =>
  a.name === b.name && a.version === b.version && a.hash === b.hash;

/**
 * A run's workflow is not among the config's `workflows` (or only under another hash), so the CLI
 * cannot resume or inspect it from code. Names what the run recorded and what is registered.
 */
export class WorkflowNotRegisteredError extends CliError {
  /** The identity the run recorded. */
  readonly recorded: WorkflowIdentity;
  /** Every identity the config registers, in config order. */
  readonly registered: readonly WorkflowIdentity[];

  constructor(runId: string, recorded: WorkflowIdentity, registered: readonly WorkflowIdentity[], configFile?: string) {
    super(notRegisteredMessage(runId, recorded, registered, configFile), {
      code: 'BATON_WORKFLOW_NOT_REGISTERED',
      exitCode: ExitCode.usage,
    });
    this.recorded = identityOf(recorded);
    this.registered = registered.map(identityOf);
  }
}

function notRegisteredMessage(
  runId: string,
  recorded: WorkflowIdentity,
  registered: readonly WorkflowIdentity[],
  configFile: string | undefined,
): string {
  const where = configFile ?? 'baton.config (none found)';
  const sameVersion = registered.filter((each) => each.name === recorded.name && each.version === recorded.version);
  const lines = [
    `Run '${runId}' was started from code with workflow ${recorded.name}@${recorded.version} (hash ${recorded.hash}), ` +
      `which is not registered in ${where} and records no workflow file`,
    sameVersion.length > 0
      ? `  ${recorded.name}@${recorded.version} is registered with another hash (${sameVersion.map((each) => each.hash.slice(0, 12)).join(', ')}): its definition changed since the run started; register the old definition too, or pass --allow-changed to resume under the registered one`
      : `  registered: ${registered.length > 0 ? registered.map(describeIdentity).join(', ') : 'none'}`,
    '  hint: list the definition in the config, `workflows: [researchWorkflow]`, or pass the workflow file with --file',
  ];
  return lines.join('\n');
}

/**
 * Finds the registered workflow for a run: the one with exactly the identity the run started with, else the
 * one its latest resume recorded (a run resumed under a changed definition before). With `allowChanged`, a
 * definition of the same name and version under another hash is accepted (the last one listed).
 * Throws `WorkflowNotRegisteredError` when none fits.
 */
export function registeredWorkflowFor(
  runId: string,
  workflows: readonly Workflow[],
  recorded: { started: WorkflowIdentity; latest: WorkflowIdentity },
  options: { allowChanged?: boolean; configFile?: string | undefined } = {},
): Workflow {
  const found =
    findRegisteredWorkflow(workflows, recorded.started) ?? findRegisteredWorkflow(workflows, recorded.latest);
  if (found) return found;
  if (options.allowChanged) {
    const changed = workflows.findLast(
      (each) => each.name === recorded.started.name && each.version === recorded.started.version,
    );
    if (changed) return changed;
  }
  throw new WorkflowNotRegisteredError(runId, recorded.started, workflows, options.configFile);
}

/** The registered workflow with exactly `identity` (name, version and hash), if any. */
export function findRegisteredWorkflow(
  workflows: readonly Workflow[],
  identity: WorkflowIdentity,
): Workflow | undefined {
  return workflows.find((each) => sameIdentity(each, identity));
}
