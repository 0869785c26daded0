import { BatonError } from '@baton/core';

/**
 * A `RunnableConfig` passed to `BatonSaver` lacks what the call needs (a
 * `thread_id`, or a `checkpoint_id` for `putWrites`) or holds a value of the
 * wrong type, or the saver was given something that is not a
 * `CheckpointStore` (`field: 'store'`). Code `BATON_LANGGRAPH_CONFIG_INVALID`;
 * the message names the field and the value received.
 */
export class LangGraphConfigError extends BatonError {
  constructor(
    /** The `configurable` field at fault, e.g. `thread_id`. */
    readonly field: string,
    message: string,
    options: { cause?: unknown } = {},
  ) {
    super('BATON_LANGGRAPH_CONFIG_INVALID', { message, cause: options.cause }, 'fatal');
  }
}

/**
 * A record in a thread's Baton run is not one `BatonSaver` wrote: its payload
 * does not have the saver's shape, or the run belongs to another thread. Code
 * `BATON_LANGGRAPH_RECORD_INVALID`. Raised instead of returning data the saver
 * cannot vouch for; tampering that breaks a durable store's hash chain is
 * reported by the store itself, as `CheckpointCorruptedError`
 * (`BATON_CHECKPOINT_CORRUPTED`).
 */
export class LangGraphRecordError extends BatonError {
  constructor(
    /** The Baton run holding the record. */
    readonly runId: string,
    /** The record's `seq` in that run. */
    readonly seq: number,
    reason: string,
    options: { cause?: unknown } = {},
  ) {
    super(
      'BATON_LANGGRAPH_RECORD_INVALID',
      { message: `Invalid LangGraph record ${runId}#${seq}: ${reason}`, cause: options.cause },
      'fatal',
    );
  }
}
