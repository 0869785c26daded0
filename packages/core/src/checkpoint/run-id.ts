import { InvalidRunIdError } from '../errors/errors.js';

const RUN_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
/** Longest accepted run id. */
export const MAX_RUN_ID_LENGTH = 128;

/**
 * Throws `InvalidRunIdError` unless `runId` is 1–128 characters of
 * `[A-Za-z0-9._-]` starting with a letter or digit (so it is a safe file and
 * object name: no separators, no `..`).
 */
export function assertValidRunId(runId: unknown): asserts runId is string {
  if (typeof runId !== 'string') throw new InvalidRunIdError(runId, 'must be a string');
  if (runId.length === 0 || runId.length > MAX_RUN_ID_LENGTH) {
    throw new InvalidRunIdError(runId, `length must be 1–${MAX_RUN_ID_LENGTH}, got ${runId.length}`);
  }
  if (!RUN_ID_PATTERN.test(runId)) {
    throw new InvalidRunIdError(
      runId,
      'only letters, digits, ".", "_" and "-" are allowed, starting with a letter or digit',
    );
  }
  if (runId.includes('..')) throw new InvalidRunIdError(runId, '".." is not allowed');
}
