import type { z } from 'zod';
import { WorkflowValidationError, type ValidationProblem } from '../errors/errors.js';
import { analyzeGraph, type WorkflowGraph } from './graph.js';
import { isPlainValidStep } from './fast-step-check.js';
import { hashWorkflow } from './hash.js';
import { stepSchema, workflowSchema } from './schema.js';
import type { StandardSchemaV1 } from './standard-schema.js';
import type { SchemaOutput } from './builder-types.js';
import type {
  Agent,
  StepContext,
  StepDecisionContext,
  StepDefinition,
  WorkflowIdentity,
  WorkflowOptions,
} from './types.js';

const workflowBrand = Symbol.for('baton.workflow');

/** The output type of a step definition: its output schema's output type, else what `run` returns. */
// biome-ignore lint/suspicious/noExplicitAny: type-level helper: matches a function of any arguments
type StepOutput<S> = S extends { output: StandardSchemaV1 }
  ? StandardSchemaV1.InferOutput<S['output']>
  : S extends { waitFor: { schema: infer W extends StandardSchemaV1 } }
    ? StandardSchemaV1.InferOutput<W>
    : // biome-ignore lint/suspicious/noExplicitAny: type-level helper: matches a function of any arguments
      S extends { run: (...args: any[]) => infer R }
      ? Awaited<R>
      : // biome-ignore lint/suspicious/noExplicitAny: type-level helper: matches a function of any arguments
        S extends { run: { invoke: (...args: any[]) => infer R } }
        ? Awaited<R>
        : unknown;

/** Outputs of a workflow's steps, by id. */
export type WorkflowOutputs<TSteps extends Record<string, StepDefinition>> = {
  [K in keyof TSteps]: StepOutput<TSteps[K]>;
};

/**
 * A validated, immutable workflow, ready for a supervisor. `TInput` is what `run()`
 * accepts, `TOutputs` each step's output type (inferred from the steps by
 * `defineWorkflow`, threaded step by step by the `workflow()` builder).
 */
export interface Workflow<
  TSteps extends Record<string, StepDefinition> = Record<string, StepDefinition>,
  TInput = unknown,
  TOutputs = WorkflowOutputs<TSteps>,
> extends WorkflowIdentity {
  readonly [workflowBrand]: true;
  readonly description?: string;
  readonly steps: Readonly<TSteps>;
  readonly options: Readonly<WorkflowOptions<TSteps>>;
  /** Non-fatal findings (e.g. unreachable steps). */
  readonly warnings: readonly ValidationProblem[];
  /** The dependency graph in index form (internal to the supervisor, stable across runs). */
  readonly graph: WorkflowGraph;
  /** Phantom field carrying the outputs type. */
  readonly __outputs?: TOutputs;
  /** Phantom field carrying the type `run()` accepts (the input schema's input type; `unknown` without one). */
  readonly __input?: TInput;
}

/** The input type of a workflow's `input` schema, or `unknown` when it declares none. */
export type SchemaInput<S> = S extends StandardSchemaV1 ? StandardSchemaV1.InferInput<S> : unknown;

/** A step's code as `defineWorkflow` infers it: a function or an Agent. */
// biome-ignore lint/suspicious/noExplicitAny: an unannotated `run` in the record form has no other source for its input type
type StepRun = ((input: any, ctx: StepContext) => unknown) | Agent;

/** What `run` returns (awaited), for the record form's `ctx.outputs`. */
// biome-ignore lint/suspicious/noExplicitAny: type-level helper: matches a function of any arguments
type RunOutput<R> = R extends (...args: any[]) => infer O
  ? Awaited<O>
  : // biome-ignore lint/suspicious/noExplicitAny: type-level helper: matches an agent of any input
    R extends { invoke: (...args: any[]) => infer O }
    ? Awaited<O>
    : unknown;

/** `ctx.outputs` in the record form: every step's output (from its `run`), each possibly absent. */
export type RecordOutputs<TRuns> = { readonly [K in keyof TRuns]?: RunOutput<TRuns[K]> };

