import { createHash } from 'node:crypto';
import { isAgent } from './schema.js';
import type { StepDefinition, WorkflowOptions } from './types.js';

/** Set by the document parser on the steps it builds: their `uses:`/`when`/`input` source, hashed. */
const STEP_SOURCE = Symbol.for('baton.stepSource');

/** Text handed to the hash at once: one update per step was a large share of hashing 100,000 steps. */
const CHUNK_CHARS = 64 * 1024;

/**
 * SHA-256 of the workflow's structure: name, version, step ids, dependencies,
 * policies and agent ids. Function bodies are not hashed (bundlers change
 * them without meaning a change); bump `version` when behaviour changes.
 *
 * The hashed text must never change (stored runs are resumed by comparing
 * hashes): the header's JSON, then for each step id in sorted order a newline
 * and the JSON of its row. Feeding it in larger chunks gives the same digest.
 */
export function hashWorkflow(
  options: WorkflowOptions,
  steps: Readonly<Record<string, StepDefinition>>,
  ids: readonly string[],
): string {
  const hash = createHash('sha256');
  hash.update(
    JSON.stringify([
      options.name,
      options.version,
      options.timeoutMs ?? null,
      options.retry ?? null,
      options.concurrency ?? null,
    ]),
  );
  let chunk = '';
  for (const id of [...ids].sort()) {
    chunk += `\n${JSON.stringify(stepRow(id, steps[id]!))}`;
    if (chunk.length >= CHUNK_CHARS) {
      hash.update(chunk);
      chunk = '';
    }
  }
  hash.update(chunk);
  return hash.digest('hex');
}

function stepRow(id: string, step: StepDefinition): unknown[] {
  const needs = step.needs ?? [];
  return [
    id,
    needs.length > 1 ? [...needs].sort() : needs,
    isAgent(step.run) ? `agent:${step.run.id}` : step.waitFor ? `wait:${step.waitFor.key ?? id}` : 'fn',
    (step as { [STEP_SOURCE]?: string })[STEP_SOURCE] ?? null,
    step.when ? 1 : 0,
    step.input ? 1 : 0,
    step.retry ?? null,
    step.timeoutMs ?? null,
    step.breaker ?? null,
    (step.fallback ?? []).map((agent) => agent.id),
  ];
}
