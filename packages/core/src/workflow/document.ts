import { z } from 'zod';
import { breakerOptionsSchema } from '../breaker/circuit-breaker.js';
import { WorkflowValidationError, type ValidationProblem } from '../errors/errors.js';
import { retryOptionsSchema } from '../retry/retry-policy.js';
import {
  defineWorkflow,
  describeValue,
  validateWorkflow,
  type ValidationResult,
  type Workflow,
} from './define-workflow.js';
import { durationProblem, parseDuration } from './duration.js';
import { checkOutputPathRefs, outputPathRefs, type OutputPathRef } from './path-refs.js';
import { isAgent } from './schema.js';
import type { Agent, NodeFn, StepDecisionContext, StepDefinition, WorkflowOptions } from './types.js';

/** A duration with its unit (`30s`); a bare number is refused with a hint, since `5` could mean ms or s. */
// Typed as a string (what a document should hold) but accepting anything, so a number gets the hint, not zod's type error.
const duration = z
  .custom<string>(() => true)
  .superRefine((value, ctx) => {
    const problem = durationProblem(value);
    if (problem) ctx.addIssue({ code: 'custom', message: problem, input: value });
  })
  .transform((value) => parseDuration(String(value))!);

/** A value looked up by path in `{ input, outputs }`, e.g. `outputs.check.ok`. */
const pathRef = z
  .string()
  .regex(
    /^(input|outputs)(\.[A-Za-z0-9_$-]+)*$/,
    'must be a path starting with "input" or "outputs", e.g. "outputs.check.ok"',
  );

const conditionSchema = z.union([
  pathRef,
  z
    .object({
      path: pathRef,
      equals: z.unknown().optional(),
      notEquals: z.unknown().optional(),
      exists: z.boolean().optional(),
    })
    .strict(),
]);

const documentStepSchema = z
  .object({
    id: z.string().min(1).optional(),
    uses: z.string().min(1),
    needs: z.array(z.string().min(1)).optional(),
    when: conditionSchema.optional(),
    input: z.union([z.object({ path: pathRef }).strict(), z.object({ value: z.unknown() }).strict()]).optional(),
    retry: retryOptionsSchema.optional(),
    timeout: duration.optional(),
    timeoutMs: z.number().finite().positive().optional(),
    breaker: z.union([z.literal(false), breakerOptionsSchema.extend({ key: z.string().min(1).optional() })]).optional(),
    fallback: z.array(z.string().min(1)).optional(),
    description: z.string().optional(),
  })
  .strict();

const documentFields = {
  // Where editors find the document's JSON Schema (`@baton/cli/workflow.schema.json`); ignored here, not hashed.
  $schema: z.string().optional(),
  apiVersion: z.string().optional(),
  kind: z.literal('Workflow').optional(),
  metadata: z
    .object({
      name: z.string().min(1),
      version: z.string().min(1),
      description: z.string().optional(),
      tags: z.array(z.string()).optional(),
    })
    .strict(),
  spec: z
    .object({
      entrypoint: z.string().min(1).optional(),
      timeout: duration.optional(),
      retryPolicy: retryOptionsSchema.optional(),
      concurrency: z.number().int().min(1).optional(),
    })
    .strict()
    .optional(),
};

/** zod schema of a declarative (JSON/YAML) workflow document. */
export const workflowDocumentSchema = z
  .object({
    ...documentFields,
    steps: z.union([z.array(documentStepSchema), z.record(z.string().min(1), documentStepSchema)]),
  })
  .strict();

/** The document with steps left unparsed, so each step is checked on its own and one bad step hides nothing else. */
const documentShapeSchema = z
  .object({ ...documentFields, steps: z.union([z.array(z.unknown()), z.record(z.string().min(1), z.unknown())]) })
  .strict();

/** Stands in for a step whose definition is broken, so the graph checks still see it. */
const placeholder = () => undefined;

/** Marks a step built from a document with the registry key it uses (hashed, so changing `uses:` changes the hash). */
export const STEP_SOURCE = Symbol.for('baton.stepSource');

/** A declarative workflow document (what a YAML or JSON file holds). */
export type WorkflowDocument = z.input<typeof workflowDocumentSchema>;
type DocumentStep = z.output<typeof documentStepSchema>;
type StepEntry = { id: string; raw: unknown; path: (string | number)[] };

/** Agents and functions that documents name with `uses:`. */
export type AgentRegistry = Readonly<Record<string, Agent | NodeFn>>;

/** Options of `parseWorkflowDocument`. */
export interface ParseDocumentOptions {
  registry: AgentRegistry;
}

