import { randomUUID } from 'node:crypto';
import { MemoryCheckpointStore } from '../checkpoint/memory-store.js';
import { assertValidRunId } from '../checkpoint/run-id.js';
import type { CheckpointStore, StepRecord } from '../checkpoint/types.js';
import { BatonError } from '../errors/baton-error.js';
import {
  CancelledError,
  RunActiveError,
  RunAlreadyExistsError,
  RunNotFoundError,
  RunTimeoutError,
  SupervisorClosedError,
  WorkflowChangedError,
} from '../errors/errors.js';
import { EventEmitter, type EventListener } from '../events/emitter.js';
import type { SupervisorEventType } from '../events/types.js';
import type { AgentHealthSnapshot } from '../health/health-monitor.js';
import { classifyError, type ErrorClassification } from '../retry/classify-error.js';
import type { Workflow } from '../workflow/define-workflow.js';
import type { Agent } from '../workflow/types.js';
import { Admission, type AdmissionWait } from './admission.js';
import { AgentResources } from './agent-resources.js';
import { compilePlan, type CompiledPlan } from './compile-plan.js';
import { composeStepMiddleware } from './middleware.js';
import { HealthProber } from './health-prober.js';
import { replayRun, storedResult } from './replay.js';
import { RunWaits, receiveInputs } from './waits.js';
import { RunExecution } from './run-execution.js';
import { openRunHandle, type RunHandle, type StartOptions, type StartResumeOptions } from './run-handle.js';
import type { SupervisorServices } from './run-host.js';
import type { ResumeOptions, RunOptions, RunResult, SupervisorOptions, SupervisorPlugin } from './types.js';
import { validateSupervisorOptions } from './validate-options.js';
import { checkRunInput } from '../workflow/validate-schema.js';

type Outputs<W> = W extends { readonly __outputs?: infer O }
  ? O extends Record<string, unknown>
    ? O
    : Record<string, unknown>
  : never;
type InputOf<W> = W extends { readonly __input?: infer I } ? I : unknown;
/** `run`'s arguments after the workflow: the input is required and typed when the workflow declares an input schema. */
type RunArguments<W> =
  unknown extends InputOf<W> ? [input?: unknown, options?: RunOptions] : [input: InputOf<W>, options?: RunOptions];
/** `start`'s arguments after the workflow: `run`'s, with the events buffer's options. */
type StartArguments<W> =
  unknown extends InputOf<W> ? [input?: unknown, options?: StartOptions] : [input: InputOf<W>, options?: StartOptions];

/** Runs workflows: retries, breakers, limits, cancellation, checkpoints and events. */
export interface Supervisor {
  /** Starts a run and resolves when it ends (it does not reject for step failures; see `status`). */
  // biome-ignore lint/suspicious/noExplicitAny: type-level constraint: any workflow
  run<W extends Workflow<any, any, any>>(workflow: W, ...args: RunArguments<W>): Promise<RunResult<Outputs<W>>>;
  /**
   * Continues a run from its checkpoints: refuses a changed workflow (`WorkflowChangedError`, unless
   * `allowChangedWorkflow`), returns the stored result of a succeeded run, else restores finished steps and runs the
   * rest (see "Checkpoints and resume" in the @baton/core README).
   */
  // biome-ignore lint/suspicious/noExplicitAny: type-level constraint: any workflow
  resume<W extends Workflow<any, any, any>>(
    workflow: W,
    runId: string,
    options?: ResumeOptions,
  ): Promise<RunResult<Outputs<W>>>;
  /**
   * Starts a run like `run` and returns at once with a `RunHandle`: its id, its events as an async iterable (bounded;
   * see `StreamOptions`), its result, and `cancel`. Throws (before starting anything) on invalid stream options.
   */
  // biome-ignore lint/suspicious/noExplicitAny: type-level constraint: any workflow
  start<W extends Workflow<any, any, any>>(workflow: W, ...args: StartArguments<W>): RunHandle<Outputs<W>>;
  /** Resumes a run like `resume` and returns at once with a `RunHandle` (see `start`). */
  // biome-ignore lint/suspicious/noExplicitAny: type-level constraint: any workflow
  startResume<W extends Workflow<any, any, any>>(
    workflow: W,
    runId: string,
    options?: StartResumeOptions,
  ): RunHandle<Outputs<W>>;
  /** Subscribes to one event type, or `*`; returns an unsubscribe. */
  on<T extends SupervisorEventType | '*'>(type: T, listener: EventListener<T>): () => void;
  /** Adds a plugin (step middleware, run metadata); returns a function that removes it. */
  use(plugin: SupervisorPlugin): () => void;
  /** Health per agent id: calls and `health()` probes of one agent in one entry (with its breaker's state). */
  health(): Record<string, AgentHealthSnapshot>;
  /** The store this supervisor checkpoints to. */
  readonly store: CheckpointStore;
  /** Stops health probes, refuses new runs, and waits for active runs to end. */
  close(): Promise<void>;
}

