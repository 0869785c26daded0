// Workflow definition
export { defineWorkflow, validateWorkflow, isWorkflow, DEFAULT_MAX_DEPTH } from './workflow/define-workflow.js';
export type {
  Workflow,
  WorkflowOutputs,
  ValidationResult,
  SchemaInput,
  RecordOutputs,
  RecordStep,
  RecordSteps,
  RecordWorkflow,
} from './workflow/define-workflow.js';
export { workflow } from './workflow/builder.js';
export type { WorkflowBuilder, WorkflowBuilderOptions } from './workflow/builder.js';
export type {
  DefaultStepInput,
  EarlierStepId,
  MaySkip,
  NewStepId,
  NoOutputs,
  OutputMap,
  PresentNeeds,
  SchemaOutput,
  Simplify,
  StepResult,
  TypedNodeFn,
  TypedRun,
  TypedStepDefinition,
  TypedWaitStepDefinition,
  VisibleOutputs,
} from './workflow/builder-types.js';
export { parseWorkflowDocument, validateWorkflowDocument, workflowDocumentSchema } from './workflow/document.js';
export type { WorkflowDocument, AgentRegistry, ParseDocumentOptions } from './workflow/document.js';
export { isAgent, stepSchema, workflowSchema } from './workflow/schema.js';
export { durationProblem, parseDuration } from './workflow/duration.js';
export { isStandardSchema } from './workflow/standard-schema.js';
export type { StandardSchemaV1 } from './workflow/standard-schema.js';
export type { AgentProgress } from './workflow/progress.js';
export type {
  Agent,
  AgentHealthCheck,
  BudgetOptions,
  ModelPrice,
  NodeFn,
  StepContext,
  StepDecisionContext,
  StepDefinition,
  StepBreakerOptions,
  TokenUsage,
  WaitForOptions,
  WaitStepOptions,
  WorkflowIdentity,
  WorkflowOptions,
} from './workflow/types.js';

// Supervisor
export { createSupervisor } from './supervisor/supervisor.js';
export type { Supervisor } from './supervisor/supervisor.js';
export type {
  AgentLimitOptions,
  ResumeOptions,
  RunOptions,
  RunResult,
  StepMiddleware,
  StepMiddlewareInput,
  StepSummary,
  SupervisorOptions,
  SupervisorPlugin,
} from './supervisor/types.js';
export { serializeError } from './supervisor/serialize.js';
export { DEFAULT_STREAM_BUFFER_SIZE, DROPPABLE_EVENT_TYPES } from './supervisor/run-handle.js';
export type { RunHandle, StartOptions, StartResumeOptions, StreamOptions } from './supervisor/run-handle.js';
export { toEventStream, toSSEResponse, SSE_HEADERS } from './supervisor/event-stream.js';
export type { EventStreamOptions, SSEResponseOptions } from './supervisor/event-stream.js';
export { jsonSchemaOf } from './supervisor/waits.js';
export type { PendingWait } from './supervisor/waits.js';

// Events
export type { SupervisorEvent, SupervisorEventType, SupervisorEventOf, AgentHealthStatus } from './events/types.js';
export type { EventListener } from './events/emitter.js';

// Resilience
export { classifyError, httpStatusOf, retryAfterOf, throughCauses } from './retry/classify-error.js';
export type { ClassifyOptions, ErrorClassification, ErrorClassifier } from './retry/classify-error.js';
export {
  backoffDelay,
  resolveRetryPolicy,
  retryOptionsSchema,
  DEFAULT_RETRY,
  DEFAULT_MAX_RETRY_AFTER_MS,
} from './retry/retry-policy.js';
export type { ResolvedRetryPolicy, RetryOptions } from './retry/retry-policy.js';
export { CircuitBreaker, breakerOptionsSchema } from './breaker/circuit-breaker.js';
export type { BreakerOptions, BreakerPermit, BreakerState, BreakerTransition } from './breaker/circuit-breaker.js';
export type { AgentHealthSnapshot } from './health/health-monitor.js';

// Checkpoints
export { MemoryCheckpointStore } from './checkpoint/memory-store.js';
export { CHECKPOINT_FORMAT_VERSION } from './checkpoint/types.js';
export type {
  CheckpointRecord,
  CheckpointStore,
  InputReceivedRecord,
  ListRunsOptions,
  RunFinishedRecord,
  RunLease,
  RunOwner,
  RunResumedRecord,
  RunStartedRecord,
  RunStatus,
  RunSummary,
  SerializedError,
  StepRecord,
  StepStatus,
  StoreWarning,
  UsageTotals,
  WaitStartedRecord,
  RunChangeHandlers,
  RunChangeSubscription,
} from './checkpoint/types.js';
export { sealRecord, openRecord, unsealRecord, chainHash, GENESIS_HASH } from './checkpoint/record-chain.js';
export type { SealedRecord } from './checkpoint/record-chain.js';
export { assertValidRunId, MAX_RUN_ID_LENGTH } from './checkpoint/run-id.js';
export { summarizeRun } from './checkpoint/summarize.js';
export { parsePruneOptions, pruneOptionsSchema, strictPruneOptionsSchema } from './checkpoint/prune-options.js';
export type { PruneOptions, PruneOptionsWithDefaults } from './checkpoint/prune-options.js';

// Errors
export * from './errors/index.js';