/** Validates a document without throwing; problem paths point into the document. */
export function validateWorkflowDocument(document: unknown, options: ParseDocumentOptions): ValidationResult {
  const built = buildOptions(document, options.registry);
  if (!built.options) return { ok: false, errors: built.errors, warnings: [] };
  const result = validateWorkflow(built.options);
  const errors = [...built.errors, ...result.errors.map((problem) => toDocumentPath(problem, built.positions))];
  return {
    ok: errors.length === 0,
    errors,
    warnings: result.warnings.map((problem) => toDocumentPath(problem, built.positions)),
  };
}

/**
 * Turns a parsed JSON/YAML document into a `Workflow`, resolving `uses:` keys
 * through `registry`. Throws `WorkflowValidationError` whose problem paths
 * point into the document (e.g. `steps[2].uses`).
 */
export function parseWorkflowDocument(document: unknown, options: ParseDocumentOptions): Workflow {
  const result = validateWorkflowDocument(document, options);
  if (!result.ok) {
    const name = (document as { metadata?: { name?: unknown } })?.metadata?.name;
    throw new WorkflowValidationError({
      problems: result.errors,
      ...(typeof name === 'string' ? { workflow: name } : {}),
    });
  }
  return defineWorkflow(buildOptions(document, options.registry).options!);
}

interface Built {
  options?: WorkflowOptions;
  errors: ValidationProblem[];
  /** step id → its index in an array-form `steps` (undefined for map form). */
  positions: Map<string, number> | undefined;
}

function buildOptions(document: unknown, registry: AgentRegistry): Built {
  const parsed = documentShapeSchema.safeParse(document, { reportInput: true });
  const errors: ValidationProblem[] = parsed.success ? [] : zodIssues(parsed.error.issues, []);
  const doc = (parsed.success ? parsed.data : document) as Partial<z.output<typeof documentShapeSchema>> | undefined;
  const rawSteps = doc?.steps;
  if (typeof rawSteps !== 'object' || rawSteps === null) return { errors, positions: undefined };
  const entries = listSteps(rawSteps as unknown[] | Record<string, unknown>, errors);
  const steps: Record<string, StepDefinition> = {};
  const refs: OutputPathRef[] = [];
  for (const { id, raw, path } of entries.list) {
    const step = documentStepSchema.safeParse(raw, { reportInput: true });
    if (!step.success) {
      errors.push(...zodIssues(step.error.issues, path, id));
      steps[id] = { run: placeholder, ...salvageNeeds(raw) };
    } else {
      steps[id] = toStep(step.data, path, registry, errors);
      refs.push(...outputPathRefs(id, path, step.data));
    }
  }
  errors.push(
    ...checkOutputPathRefs(refs, (stepId) => (Object.hasOwn(steps, stepId) ? (steps[stepId]!.needs ?? []) : undefined)),
  );
  if (!parsed.success)
    return { options: { name: 'invalid', version: '0', steps }, errors, positions: entries.positions };
  const spec = parsed.data.spec ?? {};
  const options: WorkflowOptions = {
    name: parsed.data.metadata.name,
    version: parsed.data.metadata.version,
    ...(parsed.data.metadata.description ? { description: parsed.data.metadata.description } : {}),
    steps,
    ...(spec.timeout !== undefined ? { timeoutMs: spec.timeout } : {}),
    ...(spec.retryPolicy ? { retry: spec.retryPolicy } : {}),
    ...(spec.concurrency ? { concurrency: spec.concurrency } : {}),
    ...(spec.entrypoint ? { entrypoint: spec.entrypoint } : {}),
  };
  return { options, errors, positions: entries.positions };
}

function zodIssues(issues: z.core.$ZodIssue[], prefix: (string | number)[], stepId?: string): ValidationProblem[] {
  return issues.map((issue) => ({
    code: 'invalid_option' as const,
    path: [...prefix, ...(issue.path as (string | number)[])],
    message: `${issue.message}${'input' in issue ? ` (got ${describeValue(issue.input)})` : ''}`,
    ...(stepId ? { stepId } : {}),
  }));
}

/** The valid part of a broken step's `needs`, to keep its edges in the graph checks. */
function salvageNeeds(raw: unknown): { needs?: string[] } {
  const needs = (raw as { needs?: unknown } | null)?.needs;
  if (!Array.isArray(needs)) return {};
  return { needs: needs.filter((need): need is string => typeof need === 'string' && need !== '') };
}

