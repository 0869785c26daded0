import type { RunnableConfig } from '@langchain/core/runnables';
import { LangGraphConfigError } from './errors.js';

/** The `configurable` fields the saver reads. */
export interface ThreadAddress {
  threadId: string | undefined;
  /** `undefined` when the config names no namespace (`list` then spans all of them). */
  checkpointNs: string | undefined;
  /** `undefined` when absent or empty. */
  checkpointId: string | undefined;
}

function optionalString(config: RunnableConfig, field: string): string | undefined {
  const value: unknown = config.configurable?.[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') {
    throw new LangGraphConfigError(
      field,
      `configurable.${field} must be a string, got ${typeof value} ${JSON.stringify(value) ?? String(value)}`,
    );
  }
  return value;
}

/**
 * Reads `thread_id`, `checkpoint_ns` and `checkpoint_id` (or the older
 * `thread_ts`) from a config; a present value of the wrong type is a
 * `LangGraphConfigError`, never coerced. An empty `thread_id` is rejected too.
 */
export function readAddress(config: RunnableConfig): ThreadAddress {
  const threadId = optionalString(config, 'thread_id');
  if (threadId === '') throw new LangGraphConfigError('thread_id', 'configurable.thread_id must not be empty');
  const checkpointId = optionalString(config, 'checkpoint_id') || optionalString(config, 'thread_ts') || undefined;
  return { threadId, checkpointNs: optionalString(config, 'checkpoint_ns'), checkpointId };
}

/** Like `readAddress`, but a missing `thread_id` is an error naming `operation`. */
export function requireThread(config: RunnableConfig, operation: string): ThreadAddress & { threadId: string } {
  const address = readAddress(config);
  if (address.threadId === undefined) {
    throw new LangGraphConfigError(
      'thread_id',
      `${operation} needs configurable.thread_id (got ${JSON.stringify(Object.keys(config.configurable ?? {}))}); ` +
        'pass { configurable: { thread_id } } when invoking a graph with a checkpointer',
    );
  }
  return address as ThreadAddress & { threadId: string };
}
