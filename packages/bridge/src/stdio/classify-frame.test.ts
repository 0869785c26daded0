import { describe, expect, it } from 'vitest';
import { classifyFrame } from './classify-frame.js';

describe('classifyFrame', () => {
  it('tells replies, progress, worker requests and notifications apart', () => {
    expect(classifyFrame('{"jsonrpc":"2.0","id":3,"result":{"output":1}}')).toMatchObject({ kind: 'reply' });
    expect(
      classifyFrame('{"jsonrpc":"2.0","method":"progress","params":{"runId":"r","callId":"c","seq":1,"event":0}}'),
    ).toEqual({ kind: 'progress', params: { runId: 'r', callId: 'c', seq: 1, event: 0 } });
    expect(classifyFrame('{"jsonrpc":"2.0","id":9,"method":"sample"}')).toEqual({
      kind: 'request',
      id: 9,
      method: 'sample',
    });
    expect(classifyFrame('{"jsonrpc":"2.0","method":"later.feature"}')).toEqual({ kind: 'notification' });
  });

  it('reports malformed frames as invalid, with the parse error as cause', () => {
    const notJson = classifyFrame('not json');
    expect(notJson).toMatchObject({ kind: 'invalid', reason: 'malformed frame (not JSON) on the protocol stream' });
    expect((notJson as { cause: unknown }).cause).toBeInstanceOf(SyntaxError);
    expect(classifyFrame('[1]')).toMatchObject({
      kind: 'invalid',
      reason: 'frame is not a JSON-RPC 2.0 message object',
    });
    expect(classifyFrame('{"jsonrpc":"1.0","id":1,"result":1}')).toMatchObject({ kind: 'invalid' });
    expect(classifyFrame('{"jsonrpc":"2.0","method":"progress","params":{"seq":0}}')).toMatchObject({
      kind: 'invalid',
      reason: expect.stringMatching(/^malformed progress params/),
    });
  });
});
