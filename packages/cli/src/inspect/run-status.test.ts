import {
  CHECKPOINT_FORMAT_VERSION,
  defineWorkflow,
  type CheckpointRecord,
  type RunOwner,
  type StepRecord,
} from '@baton/core';
import { describe, expect, it } from 'vitest';
import { formatHeader, formatRuns } from '../commands/runs.js';
import { inFlightSteps, judgeLiveness } from './run-status.js';

const run = () => 'x';
// plan -> (search, check) -> merge; audit is a second root.
const workflow = defineWorkflow({
  name: 'research',
  version: '1',
  steps: {
    plan: { run },
    audit: { run },
    search: { needs: ['plan'], run },
    check: { needs: ['plan'], run },
    merge: { needs: ['search', 'check'], run },
  },
});
const identity = { name: workflow.name, version: workflow.version, hash: workflow.hash };
const base = (seq: number) => ({ v: CHECKPOINT_FORMAT_VERSION, runId: 'r1', seq, at: 1_000 + seq, workflow: identity });
const started = (seq = 0): CheckpointRecord => ({ ...base(seq), type: 'run.started', input: { topic: 't' } });
const resumed = (seq: number): CheckpointRecord => ({ ...base(seq), type: 'run.resumed' });
const step = (seq: number, stepId: string, status: StepRecord['status'] = 'succeeded'): CheckpointRecord => ({
  ...base(seq),
  type: 'step',
  stepId,
  status,
  attempt: 1,
  durationMs: 1,
});

const storeWith = (owner: RunOwner | undefined | Error) => ({
  ownerOf: async () => {
    if (owner instanceof Error) throw owner;
    return owner;
  },
});

describe('judgeLiveness', () => {
  it('leaves finished runs alone without asking the store', async () => {
    const store = { ownerOf: () => Promise.reject(new Error('must not be called')) };
    expect(await judgeLiveness(store, 'r1', 'failed')).toEqual({ status: 'failed' });
  });

  it('keeps an unfinished run with a live owner running', async () => {
    const owner = { alive: true, description: 'pid 7 on host since 2026-01-01T00:00:00.000Z' };
    expect(await judgeLiveness(storeWith(owner), 'r1', 'running')).toEqual({ status: 'running', owner });
  });

  it('shows an unfinished run whose owner is gone as interrupted, saying why', async () => {
    const owner = { alive: false, description: 'pid 7 on host since 2026-01-01T00:00:00.000Z, process gone' };
    expect(await judgeLiveness(storeWith(owner), 'r1', 'running')).toEqual({
      status: 'interrupted',
      owner,
      note: 'owner gone: pid 7 on host since 2026-01-01T00:00:00.000Z, process gone',
    });
  });

  it('shows an unfinished run nobody holds as interrupted', async () => {
    expect(await judgeLiveness(storeWith(undefined), 'r1', 'running')).toMatchObject({
      status: 'interrupted',
      note: expect.stringContaining('no owner'),
    });
  });

  it('does not guess for a store without ownerOf, or whose lookup fails: running, liveness unknown', async () => {
    expect(await judgeLiveness({}, 'r1', 'running')).toEqual({
      status: 'running',
      note: 'liveness unknown (the store cannot tell who owns a run: it has no ownerOf)',
    });
    expect(await judgeLiveness(storeWith(new Error('S3 is down')), 'r1', 'running')).toEqual({
      status: 'running',
      note: 'liveness unknown (S3 is down)',
    });
  });
});

describe('inFlightSteps', () => {
  it('lists the ready, unfinished steps: roots at the start', () => {
    expect(inFlightSteps(workflow, [started()])).toEqual(['plan', 'audit']);
  });

  it('lists the steps whose needs all finished and that have no record yet', () => {
    const records = [started(), step(1, 'plan'), step(2, 'search')];
    expect(inFlightSteps(workflow, records)).toEqual(['audit', 'check']);
  });

  it('counts skipped dependencies as finished', () => {
    const records = [started(), step(1, 'plan'), step(2, 'audit'), step(3, 'search', 'skipped'), step(4, 'check')];
    expect(inFlightSteps(workflow, records)).toEqual(['merge']);
  });

  it('after a resume, a step that failed before is in flight again; one that failed in this execution is not', () => {
    const records = [
      started(),
      step(1, 'plan'),
      step(2, 'audit', 'failed'),
      step(3, 'search', 'timed_out'),
      resumed(4),
      step(5, 'check', 'failed'),
    ];
    expect(inFlightSteps(workflow, records)).toEqual(['audit', 'search']);
  });
});

describe('runs show header', () => {
  const records = [started(), step(1, 'plan')];

  it('shows an interrupted run, why, and its in-flight steps', () => {
    const header = formatHeader('r1', records, {
      liveness: { status: 'interrupted', note: 'owner gone: pid 7 on h since x, process gone' },
      inspected: { workflow, source: 'registered in /p/baton.config.mjs' },
      inFlight: inFlightSteps(workflow, records),
    });
    expect(header).toContain('Status:   interrupted (owner gone: pid 7 on h since x, process gone)');
    expect(header).toContain(
      `Workflow: research@1 (hash ${workflow.hash.slice(0, 12)})  registered in /p/baton.config.mjs`,
    );
    expect(header).toContain('In flight: audit, search, check  (ready and unfinished when it stopped)');
  });

  it('shows a live run with its owner, and says when in-flight steps cannot be derived', () => {
    const header = formatHeader('r1', records, {
      liveness: { status: 'running', owner: { alive: true, description: 'pid 7 on h since x' } },
      inspected: { note: 'started from code and not registered in /p/baton.config.mjs' },
      inFlight: undefined,
    });
    expect(header).toContain('Status:   running (owner pid 7 on h since x)');
    expect(header).toContain('started from code and not registered in /p/baton.config.mjs');
    expect(header).toContain('In flight: unknown (no matching workflow definition to derive them from)');
  });

  it('has no in-flight line for a finished run', () => {
    const header = formatHeader('r1', records, { liveness: { status: 'succeeded' }, inspected: {}, inFlight: [] });
    expect(header).toContain('Status:   succeeded');
    expect(header).not.toContain('In flight');
  });
});

describe('runs list table', () => {
  it('shows interrupted runs as such and marks a run whose liveness is unknown', async () => {
    const summary = { workflow: identity, startedAt: 0, updatedAt: 0, records: 2 };
    const table = formatRuns([
      {
        ...summary,
        runId: 'gone',
        ...(await judgeLiveness(storeWith({ alive: false, description: 'x' }), 'gone', 'running')),
      },
      { ...summary, runId: 'unknown', ...(await judgeLiveness({}, 'unknown', 'running')) },
      {
        ...summary,
        runId: 'live',
        ...(await judgeLiveness(storeWith({ alive: true, description: 'y' }), 'live', 'running')),
      },
    ]);
    expect(table).toMatch(/^gone\s+research@1\s+interrupted\s/m);
    expect(table).toMatch(/^unknown\s+research@1\s+running \(liveness unknown\)\s/m);
    expect(table).toMatch(/^live\s+research@1\s+running\s+\d/m);
  });
});
