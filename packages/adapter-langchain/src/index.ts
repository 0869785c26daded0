export { fromRunnable } from './from-runnable.js';
export type { FromRunnableOptions, RunnableConfigLike } from './options.js';
export { fromRunnableOptionsSchema } from './options.js';
export { classifyLangChainError, isContextOverflow } from './classify-langchain-error.js';
export { defaultInput, defaultOutput } from './io-mapping.js';
export { runnableKind, inferProvider, type RunnableKind, type RunnableLike } from './runnable-kind.js';
export { BatonProgressHandler } from './progress-handler.js';
export type { AgentProgress } from './progress.js';
export { LangChainAdapterOptionsError } from './errors.js';
