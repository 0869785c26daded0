import { describe, expect, it } from 'vitest';
import { WorkflowValidationError } from '../errors/errors.js';
import { defineWorkflow, validateWorkflow } from './define-workflow.js';
import type { StepDefinition } from './types.js';

const fn = async (input: unknown) => input;

function chain(length: number): Record<string, StepDefinition> {
  const steps: Record<string, StepDefinition> = {};
  for (let i = 0; i < length; i++) steps[`s${i}`] = i === 0 ? { run: fn } : { run: fn, needs: [`s${i - 1}`] };
  return steps;
}

describe('validateWorkflow', () => {
  it('accepts a valid DAG', () => {
    const result = validateWorkflow({
      name: 'w',
      version: '1',
      steps: { a: { run: fn }, b: { run: fn, needs: ['a'] } },
    });
    expect(result).toEqual({ ok: true, errors: [], warnings: [] });
  });

  it('reports every problem at once, with step ids and paths', () => {
    const result = validateWorkflow({
      name: '',
      version: '1',
      steps: {
        a: { run: fn, needs: ['a', 'ghost'] },
        b: { run: fn, needs: ['c'] },
        c: { run: fn, needs: ['d'] },
        d: { run: fn, needs: ['b'] },
        e: { run: 42, retry: { maxAttempts: 0, backoffFactor: 0.5, initialDelayMs: Number.NaN }, timeoutMs: -1 },
      },
    });
    const codes = result.errors.map((problem) => `${problem.code}@${problem.path.join('.')}`);
    expect(result.ok).toBe(false);
    expect(codes).toEqual(
      expect.arrayContaining([
        'invalid_option@name',
        'self_dependency@steps.a.needs.0',
        'unknown_dependency@steps.a.needs.1',
        'invalid_option@steps.e.run',
        'invalid_option@steps.e.retry.maxAttempts',
        'invalid_option@steps.e.retry.backoffFactor',
        'invalid_option@steps.e.retry.initialDelayMs',
        'invalid_option@steps.e.timeoutMs',
      ]),
    );
    const cycle = result.errors.find((problem) => problem.code === 'cycle');
    expect(cycle?.message).toMatch(/^cycle: (b -> d -> c -> b|d -> c -> b -> d|c -> b -> d -> c)$/);
    const factor = result.errors.find((problem) => problem.path.join('.') === 'steps.e.retry.backoffFactor');
    expect(factor?.message).toContain('0.5');
  });

  it('reports an empty workflow', () => {
    expect(validateWorkflow({ name: 'w', version: '1', steps: {} }).errors).toEqual([
      { code: 'empty_workflow', path: ['steps'], message: 'a workflow needs at least one step' },
    ]);
  });

  it('reports each separate cycle once', () => {
    const result = validateWorkflow({
      name: 'w',
      version: '1',
      steps: {
        a: { run: fn, needs: ['b'] },
        b: { run: fn, needs: ['a'] },
        x: { run: fn, needs: ['y'] },
        y: { run: fn, needs: ['x'] },
        z: { run: fn, needs: ['y'] },
      },
    });
    expect(
      result.errors
        .filter((problem) => problem.code === 'cycle')
        .map((problem) => problem.message)
        .sort(),
    ).toEqual(['cycle: b -> a -> b', 'cycle: y -> x -> y']);
  });

  it('reports depth over maxDepth', () => {
    const result = validateWorkflow({ name: 'w', version: '1', maxDepth: 3, steps: chain(5) });
    expect(result.errors).toEqual([expect.objectContaining({ code: 'depth_exceeded', stepId: 's3' })]);
  });

  it('warns about steps unreachable from the entrypoint', () => {
    const result = validateWorkflow({
      name: 'w',
      version: '1',
      entrypoint: 'a',
      steps: { a: { run: fn }, b: { run: fn, needs: ['a'] }, lonely: { run: fn } },
    });
    expect(result.ok).toBe(true);
    expect(result.warnings).toEqual([expect.objectContaining({ code: 'unreachable_step', stepId: 'lonely' })]);
  });

  it('rejects unknown keys and bad agents', () => {
    const result = validateWorkflow({
      name: 'w',
      version: '1',
      steps: { a: { run: { id: '', invoke: fn }, retries: 3 } },
    });
    expect(result.errors.map((problem) => problem.path.join('.'))).toEqual(
      expect.arrayContaining(['steps.a.run', 'steps.a']),
    );
  });

  it('handles a 100,000-step chain and a 100,000-wide fan-out without recursion', () => {
    expect(validateWorkflow({ name: 'chain', version: '1', steps: chain(100_000) }).ok).toBe(true);
    const fan: Record<string, StepDefinition> = { root: { run: fn } };
    const leaves: string[] = [];
    for (let i = 0; i < 100_000; i++) (fan[`l${i}`] = { run: fn, needs: ['root'] }), leaves.push(`l${i}`);
    fan.join = { run: fn, needs: leaves };
    expect(validateWorkflow({ name: 'fan', version: '1', steps: fan }).ok).toBe(true);
  });

  it('finds a cycle closing a 100,000-step chain', () => {
    const steps = chain(100_000);
    steps.s0 = { run: fn, needs: ['s99999'] };
    const cycle = validateWorkflow({ name: 'w', version: '1', steps }).errors.find(
      (problem) => problem.code === 'cycle',
    );
    expect(cycle?.message.split(' -> ')).toHaveLength(100_001);
  });
});