/** Creates a supervisor. Options are validated here; a bad value throws a `WorkflowValidationError`-style error naming it. */
export function createSupervisor(options: SupervisorOptions = {}): Supervisor {
  return new SupervisorImpl(options);
}

class SupervisorImpl implements Supervisor {
  readonly store: CheckpointStore;
  private readonly events: EventEmitter;
  private readonly resources: AgentResources;
  private readonly admission: Admission;
  private readonly plans = new WeakMap<Workflow, CompiledPlan>();
  /** Run ids executing (or queued) in this supervisor. */
  private readonly activeRuns = new Set<string>();
  private readonly drainWaiters: (() => void)[] = [];
  private readonly plugins: SupervisorPlugin[] = [];
  private readonly services: SupervisorServices;
  private readonly prober: HealthProber;
  private closed = false;
  /** Unsubscribes from the store's warnings (a store may outlive many supervisors). */
  private readonly offStoreWarning: (() => void) | undefined;

  constructor(private readonly options: SupervisorOptions) {
    validateSupervisorOptions(options);
    this.store = options.store ?? new MemoryCheckpointStore();
    this.events = new EventEmitter(
      options.onListenerError ??
        ((error, event) => console.error(`[baton] listener for '${event.type}' threw:`, error)),
    );
    this.resources = new AgentResources(
      this.events,
      options.breaker,
      options.agentLimits ?? {},
      options.healthWindowSize ?? 100,
    );
    this.admission = new Admission(options.maxConcurrentRuns ?? 10_000, options.maxQueuedRuns ?? 100_000);
    const classifiers = options.classifiers ?? [];
    const unknownKind = options.unknownErrorKind ?? 'retryable';
    this.services = {
      events: this.events,
      resources: this.resources,
      classify: (error: unknown, agent: Agent | undefined): ErrorClassification =>
        classifyError(error, {
          classifiers: agent?.classifyError ? [agent.classifyError, ...classifiers] : classifiers,
          unknownKind,
        }),
      random: options.random ?? Math.random,
      maxOutputBytes: options.maxOutputBytes ?? 8 * 1024 * 1024,
      wrapStep: undefined,
      stepMeta: undefined,
      prices: options.prices,
    };
    this.prober = new HealthProber(this.resources.health, options.healthCheckIntervalMs);
    this.offStoreWarning = this.store.onWarning?.((warning) =>
      this.events.emit({ type: 'checkpoint.warning', at: Date.now(), ...warning }),
    );
  }

  on<T extends SupervisorEventType | '*'>(type: T, listener: EventListener<T>): () => void {
    return this.events.on(type, listener);
  }

  use(plugin: SupervisorPlugin): () => void {
    this.plugins.push(plugin);
    this.recompose();
    return () => {
      const index = this.plugins.indexOf(plugin);
      if (index >= 0) this.plugins.splice(index, 1);
      this.recompose();
    };
  }

  private recompose(): void {
    this.services.wrapStep = composeStepMiddleware(
      this.plugins.flatMap((plugin) => (plugin.wrapStep ? [plugin.wrapStep] : [])),
    );
    const hooks = this.plugins.flatMap((plugin) => (plugin.stepMeta ? [plugin.stepMeta.bind(plugin)] : []));
    this.services.stepMeta =
      hooks.length === 0
        ? undefined
        : (info) => {
            let meta: Record<string, unknown> | undefined;
            for (const hook of hooks) {
              const contributed = hook(info);
              if (contributed) meta = { ...meta, ...contributed };
            }
            return meta;
          };
  }

  health(): Record<string, AgentHealthSnapshot> {
    return this.resources.health.snapshot();
  }

  // biome-ignore lint/suspicious/noExplicitAny: type-level constraint: any workflow
  run<W extends Workflow<any, any, any>>(workflow: W, ...args: RunArguments<W>): Promise<RunResult<Outputs<W>>> {
    const [input, options = {}] = args as [unknown, RunOptions | undefined];
    // Only workflows that declare an input schema pay for the check (and its extra promise).
    if (!workflow.options.input) return this.startRun(workflow, input, options);
    return new Promise((resolve) => resolve(checkRunInput(workflow, input))).then((checked) =>
      this.startRun(workflow, checked, options),
    );
  }

