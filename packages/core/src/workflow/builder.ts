import { WorkflowValidationError } from '../errors/errors.js';
import type {
  DefaultStepInput,
  EarlierStepId,
  MaySkip,
  NewStepId,
  NoOutputs,
  OutputMap,
  SchemaOutput,
  Simplify,
  StepResult,
  TypedNodeFn,
  TypedStepDefinition,
  TypedWaitStepDefinition,
  VisibleOutputs,
} from './builder-types.js';
import { defineWorkflow, type SchemaInput, type Workflow } from './define-workflow.js';
import { isAgent } from './schema.js';
import type { StandardSchemaV1 } from './standard-schema.js';
import type { Agent, StepDefinition, WorkflowOptions } from './types.js';

/** Options of `workflow()`: those of `defineWorkflow` without `steps` (the builder adds them). */
export type WorkflowBuilderOptions<TSchema extends StandardSchemaV1 | undefined = undefined> = Omit<
  WorkflowOptions,
  'steps' | 'input'
> & {
  /** A Standard Schema for the run's input: the source of the steps' run-input type and of `run()`'s argument type. */
  input?: TSchema;
};

/**
 * Builds a workflow step by step, typing each step from the ones declared before it.
 * `TRunInput` is what steps see as the run input (the input schema's output type),
 * `TRunArgument` what `supervisor.run` accepts (the schema's input type), `TOut` the
 * output type of each step so far, `TSkip` the ids of steps that may end `skipped`.
 */
export interface WorkflowBuilder<TRunInput, TRunArgument, TOut extends OutputMap, TSkip extends string = never> {
  /**
   * Adds a wait step (`{ needs?, waitFor: { schema, prompt, timeoutMs?, onTimeout?, key? } }`): it asks a person
   * for input and its output is the schema's output; `prompt` may be a function of the typed `ctx`.
   */
  step<
    const Id extends string,
    const TNeeds extends readonly EarlierStepId<TOut>[] = [],
    TWait extends StandardSchemaV1 = StandardSchemaV1,
    TDefinition extends { when?: unknown } = NoOutputs,
  >(
    id: NewStepId<Id, TOut>,
    definition: TypedWaitStepDefinition<TRunInput, TOut, TNeeds, TWait, TSkip> & TDefinition,
  ): WorkflowBuilder<
    TRunInput,
    TRunArgument,
    TOut & { [K in Id]: SchemaOutput<TWait> },
    MaySkip<TNeeds, TSkip, TDefinition> extends true ? TSkip | Id : TSkip
  >;
  /**
   * Adds a step from a definition: `needs` may name only earlier steps, and the step's
   * input, `ctx.outputs`, `when` and `input` callbacks are typed from them. (`TDefinition`
   * captures the literal only to see whether it has a `when`: a parameter typed by the
   * callback itself would not be inferred, the callback being contextually typed.)
   */
  step<
    const Id extends string,
    const TNeeds extends readonly EarlierStepId<TOut>[] = [],
    TInput = DefaultStepInput<TRunInput, TOut, TNeeds, TSkip>,
    TOutput = unknown,
    TSchema extends StandardSchemaV1 | undefined = undefined,
    TDefinition extends { when?: unknown } = NoOutputs,
  >(
    id: NewStepId<Id, TOut>,
    definition: TypedStepDefinition<TRunInput, TOut, TNeeds, TInput, TOutput, TSchema, TSkip> & TDefinition,
  ): WorkflowBuilder<
    TRunInput,
    TRunArgument,
    TOut & { [K in Id]: StepResult<Awaited<TOutput>, TSchema> },
    MaySkip<TNeeds, TSkip, TDefinition> extends true ? TSkip | Id : TSkip
  >;
  /** Adds a root step whose code is a function: it receives the run input. */
  step<const Id extends string, TOutput>(
    id: NewStepId<Id, TOut>,
    run: TypedNodeFn<TRunInput, TOutput, VisibleOutputs<TOut, []>, TRunInput>,
  ): WorkflowBuilder<TRunInput, TRunArgument, TOut & { [K in Id]: Awaited<TOutput> }, TSkip>;
  /** Adds a root step whose code is an Agent: it receives the run input. */
  step<const Id extends string, TOutput>(
    id: NewStepId<Id, TOut>,
    agent: Agent<TRunInput, TOutput>,
  ): WorkflowBuilder<TRunInput, TRunArgument, TOut & { [K in Id]: Awaited<TOutput> }, TSkip>;
  /**
   * Validates and freezes the workflow: the same `Workflow` (and hash) as `defineWorkflow`
   * with the same steps in a record. Throws a `WorkflowValidationError` as it does.
   */
  build(): Workflow<Record<string, StepDefinition>, TRunArgument, Simplify<TOut>>;
}

