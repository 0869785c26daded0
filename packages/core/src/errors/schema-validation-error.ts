import { BatonError } from './baton-error.js';

/** Where a schema was checked: the run's input, a step's input or output, or a succeeded run's outputs. */
export type SchemaBoundary = 'run-input' | 'step-input' | 'step-output' | 'run-output';

/** One problem a schema reported, with its path as plain keys (e.g. `['items', 0, 'title']`). */
export interface SchemaIssue {
  message: string;
  path: (string | number)[];
}

/**
 * A value did not match a workflow's or step's Standard Schema (`input` / `output`).
 * Always fatal: the same value would fail again. The message names the workflow or
 * step, the boundary, each issue's path and the value received.
 */
export class SchemaValidationError extends BatonError {
  readonly boundary: SchemaBoundary;
  /** The step whose input or output failed; absent for the run's input and outputs. */
  readonly stepId: string | undefined;
  readonly issues: readonly SchemaIssue[];
  constructor(options: {
    boundary: SchemaBoundary;
    stepId?: string;
    workflow?: string;
    issues: SchemaIssue[];
    received: string;
    cause?: unknown;
  }) {
    const workflow = `workflow${options.workflow ? ` '${options.workflow}'` : ''}`;
    const where =
      options.boundary === 'run-input'
        ? `Input of ${workflow}`
        : options.boundary === 'run-output'
          ? `Outputs of ${workflow}`
          : `${options.boundary === 'step-input' ? 'Input' : 'Output'} of step '${options.stepId}'`;
    const lines = options.issues.map(
      (issue) => `  - ${issue.path.length === 0 ? '(root)' : issue.path.join('.')}: ${issue.message}`,
    );
    super(
      'BATON_SCHEMA_MISMATCH',
      {
        message: [
          `${where} ${options.boundary === 'run-output' ? 'do' : 'does'} not match its schema (got ${options.received}):`,
          ...lines,
        ].join('\n'),
        cause: options.cause,
      },
      'fatal',
    );
    this.boundary = options.boundary;
    this.stepId = options.stepId;
    this.issues = options.issues;
  }
}
