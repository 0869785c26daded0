// The test double docs/custom-adapter.md's tests import: plays scripted replies or errors, counts calls.
import { ParrotError, type ParrotClient, type ParrotReply } from 'parrot-sdk';

export { ParrotError };

export declare class FakeParrotClient implements ParrotClient {
  constructor(script: ({ tokens: string[]; usage: ParrotReply['usage'] } | ParrotError)[]);
  readonly calls: number;
  chat: ParrotClient['chat'];
  ping: ParrotClient['ping'];
  close: ParrotClient['close'];
}
