import { z } from 'zod';
import {
  CHECKPOINT_FORMAT_VERSION,
  type CheckpointRecord,
  type CheckpointStore,
  type InputReceivedRecord,
  type UsageTotals,
  type WaitStartedRecord,
} from '../checkpoint/types.js';
import type { SchemaIssue } from '../errors/schema-validation-error.js';
import { InvalidInputError, RunNotSuspendedError, UnknownWaitError, WaitTimeoutError } from '../errors/wait-errors.js';
import type { EventEmitter } from '../events/emitter.js';
import type { Workflow } from '../workflow/define-workflow.js';
import { describeValue } from '../workflow/define-workflow.js';
import type { StandardSchemaV1 } from '../workflow/standard-schema.js';
import type { StepContext, WaitForOptions, WorkflowIdentity } from '../workflow/types.js';
import { checkSchema } from '../workflow/validate-schema.js';
import type { ReplayedRun } from './replay.js';

/** One wait a suspended run is waiting for (`RunResult.waiting`). */
export interface PendingWait {
  stepId: string;
  key: string;
  prompt: string;
  /** The answer's JSON Schema, when the schema library converts (`~standard.jsonSchema`). */
  schema?: Record<string, unknown>;
  /** Epoch ms after which `onTimeout` applies at the next resume. */
  deadline?: number;
}

/**
 * Thrown by `ctx.waitFor` when the answer is not there yet: the step suspends (it is
 * never retried or classified as a failure). Internal: steps should let it propagate.
 */
export class WaitSuspension extends Error {
  constructor(
    readonly wait: PendingWait,
    /** False when the chain already has this wait's `wait.started` (a re-run that suspends again). */
    readonly isNew: boolean,
  ) {
    super(`Step '${wait.stepId}' waits for input '${wait.key}'`);
    this.name = 'WaitSuspension';
  }
}

/**
 * The JSON Schema of a Standard Schema's input, through the Standard JSON Schema
 * extension (`~standard.jsonSchema.input`: zod >= 4.2 natively; ArkType >= 2.1.28 and Valibot >= 1.2 through
 * `toStandardJsonSchema()` per standardschema.dev); undefined when the library does not convert.
 */
export function jsonSchemaOf(schema: StandardSchemaV1): Record<string, unknown> | undefined {
  const converter = (schema['~standard'] as { jsonSchema?: { input?: (options: { target: string }) => unknown } })
    .jsonSchema;
  if (typeof converter?.input !== 'function') return undefined;
  try {
    const converted = converter.input({ target: 'draft-2020-12' });
    return typeof converted === 'object' && converted !== null ? (converted as Record<string, unknown>) : undefined;
  } catch {
    return undefined; // a schema the library cannot express (e.g. a transform): the CLI then asks for raw JSON
  }
}

/** The waits of one run as its records tell them: opened waits and given inputs, by key. */
export class RunWaits {
  /** The first `wait.started` of each key. */
  readonly started = new Map<string, WaitStartedRecord>();
  /** The `input.received` of each key (early input included; for `budget`, the latest). */
  readonly answers = new Map<string, InputReceivedRecord>();
  /** The seq of the latest `wait.started` of each key (a `budget` wait may open again after an answer). */
  readonly lastStarted = new Map<string, number>();
  /** Usage recorded by earlier executions (step records and suspended steps' waits). */
  readonly priorUsage: UsageTotals = { tokens: 0, costUsd: 0 };
  /** What the answers to `budget` waits allowed, summed. */
  readonly budgetRaise: UsageTotals = { tokens: 0, costUsd: 0 };

  /** Folds a run's records. */
  static fromRecords(records: readonly CheckpointRecord[]): RunWaits {
    const waits = new RunWaits();
    for (const record of records) {
      if (record.type === 'wait.started') {
        if (!waits.started.has(record.key)) waits.started.set(record.key, record);
        waits.lastStarted.set(record.key, record.seq);
        if (record.usage) addUsage(waits.priorUsage, record.usage);
      } else if (record.type === 'input.received') {
        waits.answers.set(record.key, record);
        if (record.key === 'budget') addUsage(waits.budgetRaise, raiseOf(record.value));
      } else if (record.type === 'step' && record.usage) addUsage(waits.priorUsage, record.usage);
    }
    return waits;
  }

