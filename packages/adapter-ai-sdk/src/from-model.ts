import { z } from 'zod';
import { ToolLoopAgent, type LanguageModel, type ToolLoopAgentSettings, type ToolSet } from 'ai';
import type { Agent } from '@baton/core';
import { agentFrom } from './from-agent.js';
import { inferFromModel } from './provider-name.js';
import { AiSdkAdapterOptionsError } from './errors.js';
import { agentOptionsSchema, validateOptions, type AiSdkAgentOptions } from './options.js';

/** Options of `fromModel`: the agent options plus what the `ToolLoopAgent` is built from. */
export interface FromModelOptions<TInput = unknown, TOutput = string, TOOLS extends ToolSet = ToolSet>
  extends AiSdkAgentOptions<TInput, TOutput> {
  /** Tools the model may call; the loop runs them and calls the model again. */
  tools?: TOOLS;
  /** The system prompt. */
  instructions?: ToolLoopAgentSettings<never, TOOLS>['instructions'];
  /** When the tool loop stops. @default the SDK's: `stepCountIs(20)` */
  stopWhen?: ToolLoopAgentSettings<never, TOOLS>['stopWhen'];
  /** Any other `ToolLoopAgent` setting (temperature, maxOutputTokens, prepareStep, output, ...). */
  // biome-ignore lint/suspicious/noExplicitAny: any runtime context and output type of the SDK's settings
  settings?: Omit<ToolLoopAgentSettings<never, TOOLS, any, any>, 'model' | 'tools' | 'instructions' | 'stopWhen'>;
}

const fromModelSchema = agentOptionsSchema.extend({
  tools: z.record(z.string(), z.unknown()).optional(),
  instructions: z.unknown().optional(),
  stopWhen: z.unknown().optional(),
  settings: z.record(z.string(), z.unknown()).optional(),
});

/**
 * Builds an AI SDK `ToolLoopAgent` from a model, tools and a system prompt, and
 * turns it into a Baton `Agent` (see `fromAgent` for what each call does).
 *
 * An aborted step stops reading the provider's stream at once: ai 7 cancels the
 * model stream on abort itself, even for a provider that ignores the signal.
 *
 * @example
 * ```ts
 * const researcher = fromModel(openai('gpt-4.1'), { id: 'researcher', tools: { search }, instructions: 'Cite sources.' });
 * ```
 */
export function fromModel<TInput = unknown, TOutput = string, TOOLS extends ToolSet = ToolSet>(
  model: LanguageModel,
  options: FromModelOptions<TInput, TOutput, TOOLS>,
): Agent<TInput, TOutput> {
  if (
    typeof model !== 'string' &&
    (typeof model !== 'object' || model === null || typeof model.doStream !== 'function')
  ) {
    throw new AiSdkAdapterOptionsError(
      `fromModel: expected an AI SDK language model or model id string, received ${model === null ? 'null' : typeof model}`,
    );
  }
  validateOptions('fromModel', fromModelSchema, options);
  const { tools, instructions, stopWhen, settings } = options;
  const agent = new ToolLoopAgent<never, TOOLS>({
    maxRetries: options.maxRetries ?? 0,
    ...settings,
    model,
    ...(tools ? { tools } : {}),
    ...(instructions !== undefined ? { instructions } : {}),
    ...(stopWhen ? { stopWhen } : {}),
  } as ToolLoopAgentSettings<never, TOOLS>);
  return agentFrom(agent, options, inferFromModel(model));
}
