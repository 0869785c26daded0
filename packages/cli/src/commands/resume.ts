import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { RunNotFoundError } from '@baton/core';
import { CliError } from '../errors.js';
import { askAnswers } from '../inspect/ask-answers.js';
import { pendingWaits } from '../inspect/pending-waits.js';
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
  /** `key=json` or `key=@file.json`, one per wait answered. */
  answer?: string[];
  by?: string;
}

/** A terminal on both ends, and no machine-readable output asked for. */
function interactive(options: ResumeCommandOptions): boolean {
  return Boolean(process.stdin.isTTY && process.stdout.isTTY && !options.json);
}

/** Parses `--answer` values into `resume`'s `inputs`: `key=<json>` or `key=@<file with json>`. */
export function parseAnswers(answers: readonly string[] | undefined, cwd: string): Record<string, unknown> {
  const inputs: Record<string, unknown> = {};
  for (const answer of answers ?? []) {
    const at = answer.indexOf('=');
    if (at <= 0) throw new CliError(`--answer ${JSON.stringify(answer)} is not key=<json> or key=@<file>`);
    const key = answer.slice(0, at);
    const raw = answer.slice(at + 1);
    let text = raw;
    if (raw.startsWith('@')) {
      const file = resolve(cwd, raw.slice(1));
      try {
        text = readFileSync(file, 'utf8');
      } catch (error) {
        throw new CliError(`--answer ${key}: cannot read ${file}`, { cause: error });
      }
    }
    try {
      inputs[key] = JSON.parse(text);
    } catch (error) {
      throw new CliError(`--answer ${key}: ${JSON.stringify(text.slice(0, 80))} is not JSON`, { cause: error });
    }
  }
  return inputs;
}

/**
 * `baton resume <runId>`: continues a run from its checkpoints with `--file`, else the workflow file it was
 * started from (recorded in the run), else the workflow the config registers (`workflows`) under the run's
 * recorded name, version and hash. A changed workflow is refused (exit 2) unless `--allow-changed`.
 * `--answer key=<json|@file>` answers the waits of a suspended run (validated before anything is recorded;
 * an invalid or unknown answer exits 2). On a terminal without `--answer`, the waits are asked for interactively
 * (@clack/prompts, from their JSON Schemas). A run that ends suspended again exits 5.
 */
export async function resumeCommand(runId: string, options: ResumeCommandOptions): Promise<ExitCodeValue> {
  const timeoutMs = parseDurationFlag('--timeout', options.timeout);
  let inputs = parseAnswers(options.answer, process.cwd());
  const project = await openProject(options, process.cwd());
  try {
    const records = await project.store.read(runId);
    if (records.length === 0) throw new RunNotFoundError(runId);
    const { workflow, file } = await workflowForResume(project, runId, records, options);
    // On a terminal without --answer, a suspended run's waits are asked for, built from their JSON Schemas.
    const waits = pendingWaits(records);
    const finished = records.at(-1)?.type === 'run.finished';
    if (Object.keys(inputs).length === 0 && waits.length > 0 && finished && interactive(options)) {
      inputs = await askAnswers(waits);
    }
    const supervisor = createProjectSupervisor(project, file);
    return await executeWithDisplay(
      supervisor,
      workflow,
      (signal) =>
        supervisor.resume(workflow, runId, {
          signal,
          allowChangedWorkflow: Boolean(options.allowChanged),
          ...(Object.keys(inputs).length > 0 ? { inputs } : {}),
          ...(options.by ? { by: options.by } : {}),
          ...(timeoutMs ? { timeoutMs } : {}),
        }),
      outputFlags(options, project),
    );
  } finally {
    await project.close();
  }
}
