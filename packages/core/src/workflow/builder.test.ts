import { describe, expect, it } from 'vitest';
import { WorkflowValidationError } from '../errors/errors.js';
import { createSupervisor } from '../supervisor/supervisor.js';
import { workflow } from './builder.js';
import { defineWorkflow, isWorkflow } from './define-workflow.js';
import type { Agent } from './types.js';

const agent: Agent<number, number> = { id: 'double', invoke: (n) => n * 2 };
const plan = (input: unknown) => Number(input);
const check = (n: number) => n > 0;
const write = (input: { search: number; check: boolean }) => `${input.search}:${input.check}`;
const when = () => true;

describe('workflow() builder', () => {
  it('builds the same frozen workflow, with the same hash, as the record form', () => {
    const built = workflow({ name: 'research', version: '2', retry: { maxAttempts: 2 }, timeoutMs: 5_000 })
      .step('plan', plan)
      .step('search', { needs: ['plan'], run: agent, timeoutMs: 100 })
      .step('check', { needs: ['plan'], run: check })
      .step('write', { needs: ['search', 'check'], run: write, when })
      .build();
    const record = defineWorkflow({
      name: 'research',
      version: '2',
      retry: { maxAttempts: 2 },
      timeoutMs: 5_000,
      steps: {
        plan: { run: plan },
        search: { needs: ['plan'], run: agent, timeoutMs: 100 },
        check: { needs: ['plan'], run: check },
        write: { needs: ['search', 'check'], run: write, when },
      },
    });
    expect(isWorkflow(built)).toBe(true);
    expect(Object.isFrozen(built)).toBe(true);
    expect(built.hash).toBe(record.hash);
    expect(Object.keys(built.steps)).toEqual(Object.keys(record.steps));
    expect(built.steps).toEqual(record.steps);
    expect(built.options).toEqual(record.options);
    expect(built.graph).toEqual(record.graph);
  });

  it('runs with the inputs the run loop derives: run input, one need, several needs', async () => {
    const built = workflow({ name: 'r', version: '1' })
      .step('plan', plan)
      .step('search', { needs: ['plan'], run: agent })
      .step('check', { needs: ['plan'], run: check })
      .step('write', { needs: ['search', 'check'], run: write })
      .build();
    const result = await createSupervisor().run(built, '21');
    expect(result.status).toBe('succeeded');
    expect(result.outputs).toEqual({ plan: 21, search: 42, check: true, write: '42:true' });
  });

  it('is immutable: a builder can be branched without the branches seeing each other', () => {
    const base = workflow({ name: 'b', version: '1' }).step('a', () => 1);
    const left = base.step('l', { needs: ['a'], run: (n) => n + 1 }).build();
    const right = base.step('r', { needs: ['a'], run: (n) => n - 1 }).build();
    expect(Object.keys(left.steps)).toEqual(['a', 'l']);
    expect(Object.keys(right.steps)).toEqual(['a', 'r']);
    expect(Object.keys(base.build().steps)).toEqual(['a']);
  });

  it('rejects a duplicate id that got past the types with a validation error naming it', () => {
    const untyped = workflow({ name: 'dup', version: '1' }).step('a', () => 1) as unknown as {
      step(id: string, run: () => number): { build(): unknown };
    };
    const error = (() => {
      try {
        untyped.step('a', () => 2).build();
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(WorkflowValidationError);
    expect((error as WorkflowValidationError).problems).toEqual([
      { code: 'duplicate_step', stepId: 'a', path: ['steps', 'a'], message: "step id 'a' is used twice" },
    ]);
  });

  it('reports problems the way defineWorkflow does (e.g. an unknown dependency past the types)', () => {
    const untyped = workflow({ name: 'bad', version: '1' }) as unknown as {
      step(id: string, definition: object): { build(): unknown };
    };
    expect(() => untyped.step('a', { needs: ['ghost'], run: () => 1 }).build()).toThrow(WorkflowValidationError);
  });
});