function listSteps(
  steps: unknown[] | Record<string, unknown>,
  errors: ValidationProblem[],
): { list: StepEntry[]; positions: Map<string, number> | undefined } {
  if (!Array.isArray(steps)) {
    return { list: Object.entries(steps).map(([id, raw]) => ({ id, raw, path: ['steps', id] })), positions: undefined };
  }
  const positions = new Map<string, number>();
  const list: StepEntry[] = [];
  steps.forEach((raw, index) => {
    const id = (raw as { id?: unknown } | null)?.id;
    if (typeof id !== 'string' || id === '') {
      errors.push({
        code: 'invalid_option',
        path: ['steps', index, 'id'],
        message: `a step in a list needs a non-empty string \`id\` (got ${describeValue(id)})`,
      });
      return;
    }
    if (positions.has(id)) {
      errors.push({
        code: 'duplicate_step',
        stepId: id,
        path: ['steps', index, 'id'],
        message: `duplicate step id '${id}' (first at steps[${positions.get(id)}])`,
      });
      return;
    }
    positions.set(id, index);
    list.push({ id, raw, path: ['steps', index] });
  });
  return { list, positions };
}

function toStep(
  step: DocumentStep,
  path: (string | number)[],
  registry: AgentRegistry,
  errors: ValidationProblem[],
): StepDefinition {
  const run = lookup(step.uses, [...path, 'uses'], registry, errors) ?? placeholder;
  const fallback = (step.fallback ?? []).map((key, index) =>
    lookup(key, [...path, 'fallback', index], registry, errors),
  );
  const agents = fallback.filter((entry): entry is Agent => isAgent(entry));
  fallback.forEach((entry, index) => {
    if (entry && !isAgent(entry))
      errors.push({
        code: 'invalid_option',
        path: [...path, 'fallback', index],
        message: `fallback '${step.fallback![index]}' must be an Agent, not a function`,
      });
  });
  const timeoutMs = step.timeoutMs ?? step.timeout;
  const definition: StepDefinition = {
    run,
    ...(step.needs ? { needs: step.needs } : {}),
    ...(step.when !== undefined ? { when: compileCondition(step.when) } : {}),
    ...(step.input ? { input: compileInput(step.input) } : {}),
    ...(step.retry ? { retry: step.retry } : {}),
    ...(timeoutMs !== undefined ? { timeoutMs } : {}),
    ...(step.breaker !== undefined ? { breaker: step.breaker } : {}),
    ...(agents.length ? { fallback: agents } : {}),
    ...(step.description ? { description: step.description } : {}),
  };
  // The conditions and inputs are compiled closures: hash their declarative source instead.
  Object.defineProperty(definition, STEP_SOURCE, {
    value: JSON.stringify({ uses: step.uses, when: step.when ?? null, input: step.input ?? null }),
  });
  return definition;
}

function lookup(
  key: string,
  path: (string | number)[],
  registry: AgentRegistry,
  errors: ValidationProblem[],
): Agent | NodeFn | undefined {
  const entry = Object.hasOwn(registry, key) ? registry[key] : undefined;
  if (entry === undefined) {
    const known = Object.keys(registry).sort().join(', ') || '(registry is empty)';
    errors.push({ code: 'unknown_agent', path, message: `no agent '${key}' in the registry; known: ${known}` });
  }
  return entry;
}

function readPath(ctx: StepDecisionContext, path: string): unknown {
  let value: unknown = ctx;
  for (const part of path.split('.')) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

function compileCondition(condition: z.output<typeof conditionSchema>): (ctx: StepDecisionContext) => boolean {
  if (typeof condition === 'string') return (ctx) => Boolean(readPath(ctx, condition));
  return (ctx) => {
    const value = readPath(ctx, condition.path);
    if (condition.exists !== undefined) return (value !== undefined) === condition.exists;
    if ('equals' in condition) return isDeepEqual(value, condition.equals);
    if ('notEquals' in condition) return !isDeepEqual(value, condition.notEquals);
    return Boolean(value);
  };
}

function compileInput(input: { path: string } | { value?: unknown }): (ctx: StepDecisionContext) => unknown {
  if ('path' in input) return (ctx) => readPath(ctx, input.path);
  return () => input.value;
}

function isDeepEqual(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function toDocumentPath(problem: ValidationProblem, positions: Map<string, number> | undefined): ValidationProblem {
  if (!positions || problem.path[0] !== 'steps' || typeof problem.path[1] !== 'string') return problem;
  const index = positions.get(problem.path[1]);
  return index === undefined ? problem : { ...problem, path: ['steps', index, ...problem.path.slice(2)] };
}
