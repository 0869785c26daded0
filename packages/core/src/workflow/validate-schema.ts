import { SchemaValidationError, type SchemaBoundary, type SchemaIssue } from '../errors/schema-validation-error.js';
import { describeValue } from './define-workflow.js';
import { isStandardSchema, type StandardSchemaV1 } from './standard-schema.js';
import type { StepContext, StepDefinition } from './types.js';

/** Where a checked value comes from, for the error message. */
interface Boundary {
  boundary: SchemaBoundary;
  stepId?: string;
  workflow?: string;
}

/**
 * Validates `value` with a Standard Schema and returns the schema's output (which
 * may be transformed, e.g. defaults filled in). Synchronous when the schema is;
 * a mismatch throws (or rejects with) a fatal `SchemaValidationError`.
 */
export function checkSchema(schema: StandardSchemaV1, value: unknown, where: Boundary): unknown {
  const result = schema['~standard'].validate(value);
  if (result instanceof Promise) return result.then((settled) => unwrap(settled, value, where));
  return unwrap(result, value, where);
}

function unwrap(result: StandardSchemaV1.Result<unknown>, value: unknown, where: Boundary): unknown {
  if (!result.issues) return result.value;
  throw new SchemaValidationError({ ...where, issues: result.issues.map(plainIssue), received: describeValue(value) });
}

function plainIssue(issue: StandardSchemaV1.Issue): SchemaIssue {
  const path = (issue.path ?? []).map((segment) => {
    const key = typeof segment === 'object' && segment !== null ? segment.key : segment;
    return typeof key === 'number' ? key : String(key);
  });
  return { message: issue.message, path };
}

/** A step's input schema: `input` when it is a Standard Schema rather than a callback. */
export function stepInputSchema(definition: StepDefinition): StandardSchemaV1 | undefined {
  return isStandardSchema(definition.input) ? definition.input : undefined;
}

/**
 * The step's call with its schemas applied: the input checked before the step
 * runs, the output checked (and replaced by the schema's output) before the
 * supervisor stores it. Returns `call` itself when the step declares no schema,
 * so such steps pay nothing.
 */
export function withStepSchemas(
  stepId: string,
  definition: StepDefinition,
  call: (input: unknown, ctx: StepContext) => unknown,
): (input: unknown, ctx: StepContext) => unknown {
  const inputSchema = stepInputSchema(definition);
  const outputSchema = definition.output;
  if (!inputSchema && !outputSchema) return call;
  return async (input, ctx) => {
    const checked = inputSchema ? await checkSchema(inputSchema, input, { boundary: 'step-input', stepId }) : input;
    const output = await call(checked, ctx);
    return outputSchema ? checkSchema(outputSchema, output, { boundary: 'step-output', stepId }) : output;
  };
}

/** The run input checked by the workflow's `input` schema (unchanged when it has none). */
export function checkRunInput(
  workflow: { name: string; options: { input?: StandardSchemaV1 } },
  input: unknown,
): unknown {
  const schema = workflow.options.input;
  return schema ? checkSchema(schema, input, { boundary: 'run-input', workflow: workflow.name }) : input;
}

/**
 * A succeeded run's outputs checked by the workflow's `output` schema, before
 * `run.finished` is recorded (the schema's output is not stored: each step's output
 * already is). Synchronous when the schema is; throws or rejects on a mismatch.
 */
export function checkRunOutput(
  workflow: { name: string; options: { output?: StandardSchemaV1 } },
  outputs: Readonly<Record<string, unknown>>,
): unknown {
  const schema = workflow.options.output;
  return schema ? checkSchema(schema, outputs, { boundary: 'run-output', workflow: workflow.name }) : outputs;
}
