export { checkpointStoreConformance, uniqueRunId, type CheckpointStoreInitializer } from './conformance.js';
export { scriptedAgent, type ScriptedAgent, type ScriptedOutcome } from './scripted-agent.js';
export { runAgentOnce } from './run-agent.js';
export { createTestStepContext, type TestStepContext } from './step-context.js';
