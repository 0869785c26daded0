export { autogenAgent, autogenBridgeOptions, type AutoGenAgentOptions } from './autogen-agent.js';
export { classifyAutoGenError } from './classify-autogen-error.js';
export type { AutoGenInput, AutoGenMessage, AutoGenOutput, AutoGenProgress, AutoGenRequestUsage } from './types.js';
