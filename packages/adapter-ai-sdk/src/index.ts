export { fromAgent, defaultPrompt } from './from-agent.js';
export { fromModel, type FromModelOptions } from './from-model.js';
export { fromFunction, type AiSdkCall, type AiSdkFunction, type FunctionOutput } from './from-function.js';
export type { AiSdkAgentOptions, AiSdkBaseOptions, AiSdkPrompt } from './options.js';
export type { AiSdkCallResult } from './consume.js';
export { classifyAiSdkError, isContextLengthError } from './classify-ai-sdk-error.js';
export type { AgentProgress } from './progress.js';
export { AiSdkAdapterOptionsError } from './errors.js';
