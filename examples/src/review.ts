// The review example from two processes:
//   node dist/review.js start post-1            → suspended, waiting for "review"
//   node dist/review.js answer post-1 '{"approved":true}' ana   → succeeded: published
// Each command is its own process: the second one knows only the store in .baton-review/.
import { answerReview, startReview } from './review-workflow.js';

const DIR = '.baton-review';
const [command, runId = 'post-1', answer, by] = process.argv.slice(2);

if (command === 'start') {
  const result = await startReview(DIR, runId, 'tide pools');
  console.log(`${runId}: ${result.status}`);
  for (const wait of result.waiting ?? []) console.log(`  waiting for "${wait.key}": ${wait.prompt}`);
  console.log(`answer it: node dist/review.js answer ${runId} '{"approved":true}'`);
} else if (command === 'answer' && answer) {
  const result = await answerReview(DIR, runId, JSON.parse(answer), by);
  console.log(`${runId}: ${result.status}`, result.outputs.publish ?? result.outputs.revise ?? '');
} else {
  console.log('usage: node dist/review.js start <runId> | answer <runId> <json> [by]');
  process.exitCode = 2;
}