  // biome-ignore lint/suspicious/noExplicitAny: type-level constraint: any workflow
  start<W extends Workflow<any, any, any>>(workflow: W, ...args: StartArguments<W>): RunHandle<Outputs<W>> {
    const [input, options = {}] = args as [unknown, StartOptions | undefined];
    const runId = options.runId ?? randomUUID();
    return openRunHandle(this, runId, options, (runOptions) =>
      this.run(workflow, ...([input, { ...runOptions, runId }] as RunArguments<W>)),
    );
  }

  // biome-ignore lint/suspicious/noExplicitAny: type-level constraint: any workflow
  startResume<W extends Workflow<any, any, any>>(
    workflow: W,
    runId: string,
    options: StartResumeOptions = {},
  ): RunHandle<Outputs<W>> {
    return openRunHandle(this, runId, options, (resumeOptions) => this.resume(workflow, runId, resumeOptions));
  }

  // biome-ignore lint/suspicious/noExplicitAny: type-level constraint: any workflow
  private startRun<W extends Workflow<any, any, any>>(
    workflow: W,
    input: unknown,
    options: RunOptions,
  ): Promise<RunResult<Outputs<W>>> {
    let runId: string;
    try {
      // A generated UUID is always a valid run id; only a caller's needs checking.
      if (options.runId === undefined || options.runId === null) runId = randomUUID();
      else assertValidRunId((runId = options.runId));
    } catch (error) {
      return Promise.reject(error); // misuse rejects, as from an async function
    }
    const calledAt = Date.now();
    const timeoutMs = options.timeoutMs ?? workflow.options.timeoutMs;
    return this.admitted(
      runId,
      { signal: options.signal, timeoutMs, calledAt, workflow },
      (ownership) => {
        const execution = new RunExecution({
          runId,
          plan: this.plan(workflow),
          input,
          store: this.store,
          services: this.services,
          signal: options.signal,
          ownership,
          timeoutMs,
          calledAt,
          restored: undefined,
          firstSeq: 0,
          meta: this.runMeta(runId, workflow, false),
          resumedFrom: undefined,
        });
        return execution.execute();
      },
      conflictMeansRunExists,
    ) as Promise<RunResult<Outputs<W>>>;
  }

  // biome-ignore lint/suspicious/noExplicitAny: type-level constraint: any workflow
  async resume<W extends Workflow<any, any, any>>(
    workflow: W,
    runId: string,
    options: ResumeOptions = {},
  ): Promise<RunResult<Outputs<W>>> {
    assertValidRunId(runId);
    const calledAt = Date.now();
    const timeoutMs = options.timeoutMs ?? workflow.options.timeoutMs;
    return this.admitted(runId, { signal: options.signal, timeoutMs, calledAt, workflow }, async (ownership) => {
      const stored = await this.store.read(runId);
      if (stored.length === 0) throw new RunNotFoundError(runId);
      const replayed = replayRun(stored);
      if (replayed.start.workflow.hash !== workflow.hash && !options.allowChangedWorkflow) {
        throw new WorkflowChangedError(runId, replayed.start.workflow.hash, workflow.hash);
      }
      const given = { inputs: options.inputs ?? {}, by: options.by };
      const records = await receiveInputs(this.store, this.events, workflow, runId, stored, replayed, given);
      if (replayed.finished?.status === 'succeeded') return storedResult(runId, replayed, workflow.graph.ids);
      const restored = new Map<string, StepRecord>();
      for (const [stepId, record] of replayed.steps)
        if (record.status === 'succeeded' || record.status === 'skipped') restored.set(stepId, record);
      const execution = new RunExecution({
        runId,
        plan: this.plan(workflow),
        input: replayed.start.input,
        store: this.store,
        services: this.services,
        signal: options.signal,
        ownership,
        timeoutMs,
        calledAt,
        restored,
        firstSeq: records.length,
        meta: this.runMeta(runId, workflow, true, replayed.lastMeta),
        resumedFrom: replayed.lastMeta,
        resumedSteps: resumedStepMeta(replayed.steps, restored),
        waits: RunWaits.fromRecords(records),
      });
      return execution.execute();
    }) as Promise<RunResult<Outputs<W>>>;
  }