describe('defineWorkflow', () => {
  it('throws one WorkflowValidationError listing every problem', () => {
    let error: unknown;
    try {
      defineWorkflow({
        name: 'bad',
        version: '1',
        steps: { a: { run: fn, needs: ['x'] }, b: { run: fn, needs: ['y'] } },
      });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(WorkflowValidationError);
    const validation = error as WorkflowValidationError;
    expect(validation.code).toBe('BATON_WORKFLOW_INVALID');
    expect(validation.problems).toHaveLength(2);
    expect(validation.message).toBe(
      [
        "Workflow 'bad' is invalid (2 problems):",
        "  - steps.a.needs[0]: step 'a' needs unknown step 'x'",
        "  - steps.b.needs[0]: step 'b' needs unknown step 'y'",
      ].join('\n'),
    );
  });

  it('hashes the structure stably, and differently when it changes', () => {
    const make = (needs: string[], version = '1') =>
      defineWorkflow({ name: 'w', version, steps: { a: { run: fn }, b: { run: async () => 2, needs } } });
    expect(make(['a']).hash).toMatch(/^[0-9a-f]{64}$/);
    expect(make(['a']).hash).toBe(make(['a']).hash);
    expect(make([]).hash).not.toBe(make(['a']).hash);
    expect(make(['a'], '2').hash).not.toBe(make(['a']).hash);
  });

  it('returns a frozen workflow whose steps cannot be changed afterwards', () => {
    const workflow = defineWorkflow({ name: 'w', version: '1', steps: { a: { run: fn } } });
    expect(Object.isFrozen(workflow)).toBe(true);
    expect(Object.isFrozen(workflow.steps)).toBe(true);
  });
});

describe('workflow hash and copy', () => {
  const agent = { id: 'llm', invoke: fn };
  const backup = { id: 'backup', invoke: fn };

  // Stored runs are resumed by comparing hashes: these values were computed by the
  // original (eager, one update per step) implementation and must never change.
  it('hashes exactly as before', () => {
    const rich = defineWorkflow({
      name: 'rich',
      version: '2.1.0',
      description: 'd',
      timeoutMs: 5000,
      retry: { maxAttempts: 4, jitter: 'none' },
      concurrency: 3,
      steps: {
        z: { run: fn },
        a: {
          run: agent,
          needs: ['z'],
          retry: { initialDelayMs: 10 },
          timeoutMs: 100,
          breaker: { key: 'k', consecutiveFailures: 2 },
          fallback: [backup],
        },
        m: { run: fn, needs: ['z', 'a', 'z'], when: () => true, input: () => 1 },
        b: { run: fn, needs: ['m', 'a'], breaker: false, description: 'x' },
        'ü-ñ': { run: fn, needs: ['b'] },
      },
    });
    expect(rich.hash).toBe('d957f2f25e70f20581854acbbb6e79379e6173c17b721db8199bde4f803ef284');
    // Long enough to be hashed in several chunks.
    expect(defineWorkflow({ name: 'big', version: '1', steps: chain(3000) }).hash).toBe(
      'cede7e2cbafc366ad8fa9bac5e7565fa39c9a2f36ebf08fc739ae4cb25d9df60',
    );
  });

  it('computes the hash once, on first read, from the definition as it was when defined', () => {
    const steps = chain(3);
    const workflow = defineWorkflow({ name: 'w', version: '1', steps });
    steps.s1 = { run: fn, needs: [] }; // later changes to the caller's object change nothing
    const expected = defineWorkflow({ name: 'w', version: '1', steps: chain(3) }).hash;
    expect(workflow.hash).toBe(expected);
    expect(workflow.hash).toBe(expected);
    expect({ ...workflow }.hash).toBe(expected);
    expect(Object.keys(workflow)).toEqual(['name', 'version', 'hash', 'steps', 'options', 'warnings', 'graph']);
  });

  it('copies the steps record: same keys in the same order, own "__proto__" included, frozen', () => {
    const steps = JSON.parse('{"b":{},"__proto__":{},"a":{"needs":["__proto__"]}}') as Record<string, StepDefinition>;
    for (const id of Object.keys(steps)) steps[id]!.run = fn;
    const workflow = defineWorkflow({ name: 'w', version: '1', steps });
    expect(Object.keys(workflow.steps)).toEqual(['b', '__proto__', 'a']);
    expect(Object.getPrototypeOf(workflow.steps)).toBe(Object.prototype);
    expect(workflow.steps.a).toBe(steps.a);
    expect(Object.isFrozen(workflow.steps)).toBe(true);
  });

  it('keeps dependencies in needs order without duplicates, and dependents in step order', () => {
    const workflow = defineWorkflow({
      name: 'w',
      version: '1',
      steps: { x: { run: fn }, y: { run: fn }, c: { run: fn, needs: ['y', 'x', 'y'] }, d: { run: fn, needs: ['x'] } },
    });
    const { graph } = workflow;
    const deps = (i: number) =>
      [...graph.depList.subarray(graph.depStart[i], graph.depStart[i + 1])].map((j) => graph.ids[j]);
    const dependents = (i: number) =>
      [...graph.dependentList.subarray(graph.dependentStart[i], graph.dependentStart[i + 1])].map((j) => graph.ids[j]);
    expect(deps(2)).toEqual(['y', 'x']);
    expect(dependents(0)).toEqual(['c', 'd']);
    expect([...graph.roots]).toEqual([0, 1]);
    expect([...graph.order].map((i) => graph.ids[i])).toEqual(['x', 'y', 'd', 'c']);
  });
});
