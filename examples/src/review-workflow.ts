// Draft → human review → publish or revise, with the review as a wait step. The run suspends at the
// review; any process can answer it later (see review.ts, run once to start and once to answer).
import { createSupervisor, workflow, type RunResult } from '@baton/core';
import { FsCheckpointStore } from '@baton/checkpoint-fs';
import { z } from 'zod';

/** What the reviewer answers. */
export const reviewAnswer = z.object({ approved: z.boolean(), note: z.string().optional() });

/** The workflow: `draft` → `review` (a person) → `publish` if approved, else `revise`. */
export const reviewFlow = workflow({
  name: 'draft-review',
  version: '1.0.0',
  input: z.object({ topic: z.string().min(1) }),
})
  .step('draft', (input) => ({ title: `Notes on ${input.topic}`, body: `${input.topic}: three things to know.` }))
  .step('review', {
    needs: ['draft'],
    waitFor: { schema: reviewAnswer, prompt: (ctx) => `Publish "${ctx.outputs.draft.title}"?` },
  })
  .step('publish', {
    needs: ['draft', 'review'],
    when: (ctx) => ctx.outputs.review?.approved === true,
    run: ({ draft }) => `published: ${draft.title}`,
  })
  .step('revise', {
    needs: ['draft', 'review'],
    when: (ctx) => ctx.outputs.review?.approved === false,
    run: ({ draft, review }) => `to revise: ${draft.title} (${review.note ?? 'no note'})`,
  })
  .build();

/** Starts a review run in `dir` (a new store and supervisor, as a fresh process has). */
export async function startReview(dir: string, runId: string, topic: string): Promise<RunResult> {
  const store = new FsCheckpointStore({ dir });
  const supervisor = createSupervisor({ store });
  try {
    return await supervisor.run(reviewFlow, { topic }, { runId });
  } finally {
    await supervisor.close();
    await store.close();
  }
}

/** Answers the review of run `runId` in `dir` and continues it (in whatever process calls it). */
export async function answerReview(dir: string, runId: string, answer: unknown, by?: string): Promise<RunResult> {
  const store = new FsCheckpointStore({ dir });
  const supervisor = createSupervisor({ store });
  try {
    return await supervisor.resume(reviewFlow, runId, { inputs: { review: answer }, ...(by ? { by } : {}) });
  } finally {
    await supervisor.close();
    await store.close();
  }
}
