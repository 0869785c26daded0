import { BaseCallbackHandler } from '@langchain/core/callbacks/base';
import type { StepContext, TokenUsage } from '@baton/core';
import { isMessage } from './io-mapping.js';
import type { AgentProgress } from './progress.js';

// biome-ignore lint/suspicious/noExplicitAny: a duck-typed probe of LangChain callback payloads
type Probe = Record<string, any>;
interface ToolRun {
  toolName: string;
  toolCallId?: string;
}

/**
 * Turns LangChain callbacks of one `invoke` into Baton progress and usage:
 * tokens, tool calls and results via `ctx.emit`, `usage_metadata` via
 * `ctx.reportUsage` (once per model call).
 *
 * `lc_prefer_streaming` makes chat models stream inside `invoke` (the same
 * switch `streamEvents` uses), so tokens arrive while the call runs and an
 * abort stops the model's stream between chunks. Handlers are awaited so every
 * event is out before `invoke` resolves.
 */
export class BatonProgressHandler extends BaseCallbackHandler {
  name = 'baton_progress';
  readonly lc_prefer_streaming: boolean;
  private readonly models = new Map<string, string>();
  private readonly tools = new Map<string, ToolRun>();

  constructor(
    private readonly ctx: StepContext,
    emitTokens: boolean,
  ) {
    super({ _awaitHandler: true });
    this.lc_prefer_streaming = emitTokens;
  }

  override handleChatModelStart(
    _llm: unknown,
    _messages: unknown,
    runId: string,
    _parentRunId?: string,
    extraParams?: Probe,
    _tags?: string[],
    metadata?: Probe,
  ): void {
    this.rememberModel(runId, metadata, extraParams);
  }

  override handleLLMStart(
    _llm: unknown,
    _prompts: string[],
    runId: string,
    _parentRunId?: string,
    extraParams?: Probe,
    _tags?: string[],
    metadata?: Probe,
  ): void {
    this.rememberModel(runId, metadata, extraParams);
  }

  override handleLLMNewToken(token: string): void {
    if (this.lc_prefer_streaming && token !== '') this.emit({ type: 'token', text: token });
  }

  override handleLLMEnd(output: Probe, runId: string): void {
    const generation = (output.generations as Probe[][] | undefined)?.[0]?.[0];
    reportModelCall(this.ctx, generation?.message, {
      generation,
      llmOutput: output.llmOutput,
      model: this.models.get(runId),
    });
    this.models.delete(runId);
  }

  override handleLLMError(_error: unknown, runId: string): void {
    this.models.delete(runId);
  }

  override handleToolStart(
    tool: Probe,
    input: string,
    runId: string,
    _parentRunId?: string,
    _tags?: string[],
    _metadata?: Probe,
    runName?: string,
    toolCallId?: string,
  ): void {
    const toolName = runName ?? tool?.name ?? (Array.isArray(tool?.id) ? String(tool.id.at(-1)) : 'tool');
    const run: ToolRun = toolCallId ? { toolName, toolCallId } : { toolName };
    this.tools.set(runId, run);
    this.emit({ type: 'tool-call', ...run, input: parseJson(input) });
  }

  override handleToolEnd(output: unknown, runId: string): void {
    const run = this.tools.get(runId) ?? { toolName: 'tool' };
    this.tools.delete(runId);
    this.emit({ type: 'tool-result', ...run, output: isMessage(output) ? (output as Probe).content : output });
  }

  override handleToolError(error: unknown, runId: string): void {
    const run = this.tools.get(runId) ?? { toolName: 'tool' };
    this.tools.delete(runId);
    this.emit({ type: 'tool-error', ...run, message: error instanceof Error ? error.message : String(error) });
  }

  private emit(progress: AgentProgress): void {
    this.ctx.emit(progress);
  }

  private rememberModel(runId: string, metadata?: Probe, extraParams?: Probe): void {
    const name =
      metadata?.ls_model_name ?? extraParams?.invocation_params?.model ?? extraParams?.invocation_params?.model_name;
    if (typeof name === 'string' && name !== '') this.models.set(runId, name);
  }
}

/**
 * Reports one finished model call: its usage through `ctx.reportUsage` (when
 * the message or `llmOutput` has counts) and a `model-finish` progress event.
 * Used by the handler, and directly on a chat model's result when no
 * callbacks are needed (`emitTokens: false`).
 */
export function reportModelCall(
  ctx: StepContext,
  message: Probe | undefined,
  extra: { generation?: Probe; llmOutput?: Probe; model?: string | undefined } = {},
): void {
  const model = modelName(message) ?? extra.model;
  const usage = usageOf(message, extra.llmOutput, model);
  if (usage) ctx.reportUsage(usage);
  const finishReason = finishReasonOf(message, extra.generation);
  ctx.emit({
    type: 'model-finish',
    ...(model ? { model } : {}),
    ...(finishReason ? { finishReason } : {}),
    ...(usage ? { usage } : {}),
  } satisfies AgentProgress);
}

function modelName(message: Probe | undefined): string | undefined {
  const metadata = message?.response_metadata;
  const name = metadata?.model_name ?? metadata?.model;
  return typeof name === 'string' && name !== '' ? name : undefined;
}

/** `usage_metadata` (LangChain v1 standard), else the legacy `llmOutput.tokenUsage`. */
function usageOf(
  message: Probe | undefined,
  llmOutput: Probe | undefined,
  model: string | undefined,
): TokenUsage | undefined {
  const standard = message?.usage_metadata;
  const legacy = llmOutput?.tokenUsage ?? llmOutput?.estimatedTokenUsage;
  const input = standard?.input_tokens ?? legacy?.promptTokens;
  const output = standard?.output_tokens ?? legacy?.completionTokens;
  const total = standard?.total_tokens ?? legacy?.totalTokens;
  if (input === undefined && output === undefined && total === undefined) return undefined;
  return {
    ...(typeof input === 'number' ? { inputTokens: input } : {}),
    ...(typeof output === 'number' ? { outputTokens: output } : {}),
    ...(typeof total === 'number' ? { totalTokens: total } : {}),
    ...(model ? { model } : {}),
  };
}

function finishReasonOf(message: Probe | undefined, generation: Probe | undefined): string | undefined {
  const reason =
    message?.response_metadata?.finish_reason ??
    message?.response_metadata?.stop_reason ??
    generation?.generationInfo?.finish_reason;
  return typeof reason === 'string' ? reason : undefined;
}

/** Tool input arrives as a JSON string; events carry the parsed arguments when they parse. */
function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
