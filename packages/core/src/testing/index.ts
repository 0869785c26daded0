/**
 * `@baton/core/testing`: helpers for testing agents and adapters under any test runner (vitest,
 * node:test, jest). Nothing here imports a test framework; the vitest-bound `CheckpointStore`
 * conformance suite is `@baton/core/testing/conformance`.
 * @packageDocumentation
 */
export { uniqueRunId } from './unique-run-id.js';
export { scriptedAgent, type ScriptedAgent, type ScriptedOutcome } from './scripted-agent.js';
export { runAgentOnce } from './run-agent.js';
export { createTestStepContext, type TestStepContext } from './step-context.js';
