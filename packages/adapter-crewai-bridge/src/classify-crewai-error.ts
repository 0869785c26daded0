import type { ErrorClassification } from '@baton/core';
import { createPythonErrorClassifier, type PythonErrorKinds } from '@baton/bridge';

/** CrewAI's own exception classes (last segment of the Python type) and their kinds. */
const CREWAI_KINDS: PythonErrorKinds = {
  // A user's hook denied an LLM or tool call. Baton's own cancel never gets here: it replies 'cancelled'.
  HookAborted: 'fatal',
  LLMCallBlockedError: 'fatal',
  LLMContextLengthExceededError: 'fatal',
  // pydantic: the crew, an agent or a task is defined wrongly.
  ValidationError: 'fatal',
  OptionalDependencyError: 'fatal',
  // The model's answer could not be parsed or converted: another sample may well parse.
  OutputParserError: 'retryable',
  ConverterError: 'retryable',
};

const classify = createPythonErrorClassifier(CREWAI_KINDS);

/**
 * Classifies failures of a CrewAI run, or returns `undefined` to let core decide. Only bridge
 * run failures (`BATON_BRIDGE_RUN_FAILED`) without an explicit kind from the Python side are
 * looked at, by their Python exception class: CrewAI's own (hook denials, blocked calls,
 * context overflow and invalid definitions are fatal; output parsing is retryable), then the
 * LLM SDKs' (rate limits, timeouts, connection and 5xx errors, auth and bad requests).
 * HTTP status codes carried by the error are left to core's rules. Crashes, protocol errors
 * and missing frameworks are classified by `@baton/bridge` itself.
 */
export function classifyCrewAIError(error: unknown): ErrorClassification | undefined {
  return classify(error);
}
