// The workflow of the crash test, shared by the test (for the uninterrupted
// reference run) and the child process that gets SIGKILLed.
import { closeSync, existsSync, openSync, readFileSync, writeSync } from 'node:fs';
import { defineWorkflow } from '@baton/core';

/** Entries are padded to 64 bytes: 64 divides the page size, so one write() never spans a page and a SIGKILL cannot tear it. */
export const ENTRY_BYTES = 64;

/** Appends one fixed-size entry to an append-only file. */
export function appendEntry(path, text) {
  if (text.length >= ENTRY_BYTES) throw new Error(`entry too long: ${text}`);
  const fd = openSync(path, 'a');
  try {
    writeSync(fd, `${text.padEnd(ENTRY_BYTES - 1, ' ')}\n`);
  } finally {
    closeSync(fd);
  }
}

/** Reads the entries of a file written by appendEntry. */
export function readEntries(path) {
  if (!existsSync(path)) return [];
  const text = readFileSync(path, 'utf8');
  if (text.length % ENTRY_BYTES !== 0) throw new Error(`${path} has a torn entry (${text.length} bytes)`);
  const entries = [];
  for (let offset = 0; offset < text.length; offset += ENTRY_BYTES) entries.push(text.slice(offset, offset + ENTRY_BYTES).trimEnd());
  return entries;
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A diamond-shaped workflow with parallel steps and a retried step. Outputs
 * depend only on the input; `hooks.executed(key)` is told of every execution
 * and `hooks.effect(key)` performs the step's side effect (deduplicated by the
 * idempotency key by the caller's ledger).
 */
export function makeCrashWorkflow(hooks) {
  const node = (name, compute) => async (input, ctx) => {
    hooks.executed(ctx.idempotencyKey);
    await sleep(hooks.delayMs());
    if (name === 'flaky' && ctx.attempt === 1) throw new Error('transient failure on the first attempt');
    hooks.effect(ctx.idempotencyKey);
    return compute(input);
  };
  const retry = { maxAttempts: 3, initialDelayMs: 1, maxDelayMs: 2, jitter: 'none' };
  return defineWorkflow({
    name: 'crash-test',
    version: '1',
    steps: {
      plan: { run: node('plan', (input) => ({ seed: input.seed, topic: input.topic })) },
      search: { needs: ['plan'], run: node('search', (plan) => plan.seed * 3 + 1) },
      // A large output: its write spans many pages, so a SIGKILL can cut it short (a torn tail).
      check: { needs: ['plan'], run: node('check', (plan) => ({ text: `${plan.topic}-checked`, blob: `${plan.seed};`.repeat(16_000) })) },
      flaky: { needs: ['plan'], retry, run: node('flaky', (plan) => [plan.seed, plan.seed + 1]) },
      merge: { needs: ['search', 'check'], run: node('merge', (deps) => `${deps.check.text}:${deps.search}:${deps.check.blob.length}`) },
      score: { needs: ['merge', 'flaky'], run: node('score', (deps) => deps.merge.length + deps.flaky[1]) },
      report: { needs: ['score'], run: node('report', (score) => ({ score, text: `score ${score}` })) },
    },
  });
}

/** The input of a crash-test run. */
export function crashInput(runId) {
  let seed = 0;
  for (const char of runId) seed = (seed * 31 + char.charCodeAt(0)) % 1000;
  return { seed, topic: runId };
}
