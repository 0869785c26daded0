import { describe, expect, it } from 'vitest';
import { BridgeProtocolError, PROTOCOL_FRAME_HEAD_CHARS } from './bridge-protocol-error.js';

describe('BridgeProtocolError', () => {
  it('puts the offending frame, truncated, in its message and keeps the cause', () => {
    const cause = new SyntaxError('Unexpected token');
    const frame = `{"x":"${'a'.repeat(500)}"}`;
    const message = 'Bridge worker 7 broke the protocol: malformed frame';
    const error = new BridgeProtocolError({ message, frame, cause, pid: 7 });
    expect(error.frame).toBe(frame.slice(0, PROTOCOL_FRAME_HEAD_CHARS));
    expect(error.message).toBe(`${message}; offending frame: ${JSON.stringify(frame.slice(0, 200))}… (308 more chars)`);
    expect(error.cause).toBe(cause);
    expect(error).toMatchObject({ code: 'BATON_BRIDGE_PROTOCOL', kind: 'fatal', pid: 7 });
  });

  it('quotes a short frame whole, with control characters escaped', () => {
    const error = new BridgeProtocolError({ message: 'bad', frame: 'not json\t' });
    expect(error.message).toBe('bad; offending frame: "not json\\t"');
  });
});
