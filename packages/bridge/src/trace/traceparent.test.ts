import { describe, expect, it } from 'vitest';
import { activeTraceContext, isTraceparent, resolveTraceContext } from './traceparent.js';

const VALID = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';

describe('traceparent', () => {
  it('validates W3C traceparent values', () => {
    expect(isTraceparent(VALID)).toBe(true);
    expect(isTraceparent('00-00000000000000000000000000000000-b7ad6b7169203331-01')).toBe(false);
    expect(isTraceparent('00-0af7651916cd43dd8448eb211c80319c-0000000000000000-01')).toBe(false);
    expect(isTraceparent('garbage')).toBe(false);
  });

  it('uses an explicit string or function, dropping invalid values', async () => {
    await expect(resolveTraceContext(VALID)).resolves.toEqual({ traceparent: VALID });
    await expect(resolveTraceContext(() => ({ traceparent: VALID, tracestate: 'a=b' }))).resolves.toEqual({
      traceparent: VALID,
      tracestate: 'a=b',
    });
    await expect(resolveTraceContext(() => undefined)).resolves.toBeUndefined();
    await expect(resolveTraceContext('not-a-traceparent')).resolves.toBeUndefined();
  });

  it('has no active context without an active span', async () => {
    await expect(activeTraceContext()).resolves.toBeUndefined();
  });
});