/**
 * One step of the record form, as `defineWorkflow` types it: `run` inferred (the only
 * place `TRuns` is inferred from, so that callbacks can be typed from it without a
 * circular inference), `when` / `input` callbacks typed from every step's `run`.
 */
export type RecordStep<TRun, TRuns, TSchema> = Omit<StepDefinition, 'run' | 'when' | 'input'> & {
  /** Required unless the step is a wait step (`waitFor`; checked at definition time). */
  run?: TRun;
  when?: (ctx: StepDecisionContext<RecordOutputs<TRuns>, SchemaOutput<TSchema>>) => boolean;
  input?: ((ctx: StepDecisionContext<RecordOutputs<TRuns>, SchemaOutput<TSchema>>) => unknown) | StandardSchemaV1;
};

/** The `steps` record of `defineWorkflow`, typed step by step (see `RecordStep`). */
export type RecordSteps<TRuns, TSchema> = { [K in keyof TRuns]: RecordStep<TRuns[K], TRuns, TSchema> };

/** The workflow `defineWorkflow` returns: steps by id, `run()`'s input type, each step's output type. */
export type RecordWorkflow<TSteps, TSchema> = Workflow<
  { [K in keyof TSteps]: StepDefinition },
  SchemaInput<TSchema>,
  { [K in keyof TSteps]: StepOutput<TSteps[K]> }
>;

/** What `validateWorkflow` returns. */
export interface ValidationResult {
  ok: boolean;
  errors: ValidationProblem[];
  warnings: ValidationProblem[];
}

/** Default `maxDepth`: no practical limit. */
export const DEFAULT_MAX_DEPTH = 1_000_000;

/**
 * Validates a workflow definition and reports every problem at once: bad
 * options (with the value received), empty workflow, unknown dependency,
 * self-dependency, cycles with their path, depth over the limit; warnings
 * for unreachable steps. Never throws.
 */
export function validateWorkflow(options: unknown): ValidationResult {
  return analyze(options).result;
}

/**
 * Validates and freezes a workflow. Throws one `WorkflowValidationError`
 * listing every problem. `hash` (see hash.ts) is computed on its first read
 * (a supervisor reads it when it first runs the workflow) and then kept.
 *
 * Types: each step's output is inferred from its `run` (or its `output` schema), and
 * `when` / `input` callbacks see `ctx.input` as the input schema's output and
 * `ctx.outputs` keyed by step id, each possibly absent (a record literal does not tell
 * TypeScript which steps a step needs). The `workflow()` builder types more: step
 * inputs from `needs`, needs as present, and `needs` keys themselves.
 */
export function defineWorkflow<
  TRuns extends Record<string, StepRun>,
  TOptions extends { steps: object },
  TSchema extends StandardSchemaV1 | undefined = undefined,
>(
  options: TOptions &
    Omit<WorkflowOptions, 'steps' | 'input'> & { input?: TSchema; steps: RecordSteps<TRuns, TSchema> },
): RecordWorkflow<TOptions['steps'], TSchema> {
  const { result, graph, values } = analyze(options);
  if (!result.ok || !graph) {
    const name = typeof (options as { name?: unknown })?.name === 'string' ? options.name : undefined;
    throw new WorkflowValidationError({ problems: result.errors, ...(name ? { workflow: name } : {}) });
  }
  const steps = Object.freeze(copySteps(options.steps as Record<string, StepDefinition>, graph.ids, values!));
  const frozenOptions = Object.freeze({ ...options }) as unknown as WorkflowOptions;
  // Hashing 100,000 steps costs as much as validating them, and many workflows are
  // defined without ever being run: the hash is computed on first read, from the frozen copy.
  let hash: string | undefined;
  return Object.freeze({
    [workflowBrand]: true as const,
    name: options.name,
    version: options.version,
    get hash(): string {
      return (hash ??= hashWorkflow(frozenOptions, steps, graph.ids));
    },
    ...(options.description === undefined ? {} : { description: options.description }),
    steps,
    options: frozenOptions,
    warnings: Object.freeze(result.warnings),
    graph,
  }) as unknown as RecordWorkflow<TOptions['steps'], TSchema>;
}

