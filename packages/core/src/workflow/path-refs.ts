import type { ValidationProblem } from '../errors/errors.js';

/** A `when`/`input` path of a document step that reads another step's output (`outputs.<step>...`). */
export interface OutputPathRef {
  /** The step whose `when` or `input` holds the path. */
  stepId: string;
  /** Where the path is in the document, e.g. `['steps', 2, 'when']`. */
  path: (string | number)[];
  /** The path text, e.g. `outputs.check.ok`. */
  text: string;
}

/** The output paths of one step's `when` and `input` (a path such as `input.topic` reads no step). */
export function outputPathRefs(
  stepId: string,
  path: (string | number)[],
  step: { when?: string | { path: string } | undefined; input?: { path: string } | { value?: unknown } | undefined },
): OutputPathRef[] {
  const refs: OutputPathRef[] = [];
  const when =
    typeof step.when === 'string'
      ? { text: step.when, at: [...path, 'when'] }
      : step.when
        ? { text: step.when.path, at: [...path, 'when', 'path'] }
        : undefined;
  const input =
    step.input && 'path' in step.input ? { text: step.input.path, at: [...path, 'input', 'path'] } : undefined;
  for (const entry of [when, input]) {
    if (entry && entry.text.startsWith('outputs.')) refs.push({ stepId, path: entry.at, text: entry.text });
  }
  return refs;
}

/**
 * A problem for each path naming a step that is not upstream of the step holding it: such a step may or may not
 * have finished when the path is read, and a typo (`outputs.chek.ok`) would silently read `undefined`.
 * Upstream sets are computed once per step that has such a path, iteratively.
 */
export function checkOutputPathRefs(
  refs: readonly OutputPathRef[],
  needs: (stepId: string) => readonly string[] | undefined,
): ValidationProblem[] {
  const problems: ValidationProblem[] = [];
  const upstreamOf = new Map<string, Set<string>>();
  for (const ref of refs) {
    const named = ref.text.split('.')[1]!;
    let upstream = upstreamOf.get(ref.stepId);
    if (!upstream) upstreamOf.set(ref.stepId, (upstream = collectUpstream(ref.stepId, needs)));
    if (upstream.has(named)) continue;
    const exists = needs(named) !== undefined;
    const known = [...upstream].sort().join(', ') || 'none';
    const reason = exists
      ? `step '${named}' is not upstream of step '${ref.stepId}' (add it to needs)`
      : `there is no step '${named}'`;
    problems.push({
      code: 'unknown_path_step',
      stepId: ref.stepId,
      path: ref.path,
      message: `path "${ref.text}": ${reason}; upstream steps: ${known}`,
    });
  }
  return problems;
}

function collectUpstream(stepId: string, needs: (stepId: string) => readonly string[] | undefined): Set<string> {
  const seen = new Set<string>();
  const stack = [...(needs(stepId) ?? [])];
  while (stack.length > 0) {
    const id = stack.pop()!;
    if (seen.has(id) || id === stepId) continue;
    seen.add(id);
    stack.push(...(needs(id) ?? []));
  }
  return seen;
}