  /**
   * Admission, single ownership in this process, the store's lease, then `body`
   * (whose rejection goes through `mapError`). One async frame per run.
   * A queued run leaves the queue at once when its signal aborts or its deadline
   * (counted from the `run`/`resume` call) passes; it then rejects and writes nothing.
   */
  private async admitted(
    runId: string,
    wait: QueueWait,
    body: (ownership: AbortSignal | undefined) => Promise<RunResult>,
    mapError?: (error: unknown, runId: string) => unknown,
  ): Promise<RunResult> {
    if (this.closed) throw new SupervisorClosedError();
    if (this.activeRuns.has(runId)) throw new RunActiveError(runId);
    const waiting = this.admission.enter(queueWait(runId, wait));
    this.activeRuns.add(runId);
    if (waiting) {
      if (this.events.has('run.queued')) {
        const { name, version, hash } = wait.workflow;
        this.events.emit({
          type: 'run.queued',
          runId,
          workflow: { name, version, hash },
          at: Date.now(),
          queued: this.admission.queuedCount,
        });
      }
      try {
        await waiting;
      } catch (error) {
        this.forget(runId); // it never held a slot
        throw error;
      }
    }
    try {
      const lease = this.store.acquire ? await this.store.acquire(runId) : undefined;
      try {
        return await body(lease?.signal);
      } catch (error) {
        throw mapError ? mapError(error, runId) : error;
      } finally {
        if (lease) await lease.release();
      }
    } finally {
      this.admission.leave();
      this.forget(runId);
    }
  }

  private forget(runId: string): void {
    this.activeRuns.delete(runId);
    if (this.activeRuns.size === 0 && this.drainWaiters.length > 0) this.drained();
  }

  /** Wakes `close()` callers once no run is active. */
  private drained(): void {
    for (const wake of this.drainWaiters.splice(0)) wake();
  }

  private plan(workflow: Workflow): CompiledPlan {
    let plan = this.plans.get(workflow);
    if (!plan) {
      plan = compilePlan(workflow, this.options.retry);
      this.plans.set(workflow, plan);
      for (const [key, agent] of plan.agents) this.prober.watch(key, agent);
      for (const step of plan.steps)
        if (step.agent && step.breakerKey) this.resources.linkAgentBreaker(step.agent.id, step.breakerKey);
    }
    return plan;
  }

  /** Collects plugins' run metadata; plugins should namespace their keys (e.g. under their package name). */
  private runMeta(
    runId: string,
    workflow: Workflow,
    resumed: boolean,
    resumedFrom?: Record<string, unknown>,
  ): Record<string, unknown> | undefined {
    let meta: Record<string, unknown> | undefined;
    for (const plugin of this.plugins) {
      const contributed = plugin.runMeta?.({
        runId,
        workflow: { name: workflow.name, version: workflow.version, hash: workflow.hash },
        resumed,
        ...(resumedFrom ? { resumedFrom } : {}),
      });
      if (contributed) meta = { ...meta, ...contributed };
    }
    return meta;
  }

  async close(): Promise<void> {
    this.closed = true;
    this.prober.stop();
    this.offStoreWarning?.();
    // No run can start once closed, so waiting for "none active" waits for the runs active now.
    if (this.activeRuns.size > 0) await new Promise<void>((resolve) => this.drainWaiters.push(resolve));
  }
}

/** What bounds a run's wait in the admission queue. */
interface QueueWait {
  signal: AbortSignal | undefined;
  timeoutMs: number | undefined;
  /** Epoch ms of the `run`/`resume` call: the run's deadline counts from here. */
  calledAt: number;
  /** The run's workflow, named by the `run.queued` event. */
  // biome-ignore lint/suspicious/noExplicitAny: any workflow
  workflow: Workflow<any>;
}

function queueWait(runId: string, { signal, timeoutMs, calledAt }: QueueWait): AdmissionWait {
  return {
    signal,
    deadline: timeoutMs === undefined ? undefined : calledAt + timeoutMs,
    abortError: () =>
      new CancelledError(`Run '${runId}' was cancelled while queued for admission`, { cause: signal?.reason }),
    timeoutError: () => new RunTimeoutError(runId, timeoutMs!),
  };
}

/** A start record that conflicts means another execution already wrote this run id. */
function conflictMeansRunExists(error: unknown, runId: string): unknown {
  return BatonError.isInstance(error) && error.code === 'BATON_CHECKPOINT_CONFLICT'
    ? new RunAlreadyExistsError(runId)
    : error;
}

/** `meta` of the latest record of each step that runs again, by step id; undefined when none has any. */
function resumedStepMeta(
  steps: ReadonlyMap<string, StepRecord>,
  restored: ReadonlyMap<string, StepRecord>,
): Record<string, Record<string, unknown>> | undefined {
  let result: Record<string, Record<string, unknown>> | undefined;
  for (const [stepId, record] of steps) if (record.meta && !restored.has(stepId)) (result ??= {})[stepId] = record.meta;
  return result;
}
