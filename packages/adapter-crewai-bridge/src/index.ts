export { crewAIAgent, crewAIBridgeOptions, CREWAI_QUIET_ENV, type CrewAIAgentOptions } from './crewai-agent.js';
export { classifyCrewAIError } from './classify-crewai-error.js';
export { CrewAIInputError } from './errors.js';
export type { CrewAIInputs, CrewAIOutput, CrewAIProgress, CrewAITaskOutput, CrewAITokenUsage } from './types.js';
