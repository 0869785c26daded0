import { BatonError } from './baton-error.js';
import type { SchemaIssue } from './schema-validation-error.js';

/**
 * `resume` was given an input that does not match its wait's schema. Nothing was
 * appended: the run is exactly as before. `issues` name the schema paths.
 */
export class InvalidInputError extends BatonError {
  readonly runId: string;
  readonly key: string;
  readonly issues: readonly SchemaIssue[];
  constructor(runId: string, key: string, issues: SchemaIssue[], received: string, options: { cause?: unknown } = {}) {
    const lines = issues.map(
      (issue) => `  - ${issue.path.length === 0 ? '(root)' : issue.path.join('.')}: ${issue.message}`,
    );
    super(
      'BATON_INVALID_INPUT',
      {
        message: [`Input '${key}' for run '${runId}' does not match its schema (received ${received}):`, ...lines].join(
          '\n',
        ),
        cause: options.cause,
      },
      'fatal',
    );
    this.runId = runId;
    this.key = key;
    this.issues = issues;
  }
}

/** `resume` was given an input for a key the run neither waits for nor declares (no wait step has it). */
export class UnknownWaitError extends BatonError {
  constructor(
    readonly runId: string,
    readonly key: string,
    /** The keys the run waits for now. */
    readonly pending: readonly string[],
  ) {
    super(
      'BATON_UNKNOWN_WAIT',
      {
        message: `Run '${runId}' has no wait '${key}' (waiting for: ${pending.length === 0 ? 'nothing' : pending.map((k) => `'${k}'`).join(', ')}); nothing was appended`,
      },
      'fatal',
    );
  }
}

/** `resume` was given inputs for a run that is not suspended (running, finished, or never suspended). */
export class RunNotSuspendedError extends BatonError {
  constructor(
    readonly runId: string,
    /** The run's status as its records tell it. */
    readonly status: string,
  ) {
    super(
      'BATON_RUN_NOT_SUSPENDED',
      {
        message: `Run '${runId}' is not suspended (its status is '${status}'): it takes no inputs; nothing was appended`,
      },
      'fatal',
    );
  }
}

/** A step's or the run's usage passed its budget (`onExceeded: 'fail'`): the step fails, fatally. */
export class BudgetExceededError extends BatonError {
  constructor(
    readonly stepId: string,
    /** Whose budget: the step's own, or the run's. */
    readonly scope: 'step' | 'run',
    /** `tokens` or `costUsd`. */
    readonly measure: 'tokens' | 'costUsd',
    readonly used: number,
    readonly limit: number,
  ) {
    super(
      'BATON_BUDGET_EXCEEDED',
      {
        message: `Step '${stepId}' used ${used} ${measure === 'tokens' ? 'tokens' : 'USD'}, over the ${scope === 'run' ? "run's" : "step's"} budget of ${limit}`,
      },
      'fatal',
    );
  }
}

/** A wait passed its deadline with `onTimeout: 'fail'` (the default); the step fails with this error. */
export class WaitTimeoutError extends BatonError {
  constructor(
    readonly stepId: string,
    readonly key: string,
    /** Epoch ms the wait was due by. */
    readonly deadline: number,
  ) {
    super(
      'BATON_WAIT_TIMEOUT',
      {
        message: `Wait '${key}' of step '${stepId}' passed its deadline (${new Date(deadline).toISOString()}) without input`,
      },
      'fatal',
    );
  }
}
