// The made-up chat framework of docs/custom-adapter.md, as the page describes it.
declare module 'parrot-sdk' {
  export class ParrotError extends Error {
    constructor(init: { status: number; code?: string; retryAfterSeconds?: number });
    readonly status: number;
    readonly code?: string;
    readonly retryAfterSeconds: number;
  }
  export interface ParrotReply {
    text: string;
    usage: { in: number; out: number };
  }
  export interface ParrotClient {
    chat(request: {
      model: string;
      prompt: string;
      signal?: AbortSignal;
      maxRetries?: number;
      requestId?: string;
      onToken?: (text: string) => void;
    }): Promise<ParrotReply>;
    ping(options: { signal?: AbortSignal }): Promise<boolean>;
    close(): Promise<void>;
  }
}
