import { BatonError } from '../errors/baton-error.js';
import { OutputNotStorableError } from '../errors/errors.js';
import type { SerializedError } from '../checkpoint/types.js';

/** Turns any thrown value into the plain shape stored in checkpoints and events. */
export function serializeError(error: unknown): SerializedError {
  if (error instanceof Error) {
    const serialized: SerializedError = { name: error.name, message: error.message };
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'string') serialized.code = code;
    if (BatonError.isInstance(error) && error.kind) serialized.kind = error.kind;
    if (error.stack) serialized.stack = error.stack;
    return serialized;
  }
  return { name: 'NonError', message: typeof error === 'string' ? error : safeJson(error) };
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

/** Rebuilds an Error from its stored form (for results restored by `resume`). */
export function deserializeError(serialized: SerializedError): Error {
  const error = new Error(serialized.message);
  error.name = serialized.name;
  if (serialized.code) (error as Error & { code?: string }).code = serialized.code;
  if (serialized.stack) error.stack = serialized.stack;
  return error;
}

/**
 * Checks that a step output survives a checkpoint round trip: JSON-serializable
 * and at most `maxBytes` of JSON. Throws `OutputNotStorableError` otherwise.
 */
export function assertStorable(stepId: string, output: unknown, maxBytes: number): void {
  if (output === undefined || output === null || typeof output === 'boolean') return;
  if (typeof output === 'number') {
    if (!Number.isFinite(output)) throw new OutputNotStorableError(stepId, `${output} is not representable in JSON`);
    return;
  }
  if (typeof output === 'string' && output.length * 3 <= maxBytes) return; // UTF-8 worst case fits
  if (typeof output === 'function' || typeof output === 'symbol' || typeof output === 'bigint') {
    throw new OutputNotStorableError(stepId, `a ${typeof output} is not JSON-serializable`);
  }
  let json: string | undefined;
  try {
    json = JSON.stringify(output);
  } catch (error) {
    throw new OutputNotStorableError(stepId, `not JSON-serializable (${(error as Error).message})`, { cause: error });
  }
  const bytes = json === undefined ? 0 : Buffer.byteLength(json);
  if (bytes > maxBytes) throw new OutputNotStorableError(stepId, `${bytes} bytes of JSON exceeds maxOutputBytes ${maxBytes}`);
}
