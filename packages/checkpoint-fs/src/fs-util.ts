import { randomUUID } from 'node:crypto';
import { close, constants, fdatasync, fsync, open, writeSync } from 'node:fs';
import { rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { CheckpointStoreError } from '@baton/core';

const openAsync = promisify(open);
const fsyncAsync = promisify(fsync);
const closeAsync = promisify(close);
const fdatasyncAsync = promisify(fdatasync);

/** System error codes of transient conditions worth a retry. */
// Transient conditions worth a retry; anything else (EACCES, ENOSPC, EROFS, EIO) needs a person.
export const RETRYABLE_CODES = new Set(['EAGAIN', 'EBUSY', 'EMFILE', 'ENFILE', 'EINTR']);

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

/**
 * Writes a sibling temporary file, makes it durable, and renames it over
 * `path`: readers see the old or the new file, never a mix. The temporary
 * name carries this process's pid (see `temporaryName`), so litter left by a
 * killed process can be told from a file a live one is writing.
 */
export async function replaceFile(path: string, content: string, durable: boolean, action = 'rewrite'): Promise<void> {
  const temporary = join(dirname(path), temporaryName(basename(path)));
  try {
    const fd = await openAsync(temporary, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o644);
    try {
      const buffer = Buffer.from(content, 'utf8');
      for (let offset = 0; offset < buffer.length; ) offset += writeSync(fd, buffer, offset, buffer.length - offset);
      if (durable) await fdatasyncAsync(fd);
    } finally {
      await closeAsync(fd);
    }
    await rename(temporary, path);
  } catch (error) {
    await unlink(temporary).catch(() => undefined);
    throw storeIoError(action, path, error);
  }
}

/** `.<name>.<pid>.<uuid>.tmp`: the temporary sibling of `name` written by this process. */
export function temporaryName(name: string): string {
  return `.${name}.${process.pid}.${randomUUID()}.tmp`;
}
