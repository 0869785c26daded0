import type { RunnableKind } from './runnable-kind.js';

type MessageLike = { getType(): string; content: unknown; text?: unknown };

/**
 * The default input mapping:
 * - chat models and LLMs: a string or a message array goes as is, `{ messages }`
 *   becomes the array, anything else is sent as JSON text;
 * - message graphs (`createAgent` agents, LangGraph graphs with `messages`):
 *   a string or anything that is not already `{ messages }` state becomes one
 *   user message; a message array becomes `{ messages }`; other objects go as is
 *   only when they already hold `messages`;
 * - other runnables (chains, lambdas): the step input unchanged.
 */
export function defaultInput(kind: RunnableKind, input: unknown): unknown {
  switch (kind) {
    case 'chat-model':
    case 'llm':
      if (typeof input === 'string' || Array.isArray(input)) return input;
      if (hasMessages(input)) return input.messages;
      return toText(input);
    case 'messages-graph':
      if (Array.isArray(input)) return { messages: input };
      if (hasMessages(input)) return input;
      return { messages: [{ role: 'user', content: toText(input) }] };
    case 'runnable':
      return input;
  }
}

/**
 * The default output selection (`output: 'auto'`): a message becomes its text;
 * agent or graph state becomes its `structuredResponse` when there is one,
 * else the text of its last message; anything else is returned unchanged.
 */
export function defaultOutput(result: unknown): unknown {
  if (isMessage(result)) return messageText(result);
  if (hasMessages(result)) {
    const state = result as { messages: unknown[]; structuredResponse?: unknown };
    if (state.structuredResponse !== undefined) return state.structuredResponse;
    const last = state.messages.at(-1);
    return isMessage(last) ? messageText(last) : last;
  }
  return result;
}

/** True for LangChain messages (duck-typed so two copies of `@langchain/core` work). */
export function isMessage(value: unknown): value is MessageLike {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as MessageLike).getType === 'function' &&
    'content' in value
  );
}

/** A message's text: the `text` getter of LangChain v1, or string content. */
export function messageText(message: MessageLike): string {
  if (typeof message.text === 'string') return message.text;
  return typeof message.content === 'string' ? message.content : JSON.stringify(message.content);
}

function hasMessages(value: unknown): value is { messages: unknown[] } {
  return typeof value === 'object' && value !== null && Array.isArray((value as { messages?: unknown }).messages);
}

function toText(value: unknown): string {
  if (typeof value === 'string') return value;
  return value === undefined ? '' : JSON.stringify(value);
}