  /** Keys opened and not answered (since they last opened). */
  pendingKeys(): string[] {
    return [...this.started.keys()].filter((key) => this.isPending(key));
  }

  /** True when `key` opened and has no answer given after its latest opening. */
  isPending(key: string): boolean {
    const opened = this.lastStarted.get(key);
    if (opened === undefined) return false;
    const answer = this.answers.get(key);
    return answer === undefined || answer.seq < opened;
  }

  /**
   * `ctx.waitFor`: the stored answer (checked by `schema`), the `onTimeout` value past the deadline,
   * or a `WaitSuspension`. Throws `WaitTimeoutError` past the deadline with `onTimeout: 'fail'`.
   */
  async waitFor(stepId: string, key: string, options: WaitForOptions, ctx: StepContext): Promise<unknown> {
    const answer = this.answers.get(key);
    if (answer) return checkSchema(options.schema, answer.value, { boundary: 'step-input', stepId });
    const started = this.started.get(key);
    const now = Date.now();
    if (started?.deadline !== undefined && now >= started.deadline) {
      const onTimeout = options.onTimeout ?? 'fail';
      if (onTimeout === 'fail') throw new WaitTimeoutError(stepId, key, started.deadline);
      return checkSchema(options.schema, onTimeout.value, { boundary: 'step-input', stepId });
    }
    const prompt = typeof options.prompt === 'function' ? options.prompt(ctx) : options.prompt;
    const wait: PendingWait = { stepId, key, prompt: String(prompt) };
    const schema = started ? started.schema : jsonSchemaOf(options.schema);
    if (schema) wait.schema = schema;
    const deadline = started ? started.deadline : options.timeoutMs === undefined ? undefined : now + options.timeoutMs;
    if (deadline !== undefined) wait.deadline = deadline;
    throw new WaitSuspension(wait, started === undefined);
  }
}

function addUsage(total: UsageTotals, more: UsageTotals): void {
  total.tokens += more.tokens;
  total.costUsd += more.costUsd;
}

/** A `budget` answer (`{ tokens?, costUsd? }`, validated at resume) as a raise. */
function raiseOf(value: unknown): UsageTotals {
  const answer = (typeof value === 'object' && value !== null ? value : {}) as { tokens?: unknown; costUsd?: unknown };
  return {
    tokens: typeof answer.tokens === 'number' ? answer.tokens : 0,
    costUsd: typeof answer.costUsd === 'number' ? answer.costUsd : 0,
  };
}

/** The `wait.started` record of a suspension (fields in a fixed order: durable stores hash the text). */
export function waitStartedRecord(
  run: { runId: string; workflow: WorkflowIdentity },
  seq: number,
  at: number,
  wait: PendingWait,
  usage?: UsageTotals,
): WaitStartedRecord {
  const { runId, workflow } = run;
  const record: WaitStartedRecord = {
    v: CHECKPOINT_FORMAT_VERSION,
    runId,
    seq,
    at,
    workflow,
    type: 'wait.started',
    stepId: wait.stepId,
    key: wait.key,
    prompt: wait.prompt,
  };
  if (wait.schema) record.schema = wait.schema;
  if (wait.deadline !== undefined) record.deadline = wait.deadline;
  if (usage) record.usage = usage;
  return record;
}

/** The keys a workflow's wait steps declare, with their schemas. */
function declaredWaits(workflow: Workflow): Map<string, StandardSchemaV1> {
  const declared = new Map<string, StandardSchemaV1>();
  for (const id of workflow.graph.ids) {
    const waitFor = workflow.steps[id]?.waitFor;
    if (waitFor) declared.set(waitFor.key ?? id, waitFor.schema);
  }
  return declared;
}

/** What `resume` was given: inputs by key and who gives them. */
export interface GivenInputs {
  inputs: Readonly<Record<string, unknown>>;
  by?: string | undefined;
}

