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
    const result = validateWorkflow({ name: 'w', version: '1', steps: { a: { run: fn }, b: { run: fn, needs: ['a'] } } });
    expect(result).toEqual({ ok: true, errors: [], warnings: [] });
  });

  it('reports every problem at once, with step ids and paths', () => {
    const result = validateWorkflow({
      name: '', version: '1',
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
    expect(codes).toEqual(expect.arrayContaining([
      'invalid_option@name',
      'self_dependency@steps.a.needs.0',
      'unknown_dependency@steps.a.needs.1',
      'invalid_option@steps.e.run',
      'invalid_option@steps.e.retry.maxAttempts',
      'invalid_option@steps.e.retry.backoffFactor',
      'invalid_option@steps.e.retry.initialDelayMs',
      'invalid_option@steps.e.timeoutMs',
    ]));
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
      name: 'w', version: '1',
      steps: { a: { run: fn, needs: ['b'] }, b: { run: fn, needs: ['a'] }, x: { run: fn, needs: ['y'] }, y: { run: fn, needs: ['x'] }, z: { run: fn, needs: ['y'] } },
    });
    expect(result.errors.filter((problem) => problem.code === 'cycle').map((problem) => problem.message).sort()).toEqual(['cycle: b -> a -> b', 'cycle: y -> x -> y']);
  });

  it('reports depth over maxDepth', () => {
    const result = validateWorkflow({ name: 'w', version: '1', maxDepth: 3, steps: chain(5) });
    expect(result.errors).toEqual([expect.objectContaining({ code: 'depth_exceeded', stepId: 's3' })]);
  });

  it('warns about steps unreachable from the entrypoint', () => {
    const result = validateWorkflow({ name: 'w', version: '1', entrypoint: 'a', steps: { a: { run: fn }, b: { run: fn, needs: ['a'] }, lonely: { run: fn } } });
    expect(result.ok).toBe(true);
    expect(result.warnings).toEqual([expect.objectContaining({ code: 'unreachable_step', stepId: 'lonely' })]);
  });

  it('rejects unknown keys and bad agents', () => {
    const result = validateWorkflow({ name: 'w', version: '1', steps: { a: { run: { id: '', invoke: fn }, retries: 3 } } });
    expect(result.errors.map((problem) => problem.path.join('.'))).toEqual(expect.arrayContaining(['steps.a.run', 'steps.a']));
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
    const cycle = validateWorkflow({ name: 'w', version: '1', steps }).errors.find((problem) => problem.code === 'cycle');
    expect(cycle?.message.split(' -> ')).toHaveLength(100_001);
  });
});

describe('defineWorkflow', () => {
  it('throws one WorkflowValidationError listing every problem', () => {
    let error: unknown;
    try {
      defineWorkflow({ name: 'bad', version: '1', steps: { a: { run: fn, needs: ['x'] }, b: { run: fn, needs: ['y'] } } });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(WorkflowValidationError);
    const validation = error as WorkflowValidationError;
    expect(validation.code).toBe('BATON_WORKFLOW_INVALID');
    expect(validation.problems).toHaveLength(2);
    expect(validation.message).toBe([
      "Workflow 'bad' is invalid (2 problems):",
      "  - steps.a.needs[0]: step 'a' needs unknown step 'x'",
      "  - steps.b.needs[0]: step 'b' needs unknown step 'y'",
    ].join('\n'));
  });

  it('hashes the structure stably, and differently when it changes', () => {
    const make = (needs: string[], version = '1') => defineWorkflow({ name: 'w', version, steps: { a: { run: fn }, b: { run: async () => 2, needs } } });
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
