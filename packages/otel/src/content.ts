import type { CompiledInstrumentOptions } from './options.js';

/** What a `redact` hook is told about the value it is given. */
export interface ContentInfo {
  /** `input`: a step's (or the run's) input; `output`: a step's output. */
  kind: 'input' | 'output';
  runId: string;
  workflow: string;
  /** Absent for the run's own input (recorded on the run span). */
  stepId?: string;
  attempt?: number;
  agentId?: string;
}

const TRUNCATED = '…[truncated]';

/**
 * Turns a captured value into the `gen_ai.input.messages` /
 * `gen_ai.output.messages` JSON, or `undefined` when nothing should be
 * recorded. Order: `redact` on the raw value, then serialization, then the
 * size cap. A throwing `redact` records nothing: failing closed is the only
 * safe answer when a redaction rule breaks.
 */
export function captureMessages(
  value: unknown,
  info: ContentInfo,
  options: CompiledInstrumentOptions,
): string | undefined {
  let redacted: unknown = value;
  if (options.redact) {
    try {
      redacted = options.redact(value, info);
    } catch {
      return undefined;
    }
  }
  if (redacted === undefined) return undefined;
  const content = truncate(serialize(redacted), options.maxContentLength);
  const message =
    info.kind === 'input'
      ? { role: 'user', parts: [{ type: 'text', content }] }
      : { role: 'assistant', parts: [{ type: 'text', content }], finish_reason: 'stop' };
  return JSON.stringify([message]);
}

/** Strings pass through; everything else becomes JSON (cycles, bigints and functions tolerated). */
export function serialize(value: unknown): string {
  if (typeof value === 'string') return value;
  const seen = new WeakSet<object>();
  try {
    const json = JSON.stringify(value, (_key, inner: unknown) => {
      if (typeof inner === 'bigint') return inner.toString();
      if (typeof inner === 'object' && inner !== null) {
        if (seen.has(inner)) return '[Circular]';
        seen.add(inner);
      }
      return inner;
    });
    return json ?? String(value);
  } catch {
    return '[unserializable]';
  }
}

/** Caps `text` at `max` UTF-16 code units (marker included), never splitting a surrogate pair. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = Math.max(0, max - TRUNCATED.length);
  const code = text.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end--;
  return text.slice(0, end) + TRUNCATED;
}