/**
 * Validates every given input before anything is written, then appends one `input.received`
 * record per key (in the given order) and emits `input.received`. Returns the run's records
 * with them. Rules: the run must be suspended, or unfinished because its process died (else
 * `RunNotSuspendedError`); a key must be a pending
 * wait or one a wait step declares (early input, kept until asked for), else `UnknownWaitError`;
 * a value must match the wait step's schema, or for a `ctx.waitFor` wait the recorded JSON Schema
 * (`InvalidInputError` with the paths).
 */
export async function receiveInputs(
  store: CheckpointStore,
  events: EventEmitter,
  workflow: Workflow,
  runId: string,
  records: readonly CheckpointRecord[],
  replayed: ReplayedRun,
  given: GivenInputs,
): Promise<CheckpointRecord[]> {
  const keys = Object.keys(given.inputs);
  if (keys.length === 0) return records as CheckpointRecord[];
  const status = replayed.finished?.status ?? 'running';
  // An unfinished run ('running' in its log) is one whose process died (this resume holds its lease now, so no one
  // else is executing it): its pending waits take answers too, or a crash would make a waiting run unanswerable.
  if (status !== 'suspended' && status !== 'running') throw new RunNotSuspendedError(runId, status);
  const waits = RunWaits.fromRecords(records);
  const declared = declaredWaits(workflow);
  for (const key of keys) {
    const value = given.inputs[key];
    const pending = waits.isPending(key);
    const early = !waits.started.has(key) && !waits.answers.has(key) && declared.has(key);
    if (!pending && !early) throw new UnknownWaitError(runId, key, waits.pendingKeys());
    const issues = await inputIssues(declared.get(key), waits.started.get(key)?.schema, value);
    if (issues) throw new InvalidInputError(runId, key, issues, describeValue(value));
  }
  const all = records.slice();
  const identity = replayed.start.workflow;
  for (const key of keys) {
    const at = Date.now();
    const record: InputReceivedRecord = {
      v: CHECKPOINT_FORMAT_VERSION,
      runId,
      seq: all.length,
      at,
      workflow: identity,
      type: 'input.received',
      key,
      value: given.inputs[key],
    };
    if (given.by !== undefined) record.by = given.by;
    await store.append(record);
    all.push(record);
    if (events.has('input.received')) {
      const event: Record<string, unknown> = { type: 'input.received', runId, workflow: identity, at, key };
      if (given.by !== undefined) event.by = given.by;
      events.emit(event as never);
    }
  }
  return all;
}

/** The problems of `value`: by the Standard Schema when the workflow has it, else by the recorded JSON Schema. */
async function inputIssues(
  schema: StandardSchemaV1 | undefined,
  recorded: Record<string, unknown> | undefined,
  value: unknown,
): Promise<SchemaIssue[] | undefined> {
  if (schema) {
    const result = await schema['~standard'].validate(value);
    return result.issues ? result.issues.map(plainIssue) : undefined;
  }
  if (!recorded) return undefined; // a `ctx.waitFor` schema without JSON Schema: checked when the step asks again
  const parsed = jsonSchemaValidator(recorded).safeParse(value);
  return parsed.success
    ? undefined
    : parsed.error.issues.map((issue) => ({ message: issue.message, path: issue.path.map(plainKey) }));
}

/** zod's own JSON Schema reader (`z.fromJSONSchema`, zod >= 4.2) turns a recorded schema back into a validator. */
function jsonSchemaValidator(schema: Record<string, unknown>): z.ZodType {
  return z.fromJSONSchema(schema as Parameters<typeof z.fromJSONSchema>[0]);
}

function plainKey(key: PropertyKey): string | number {
  return typeof key === 'number' ? key : String(key);
}

function plainIssue(issue: StandardSchemaV1.Issue): SchemaIssue {
  const path = (issue.path ?? []).map((segment) =>
    plainKey(typeof segment === 'object' && segment !== null ? segment.key : segment),
  );
  return { message: issue.message, path };
}
