import type { TokenUsage } from './types.js';

/**
 * The progress shape framework adapters pass to `ctx.emit` (it reaches
 * listeners as the `data` of `step.progress` events), so one consumer can
 * render every framework's progress with one switch. Adapters may emit other
 * shapes too; consumers should ignore types they do not know.
 */
export type AgentProgress =
  /** A streamed piece of model output. */
  | { type: 'token'; text: string }
  /** A tool started running, with the arguments the model chose. */
  | { type: 'tool-call'; toolName: string; toolCallId?: string; input: unknown }
  /** A tool finished with `output`. */
  | { type: 'tool-result'; toolName: string; toolCallId?: string; output: unknown }
  /** A tool threw. */
  | { type: 'tool-error'; toolName: string; toolCallId?: string; message: string }
  /** One model call ended (a multi-step agent emits one per call). */
  | { type: 'model-finish'; model?: string; finishReason?: string; usage?: TokenUsage };
