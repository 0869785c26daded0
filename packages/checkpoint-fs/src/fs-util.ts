import { constants, fsync, open, close } from 'node:fs';
import { promisify } from 'node:util';
import { CheckpointStoreError } from '@baton/core';

const openAsync = promisify(open);
const fsyncAsync = promisify(fsync);
const closeAsync = promisify(close);

// Transient conditions worth a retry; anything else (EACCES, ENOSPC, EROFS, EIO) needs a person.
const RETRYABLE_CODES = new Set(['EAGAIN', 'EBUSY', 'EMFILE', 'ENFILE', 'EINTR']);

/** True when `error` is a Node system error with this `code`. */
export function isErrno(error: unknown, code: string): boolean {
  return typeof error === 'object' && error !== null && (error as NodeJS.ErrnoException).code === code;
}

/** For `.catch`: swallows ENOENT (the file is already gone), rethrows anything else. */
export function ignoreMissing(error: unknown): void {
  if (!isErrno(error, 'ENOENT')) throw error;
}

/** Wraps an I/O failure in `CheckpointStoreError`, naming what was being done and the path. */
export function storeIoError(action: string, path: string, error: unknown): CheckpointStoreError {
  if (error instanceof CheckpointStoreError) return error;
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const detail = error instanceof Error ? error.message : String(error);
  return new CheckpointStoreError(`FsCheckpointStore could not ${action} ${path}: ${detail}`, {
    cause: error,
    kind: code !== undefined && RETRYABLE_CODES.has(code) ? 'retryable' : 'fatal',
  });
}

/** Makes a directory's entries (created, renamed or removed files) durable. */
export async function fsyncDirectory(path: string): Promise<void> {
  const fd = await openAsync(path, constants.O_RDONLY | constants.O_DIRECTORY);
  try {
    await fsyncAsync(fd);
  } finally {
    await closeAsync(fd);
  }
}
