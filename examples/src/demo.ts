import { createSupervisor, MemoryCheckpointStore } from '@baton/core';
import { researchWorkflow } from './research-workflow.js';
import { timelineLine } from './timeline.js';

const store = new MemoryCheckpointStore();
const supervisor = createSupervisor({ store });
const start = Date.now();
supervisor.on('*', (event) => {
  const line = timelineLine(event, start);
  if (line) console.log(line);
});

const workflow = researchWorkflow({ flakyCalls: 0 });
const result = await supervisor.run(workflow, { topic: 'circuit breakers' }, { runId: 'demo-1' });

console.log('\nStep summary:');
for (const [id, step] of Object.entries(result.steps)) {
  console.log(`  ${id.padEnd(9)} ${step.status.padEnd(9)} attempts=${step.attempts} ${step.durationMs}ms`);
}
console.log(`\nOutput of write: ${JSON.stringify(result.outputs.write)}`);
console.log(
  'Agent health:',
  JSON.stringify(supervisor.health(), (key, value) => (key === 'lastProbe' ? undefined : value)),
);

const again = await supervisor.resume(workflow, 'demo-1');
console.log(`\nresume('demo-1') returned the stored result without running anything: status=${again.status}`);
process.exitCode = result.status === 'succeeded' ? 0 : 1;
