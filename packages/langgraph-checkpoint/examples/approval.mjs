// A LangGraph.js graph that waits for a person, persisted on a Baton store through BatonSaver.
// Each command is a separate process, so the process can die at any point (the int test SIGKILLs it)
// and the next one carries on from the thread's last checkpoint.
//
//   node examples/approval.mjs start <threadId> <request>   runs until the review interrupt, then waits
//   node examples/approval.mjs answer <threadId> yes|no     resumes the interrupt with the answer
//   node examples/approval.mjs continue <threadId>          resumes a run that died mid-step
//
// Store: BATON_EXAMPLE_STORE=s3:<key prefix> (settings from BATON_S3_*, as written by scripts/s3-up.sh)
// or fs:<directory>. Each node appends "<node> <pid>" to BATON_EXAMPLE_LOG when set, and the node named
// by BATON_EXAMPLE_HANG never finishes (so a test can kill the process inside it).
import { appendFileSync } from 'node:fs';
import { FsCheckpointStore } from '@baton/checkpoint-fs';
import { S3CheckpointStore, s3OptionsFromEnv } from '@baton/checkpoint-s3';
import { BatonSaver } from '@baton/langgraph-checkpoint';
import { Annotation, Command, END, interrupt, START, StateGraph } from '@langchain/langgraph';

function openStore(spec = '') {
  const [kind, location] = [spec.slice(0, spec.indexOf(':')), spec.slice(spec.indexOf(':') + 1)];
  if (kind === 'fs') return new FsCheckpointStore({ dir: location });
  const s3 = s3OptionsFromEnv();
  if (kind === 's3' && s3) return new S3CheckpointStore({ ...s3, prefix: location });
  throw new Error(
    `BATON_EXAMPLE_STORE must be s3:<prefix> (with BATON_S3_* set) or fs:<dir>, got ${JSON.stringify(spec)}`,
  );
}

/** Marks that `node` ran in this process, then hangs there if asked to. */
async function enter(node) {
  if (process.env.BATON_EXAMPLE_LOG) appendFileSync(process.env.BATON_EXAMPLE_LOG, `${node} ${process.pid}\n`);
  if (process.env.BATON_EXAMPLE_HANG === node) {
    process.stdout.write(`hanging in ${node}\n`);
    await new Promise(() => setInterval(() => {}, 60_000));
  }
}

const State = Annotation.Root({
  request: Annotation(),
  draft: Annotation(),
  approved: Annotation(),
  sent: Annotation(),
});

const graph = new StateGraph(State)
  .addNode('write', async (state) => {
    await enter('write');
    return { draft: `Refund ${state.request} to the customer's card.` };
  })
  .addNode('review', async (state) => {
    await enter('review');
    // The run stops here until someone answers; on resume the node runs again and interrupt() returns the answer.
    const answer = interrupt({ question: 'Send this refund?', draft: state.draft });
    return { approved: answer === 'yes' };
  })
  .addNode('publish', async (state) => {
    await enter('publish');
    return { draft: state.approved ? `${state.draft} (approved)` : `${state.draft} (rejected)` };
  })
  .addNode('notify', async (state) => {
    await enter('notify');
    return { sent: state.approved };
  })
  .addEdge(START, 'write')
  .addEdge('write', 'review')
  .addEdge('review', 'publish')
  .addEdge('publish', 'notify')
  .addEdge('notify', END)
  .compile({ checkpointer: new BatonSaver(openStore(process.env.BATON_EXAMPLE_STORE)) });

const [command, threadId, argument] = process.argv.slice(2);
// durability 'sync': each step's checkpoint is stored before the next step starts, so a kill loses at most the running step.
const config = { configurable: { thread_id: threadId }, durability: 'sync' };
const input = { start: { request: argument }, answer: new Command({ resume: argument }), continue: null }[command];
if (input === undefined || !threadId)
  throw new Error(`usage: approval.mjs start|answer|continue <threadId> [argument]`);

const result = await graph.invoke(input, config);
const waiting = result.__interrupt__?.map((pending) => pending.value);
process.stdout.write(`${waiting?.length ? `waiting ${JSON.stringify(waiting)}` : `done ${JSON.stringify(result)}`}\n`);
// A waiting run holds nothing in memory: this process could exit; it stays up so the test can kill it the hard way.
if (waiting?.length && process.env.BATON_EXAMPLE_STAY === '1') setInterval(() => {}, 60_000);
