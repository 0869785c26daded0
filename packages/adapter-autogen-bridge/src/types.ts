/** Token counts AutoGen puts on messages that came from a model call. */
export interface AutoGenRequestUsage {
  prompt_tokens: number;
  completion_tokens: number;
}

/**
 * One message or event of the run, as AutoGen dumps it (`message.model_dump(mode='json')`):
 * `TextMessage`, `ToolCallRequestEvent`, `ToolCallExecutionEvent`, `HandoffMessage`, ...
 */
export interface AutoGenMessage {
  type: string;
  source: string;
  id?: string;
  /** Text for chat messages; a list of calls or results for tool events. */
  content: unknown;
  models_usage?: AutoGenRequestUsage | null;
  metadata?: Record<string, string>;
  created_at?: string;
  [key: string]: unknown;
}

/** What an AutoGen step outputs: the `TaskResult` as JSON, plus the last chat message's text. */
export interface AutoGenOutput {
  /** Why the team stopped (its termination condition's message), e.g. `"Text 'APPROVE' mentioned"`. */
  stop_reason: string | null;
  /** `to_text()` of the last chat message (not event) of the run, if any. */
  text: string | null;
  /** Every message and event of the run, the task's own messages first. */
  messages: AutoGenMessage[];
}

/**
 * An AutoGen step's input: a string is the task; `{ task }` passes its task; null continues the
 * team without a new task; any other value is sent as its JSON text.
 */
export type AutoGenInput = string | { task: string } | null | undefined | Record<string, unknown> | unknown[];

/** Fields on every AutoGen progress event. */
interface AutoGenEventBase {
  framework: 'autogen';
  /** AutoGen's message type, e.g. `ToolCallRequestEvent`. */
  event: string;
  /** The agent (or `user`) the message came from. */
  source?: string;
  id?: string;
}

/**
 * Progress events of an AutoGen step (`step.progress` data). Tool calls and results, streamed
 * tokens and per-call usage use core's `AgentProgress` shapes; other messages are
 * `autogen.<Type>` with their text.
 */
export type AutoGenProgress = AutoGenEventBase &
  (
    | { type: 'tool-call'; toolName: string; toolCallId: string; input: unknown }
    | { type: 'tool-result'; toolName: string; toolCallId: string; output: string }
    | { type: 'tool-error'; toolName: string; toolCallId: string; message: string }
    | { type: 'token'; text: string }
    | { type: 'model-finish'; usage: { inputTokens: number; outputTokens: number; totalTokens: number } }
    | { type: `autogen.${string}`; content?: string }
  );
