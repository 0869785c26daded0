export {
  BridgeCrashError,
  withTail,
  type BridgeCrashErrorOptions,
  type BridgeCrashReason,
} from './bridge-crash-error.js';
export { BridgeProtocolError, type BridgeProtocolErrorOptions } from './bridge-protocol-error.js';
export { BridgeSpawnError, type BridgeSpawnErrorOptions } from './bridge-spawn-error.js';
export {
  BridgeFrameworkMissingError,
  type BridgeFrameworkMissingErrorOptions,
} from './bridge-framework-missing-error.js';
export { BridgeRunError, type BridgeRunErrorOptions } from './bridge-run-error.js';
export { BridgeConfigError, type BridgeConfigErrorOptions } from './bridge-config-error.js';
export { BridgeClosedError } from './bridge-closed-error.js';
export { BridgeHttpError, type BridgeHttpErrorOptions } from './bridge-http-error.js';
export { fromWireError } from './from-wire-error.js';
export {
  classifyProviderError,
  createPythonErrorClassifier,
  pythonFailureOf,
  type PythonErrorKinds,
  type PythonFailure,
} from './classify-python-error.js';
