import type { ErrorClassification } from '@baton/core';
import { createPythonErrorClassifier, type PythonErrorKinds } from '@baton/bridge';

/** AutoGen's own exception classes (last segment of the Python type) and their kinds. */
const AUTOGEN_KINDS: PythonErrorKinds = {
  // The team or runtime is wired wrongly: no agent handles a message, a recipient is unknown.
  CantHandleException: 'fatal',
  UndeliverableException: 'fatal',
  MessageDroppedException: 'fatal',
  NotAccessibleError: 'fatal',
  // Tool or structured-output schemas that cannot be converted, invalid component configs.
  SchemaConversionError: 'fatal',
  ReferenceNotFoundError: 'fatal',
  FormatNotSupportedError: 'fatal',
  UnsupportedKeywordError: 'fatal',
  ValidationError: 'fatal',
};

const classify = createPythonErrorClassifier(AUTOGEN_KINDS);

/**
 * Classifies failures of an AutoGen run, or returns `undefined` to let core decide. Only
 * bridge run failures (`BATON_BRIDGE_RUN_FAILED`) without an explicit kind are looked at, by
 * the Python exception class (for an error raised inside a team, the participant's original
 * class, which the runner recovers into `details.errorType`): AutoGen's wiring and schema
 * errors are fatal, then the LLM SDKs' classes (rate limits, timeouts, connection and 5xx
 * errors are retried; auth and bad requests are fatal). HTTP status codes carried by the error
 * are left to core's rules.
 */
export function classifyAutoGenError(error: unknown): ErrorClassification | undefined {
  return classify(error);
}