/** One `.step` call, linked to the previous one: builders are immutable and may be branched. */
interface StepLink {
  readonly id: string;
  readonly definition: StepDefinition;
  readonly previous: StepLink | undefined;
}

/**
 * Starts a typed workflow: `workflow({ name, version, input? }).step(id, fnOrAgentOrDefinition)….build()`.
 * Each step's input, `ctx.outputs` and callbacks are inferred from the steps before it,
 * `needs` accepts only their ids, and `supervisor.run` requires the input schema's type.
 * `build()` returns the same frozen `Workflow` as `defineWorkflow` would for the record form.
 *
 * @example
 * ```ts
 * const wf = workflow({ name: 'greet', version: '1', input: z.object({ name: z.string() }) })
 *   .step('hello', (input) => `hello ${input.name}`)
 *   .step('shout', { needs: ['hello'], run: (text) => text.toUpperCase() })
 *   .build();
 * ```
 */
export function workflow<TSchema extends StandardSchemaV1 | undefined = undefined>(
  options: WorkflowBuilderOptions<TSchema>,
): WorkflowBuilder<SchemaOutput<TSchema>, SchemaInput<TSchema>, NoOutputs> {
  // The public signature carries the types; at run time every builder is the same small object.
  return makeBuilder(options, undefined) as WorkflowBuilder<SchemaOutput<TSchema>, SchemaInput<TSchema>, NoOutputs>;
}

interface UntypedBuilder {
  step(id: string, value: unknown): UntypedBuilder;
  build(): Workflow;
}

function makeBuilder(options: WorkflowBuilderOptions<StandardSchemaV1 | undefined>, last: StepLink | undefined) {
  const builder: UntypedBuilder = {
    step: (id, value) => makeBuilder(options, { id, definition: toDefinition(value), previous: last }),
    build: () => defineWorkflow({ ...options, steps: collectSteps(options.name, last) }),
  };
  return Object.freeze(builder);
}

/** A function or an agent becomes `{ run }`; a definition is kept as given. */
function toDefinition(value: unknown): StepDefinition {
  if (typeof value === 'function' || isAgent(value)) return { run: value as StepDefinition['run'] };
  return value as StepDefinition;
}

/** The steps in declaration order; an id used twice (only possible past the types) is a validation error. */
function collectSteps(name: string, last: StepLink | undefined): Record<string, StepDefinition> {
  const links: StepLink[] = [];
  for (let link = last; link; link = link.previous) links.push(link);
  const steps: Record<string, StepDefinition> = {};
  const problems: WorkflowValidationError['problems'][number][] = [];
  for (let index = links.length - 1; index >= 0; index--) {
    const { id, definition } = links[index]!;
    if (Object.hasOwn(steps, id)) {
      problems.push({
        code: 'duplicate_step',
        stepId: id,
        path: ['steps', id],
        message: `step id '${id}' is used twice`,
      });
      continue;
    }
    // As in defineWorkflow's copy: plain assignment to '__proto__' would set the prototype.
    Object.defineProperty(steps, id, { value: definition, enumerable: true, writable: true, configurable: true });
  }
  if (problems.length > 0) throw new WorkflowValidationError({ problems, workflow: name });
  return steps;
}
