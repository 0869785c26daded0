// Stdio bridge: agents, pool, worker
export { createBridgeAgent, type BridgeAgent, type BridgeAgentOptions } from './agent/create-bridge-agent.js';
export { BridgePool, type BridgePoolOptions, type BridgePoolStats } from './stdio/bridge-pool.js';
export { BridgeWorker, type BridgeRunOptions, type BridgeWorkerState } from './stdio/bridge-worker.js';
export {
  bridgeWorkerOptionsSchema,
  resolveWorkerOptions,
  type BridgeWorkerOptions,
  type BridgeWorkerOptionsWithDefaults,
} from './stdio/worker-options.js';
export { buildWorkerEnv, DEFAULT_ENV_ALLOW_LIST, type WorkerEnvOptions } from './stdio/worker-env.js';
export { bundledPythonPath } from './stdio/bundled-python-path.js';

// HTTP bridge
export {
  BridgeHttpClient,
  type BridgeHttpClientOptions,
  type BridgeHttpEvent,
  type BridgeHttpRunStatus,
} from './http/bridge-http-client.js';
export { createBridgeHttpAgent, type BridgeHttpAgentOptions } from './http/create-bridge-http-agent.js';

// Protocol
export {
  PROTOCOL_VERSION,
  DEFAULT_MAX_FRAME_BYTES,
  RpcErrorCode,
  type RpcErrorCodeValue,
} from './protocol/constants.js';
export type { InitializeResult, ProgressParams, RunParams, RunResultWire, WireError } from './protocol/types.js';

// Tracing
export {
  activeTraceContext,
  isTraceparent,
  resolveTraceContext,
  type TraceContext,
  type TraceparentSource,
} from './trace/traceparent.js';

// Errors
export {
  BridgeClosedError,
  BridgeConfigError,
  BridgeCrashError,
  BridgeFrameworkMissingError,
  BridgeHttpError,
  BridgeProtocolError,
  BridgeRunError,
  BridgeSpawnError,
  fromWireError,
  type BridgeConfigErrorOptions,
  type BridgeCrashErrorOptions,
  type BridgeCrashReason,
  type BridgeFrameworkMissingErrorOptions,
  type BridgeHttpErrorOptions,
  type BridgeProtocolErrorOptions,
  type BridgeRunErrorOptions,
  type BridgeSpawnErrorOptions,
} from './errors/index.js';

// Classifying Python failures (for framework adapters)
export {
  classifyProviderError,
  createPythonErrorClassifier,
  pythonFailureOf,
  type PythonErrorKinds,
  type PythonFailure,
} from './errors/index.js';
