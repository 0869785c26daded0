// Workflows defined in code (not YAML) for the CLI integration tests. `search` and `fetch` wait until a
// file named gate.open exists, so a test can kill the process running them, or let them finish.
import { appendFileSync, existsSync } from 'node:fs';
import { defineWorkflow } from '@baton/core';
import { z } from 'zod';

const log = (id) => appendFileSync('calls.log', `${id}\n`);
const pause = (ms, signal) =>
  new Promise((resolve, reject) => {
    const onAbort = () => (clearTimeout(timer), reject(signal.reason));
    const timer = setTimeout(() => (signal.removeEventListener('abort', onAbort), resolve()), ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
const gated = (label) => async (plan, ctx) => {
  log(ctx.stepId);
  process.stderr.write(`${ctx.stepId} started\n`);
  while (!existsSync('gate.open')) await pause(20, ctx.signal);
  return `${label}: ${plan}`;
};

export const researchWorkflow = defineWorkflow({
  name: 'research',
  version: '1.0.0',
  retry: { maxAttempts: 1 },
  steps: {
    plan: { run: (input, ctx) => (log(ctx.stepId), `plan for ${input.topic}`) },
    search: { needs: ['plan'], run: gated('found') },
    fetch: { needs: ['plan'], run: gated('fetched') },
    report: { needs: ['search', 'fetch'], run: (deps, ctx) => (log(ctx.stepId), `${deps.search} / ${deps.fetch}`) },
  },
});

// Never registered in baton.config: resuming its runs must say so.
export const unregisteredWorkflow = defineWorkflow({
  name: 'scratch',
  version: '0.1.0',
  retry: { maxAttempts: 1 },
  steps: { wait: { run: gated('waited') } },
});

// A wait step between two steps: runs end suspended until `baton resume --answer review=…`.
export const reviewWorkflow = defineWorkflow({
  name: 'review',
  version: '1.0.0',
  steps: {
    draft: { run: (input, ctx) => (log(ctx.stepId), `draft about ${input.topic}`) },
    review: {
      needs: ['draft'],
      waitFor: {
        schema: z.object({ approved: z.boolean(), note: z.string().optional() }),
        prompt: (ctx) => `Publish "${ctx.outputs.draft}"?`,
      },
    },
    legal: { needs: ['draft'], waitFor: { schema: z.object({ ok: z.boolean() }), prompt: 'Legal OK?', timeoutMs: 1 } },
    publish: {
      needs: ['review', 'legal'],
      run: (deps, ctx) => (log(ctx.stepId), deps.review.approved && deps.legal.ok ? 'published' : 'dropped'),
    },
  },
});
