/**
 * Research-and-write with a LangChain agent, an AI SDK tool loop and plain functions.
 *   pnpm --filter @baton/examples example:research [topic]
 * With OPENAI_API_KEY (or ANTHROPIC_API_KEY) set it calls that provider; otherwise it runs
 * on LangChain's and the AI SDK's offline scripted models. It says which.
 */
import { createSupervisor, MemoryCheckpointStore, type AgentProgress } from '@baton/core';
import { researchAndWriteWorkflow, type Article } from './research-and-write.js';
import { chooseModels } from './research-models.js';
import { timelineLine } from './timeline.js';

const topic = process.argv[2] ?? 'Baton';
const models = await chooseModels(process.env, topic);
console.log(`Models: ${models.description}\n`);

const supervisor = createSupervisor({ store: new MemoryCheckpointStore() });
const tokens = new Map<string, number>();
const start = Date.now();
supervisor.on('*', (event) => {
  // Streamed tokens are counted rather than printed one per line.
  if (event.type === 'step.progress' && (event.data as AgentProgress).type === 'token') {
    tokens.set(event.stepId, (tokens.get(event.stepId) ?? 0) + 1);
    return;
  }
  const line = timelineLine(event, start);
  if (line) console.log(line);
});

const result = await supervisor.run(researchAndWriteWorkflow(models), { topic }, { runId: 'research-1' });

console.log('\nStep summary:');
for (const [id, step] of Object.entries(result.steps)) {
  const streamed = tokens.get(id) ? ` streamed ${tokens.get(id)} token chunk(s)` : '';
  console.log(`  ${id.padEnd(9)} ${step.status.padEnd(9)} attempts=${step.attempts} ${step.durationMs}ms${streamed}`);
}
if (result.status === 'succeeded') {
  const published = result.outputs.publish as Article;
  console.log(`\n# ${published.headline}\n\n${published.article}\n(${published.words} words)`);
} else {
  console.log(`\nRun ${result.status} at step ${result.failedStep ?? '?'}: ${result.error?.message ?? 'no error'}`);
}
console.log(`\nUsed: ${models.description}`);
await supervisor.close?.();
process.exitCode = result.status === 'succeeded' ? 0 : 1;
