import {
  parseWorkflowDocument,
  validateWorkflowDocument,
  type AgentRegistry,
  type ValidationProblem,
  type Workflow,
} from '@baton/core';
import { CliError } from '../errors.js';
import { formatProblem } from './format-problem.js';
import { readWorkflowDocument, type LocatedProblem, type ReadDocument } from './read-document.js';

/** Every problem of one workflow file, located in it. */
export interface FileCheck {
  file: string;
  errors: LocatedProblem[];
  warnings: LocatedProblem[];
  document?: ReadDocument;
}

/** Reads `file` and validates it against `registry`; unreadable files and syntax errors are reported as errors. */
export async function checkWorkflowFile(file: string, registry: AgentRegistry): Promise<FileCheck> {
  let document: ReadDocument;
  try {
    document = await readWorkflowDocument(file);
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : (error as Error).message;
    return { file, errors: [{ severity: 'error', code: 'unreadable', path: [], message: reason }], warnings: [] };
  }
  if (document.syntaxErrors.length > 0) return { file, errors: document.syntaxErrors, warnings: [], document };
  const result = validateWorkflowDocument(document.value, { registry });
  const locate =
    (severity: LocatedProblem['severity']) =>
    (problem: ValidationProblem): LocatedProblem => {
      const position = document.locate(problem.path);
      return {
        severity,
        code: problem.code,
        path: problem.path,
        message: problem.message,
        ...(position ? { position } : {}),
      };
    };
  return {
    file,
    errors: result.errors.map(locate('error')),
    warnings: result.warnings.map(locate('warning')),
    document,
  };
}

/**
 * Loads a workflow file into a runnable `Workflow`; throws a `CliError` (exit
 * code 2) listing every problem with its position when the file is invalid. `missingConfig` (a note saying that
 * no config was found, and where the search looked) is added when a `uses:` key is unknown.
 */
export async function loadWorkflowFile(
  file: string,
  registry: AgentRegistry,
  missingConfig?: string,
): Promise<Workflow> {
  const check = await checkWorkflowFile(file, registry);
  if (check.errors.length > 0 || !check.document) {
    const lines = check.errors.map((problem) => `  ${formatProblem(file, problem)}`);
    if (missingConfig && check.errors.some((problem) => problem.code === 'unknown_agent')) lines.push(missingConfig);
    throw new CliError([`Workflow ${file} is invalid:`, ...lines].join('\n'), { code: 'BATON_CLI_WORKFLOW_INVALID' });
  }
  return parseWorkflowDocument(check.document.value, { registry });
}
