import { CheckpointStoreError } from '@baton/core';
import { RETRYABLE_CODES } from './fs-util.js';

/** What the store did with the bytes a failed append left in the log. */
export type PartialWrite =
  /** Nothing reached the file. */
  | 'none'
  /** Some bytes reached the file and the store cut them off again: the log ends at its last complete record. */
  | 'removed'
  /** Some bytes reached the file and could not be cut off: the next append (of any store) removes them. */
  | 'left';

/**
 * An append to a run's log failed in the filesystem (a full disk, a quota, an
 * I/O error): code `BATON_CHECKPOINT_WRITE_FAILED`, with the system error code
 * in `errno` and the system error as `cause`. The append did not happen; the
 * message says what became of any partial bytes. Fatal unless the system error
 * is a transient one (`EAGAIN`, `EINTR`, ...).
 */
export class CheckpointWriteError extends CheckpointStoreError {
  /** The system error code, e.g. `ENOSPC`, `EDQUOT`, `EIO` (`undefined` when the failure had none). */
  readonly errno: string | undefined;

  constructor(
    /** The run appended to. */
    readonly runId: string,
    /** The log file. */
    readonly path: string,
    /** What failed: `write` or `fdatasync`. */
    readonly operation: 'write' | 'fdatasync',
    /** What became of the bytes already written (always `none` for `fdatasync`). */
    readonly partial: PartialWrite,
    detail: string,
    options: { cause: unknown },
  ) {
    const errno = (options.cause as NodeJS.ErrnoException | undefined)?.code;
    const reason = options.cause instanceof Error ? options.cause.message : String(options.cause);
    super(`Append to run '${runId}' failed: ${operation} of ${path} failed with ${reason}; ${detail}`, {
      cause: options.cause,
      code: 'BATON_CHECKPOINT_WRITE_FAILED',
      kind: errno !== undefined && RETRYABLE_CODES.has(errno) ? 'retryable' : 'fatal',
    });
    this.errno = errno;
  }
}