/**
 * A copy of the steps record (what `{ ...steps }` gives, in the same key order),
 * built from the values already read during validation.
 */
function copySteps(
  source: Record<string, StepDefinition>,
  ids: readonly string[],
  values: readonly unknown[],
): Record<string, StepDefinition> {
  const copy: Record<string, StepDefinition> = {};
  for (let index = 0; index < ids.length; index++) {
    const id = ids[index]!;
    // Plain assignment to '__proto__' would set the prototype instead of a step.
    if (id === '__proto__')
      Object.defineProperty(copy, id, { value: values[index], enumerable: true, writable: true, configurable: true });
    else copy[id] = values[index] as StepDefinition;
  }
  for (const symbol of Object.getOwnPropertySymbols(source)) {
    if (Object.prototype.propertyIsEnumerable.call(source, symbol))
      (copy as Record<symbol, unknown>)[symbol] = (source as Record<symbol, unknown>)[symbol];
  }
  return copy;
}

/** True for a value made by `defineWorkflow` (or `parseWorkflowDocument`). */
export function isWorkflow(value: unknown): value is Workflow {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[workflowBrand] === true;
}

function analyze(options: unknown): { result: ValidationResult; graph?: WorkflowGraph; values?: unknown[] } {
  const errors: ValidationProblem[] = [];
  const parsed = workflowSchema.safeParse(options, { reportInput: true });
  if (!parsed.success) errors.push(...zodProblems(parsed.error.issues, []));
  const steps = (options as { steps?: unknown })?.steps;
  if (typeof steps !== 'object' || steps === null) return { result: { ok: false, errors, warnings: [] } };
  // Keys, then one lookup each: Object.values on a 100,000-key (dictionary-mode) object costs several times more.
  const ids = Object.keys(steps);
  const values: unknown[] = new Array(ids.length);
  for (let index = 0; index < ids.length; index++) values[index] = (steps as Record<string, unknown>)[ids[index]!];
  if (ids.length === 0)
    errors.push({ code: 'empty_workflow', path: ['steps'], message: 'a workflow needs at least one step' });
  for (let index = 0; index < ids.length; index++) {
    if (isPlainValidStep(values[index])) continue;
    const step = stepSchema.safeParse(values[index], { reportInput: true });
    if (!step.success) errors.push(...zodProblems(step.error.issues, ['steps', ids[index]!], ids[index]));
  }
  const workflow = options as WorkflowOptions;
  const needsOf = (index: number) => {
    const needs = (values[index] as StepDefinition | undefined)?.needs;
    return Array.isArray(needs) ? needs : undefined;
  };
  const analysis = analyzeGraph(ids, needsOf, {
    maxDepth: typeof workflow.maxDepth === 'number' ? workflow.maxDepth : DEFAULT_MAX_DEPTH,
    ...(typeof workflow.entrypoint === 'string' ? { entrypoint: workflow.entrypoint } : {}),
  });
  errors.push(...analysis.errors);
  return { result: { ok: errors.length === 0, errors, warnings: analysis.warnings }, graph: analysis.graph, values };
}

function zodProblems(issues: z.core.$ZodIssue[], prefix: (string | number)[], stepId?: string): ValidationProblem[] {
  return issues.map((issue) => {
    const path = [...prefix, ...issue.path.map((part) => (typeof part === 'symbol' ? String(part) : part))];
    const received = 'input' in issue ? ` (got ${describeValue(issue.input)})` : '';
    return {
      code: 'invalid_option' as const,
      path,
      message: `${issue.message}${received}`,
      ...(stepId ? { stepId } : {}),
    };
  });
}

/** A short, safe rendering of an offending value for error messages. */
export function describeValue(value: unknown): string {
  if (typeof value === 'function') return 'a function';
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  if (value === undefined) return 'undefined';
  try {
    const text = JSON.stringify(value);
    return text.length > 80 ? `${text.slice(0, 77)}...` : text;
  } catch {
    return Object.prototype.toString.call(value);
  }
}
