import { formatPath } from '@baton/core';
import type { LocatedProblem } from './read-document.js';

/** `file:line:col error steps[2].uses: message (code)`: one line, clickable in most editors and terminals. */
export function formatProblem(file: string, problem: LocatedProblem): string {
  const where = problem.position ? `${file}:${problem.position.line}:${problem.position.col}` : file;
  const path = problem.path.length > 0 ? `${formatPath(problem.path)}: ` : '';
  return `${where} ${problem.severity} ${path}${problem.message} (${problem.code})`;
}
