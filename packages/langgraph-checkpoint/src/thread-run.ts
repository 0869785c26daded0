import { createHash } from 'node:crypto';
import { assertValidRunId, MAX_RUN_ID_LENGTH } from '@baton/core';

/**
 * The Baton run id holding a LangGraph thread: `lg.<thread_id>` when that is a
 * valid run id (letters, digits, `.`, `_`, `-`, at most 128 characters, no
 * `..`), else `lg-<SHA-256 of thread_id, hex>`. The two prefixes differ, so the
 * mapping is one-to-one; the thread id itself is also kept in the run's first
 * record and checked on every read.
 */
export function threadRunId(threadId: string): string {
  const readable = `lg.${threadId}`;
  if (readable.length <= MAX_RUN_ID_LENGTH) {
    try {
      assertValidRunId(readable);
      return readable;
    } catch {
      // Not a safe name: fall through to the hashed form.
    }
  }
  return `lg-${createHash('sha256').update(threadId).digest('hex')}`;
}
