import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { answerReview, startReview } from './review-workflow.js';

describe('draft → review → publish or revise example', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'baton-review-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('suspends at the review and publishes once approved, from a new store and supervisor', async () => {
    const started = await startReview(dir, 'post-1', 'tide pools');
    expect(started.status).toBe('suspended');
    expect(started.waiting).toMatchObject([{ key: 'review', prompt: 'Publish "Notes on tide pools"?' }]);
    const done = await answerReview(dir, 'post-1', { approved: true }, 'ana');
    expect(done.status).toBe('succeeded');
    expect(done.outputs.publish).toBe('published: Notes on tide pools');
    expect(done.steps.revise?.status).toBe('skipped');
  });

  it('revises when the reviewer says no, with the note', async () => {
    await startReview(dir, 'post-2', 'owls');
    const done = await answerReview(dir, 'post-2', { approved: false, note: 'shorter' });
    expect(done.outputs.revise).toBe('to revise: Notes on owls (shorter)');
    expect(done.steps.publish?.status).toBe('skipped');
  });
});
