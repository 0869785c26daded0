import { describe, expect, it } from 'vitest';
import { createSupervisor } from '../supervisor/supervisor.js';
import { WorkflowValidationError } from '../errors/errors.js';
import { parseWorkflowDocument, validateWorkflowDocument } from './document.js';

const registry = {
  planner: (input: { topic: string }) => ({ topic: input.topic, ok: true }),
  writer: { id: 'writer', invoke: async (plan: { topic: string }) => `about ${plan.topic}` },
  alarm: () => 'alarm',
};

const doc = {
  metadata: { name: 'research', version: '1.0.0', tags: ['demo'] },
  spec: { timeout: '30s', retryPolicy: { maxAttempts: 2 } },
  steps: [
    { id: 'plan', uses: 'planner' },
    { id: 'write', uses: 'writer', needs: ['plan'], when: 'outputs.plan.ok', timeout: '5s' },
    { id: 'alarm', uses: 'alarm', needs: ['plan'], when: { path: 'outputs.plan.ok', equals: false } },
  ],
};

describe('declarative documents', () => {
  it('parses into a runnable workflow', async () => {
    const workflow = parseWorkflowDocument(doc, { registry });
    expect(workflow.options.timeoutMs).toBe(30_000);
    expect(workflow.steps.write!.timeoutMs).toBe(5000);
    const result = await createSupervisor().run(workflow, { topic: 'x' });
    expect(result.outputs).toEqual({ plan: { topic: 'x', ok: true }, write: 'about x' });
    expect(result.steps.alarm!.status).toBe('skipped');
  });

  it('accepts a `$schema` key (for editors) and ignores it: the workflow and its hash are unchanged', () => {
    const plain = parseWorkflowDocument(doc, { registry });
    const withSchema = parseWorkflowDocument({ $schema: './workflow.schema.json', ...doc }, { registry });
    expect(withSchema.hash).toBe(plain.hash);
    expect(validateWorkflowDocument({ $schema: 5, ...doc }, { registry }).errors).toEqual([
      expect.objectContaining({ code: 'invalid_option', path: ['$schema'] }),
    ]);
  });

  it('points errors at the path in the document', () => {
    const result = validateWorkflowDocument(
      {
        metadata: { name: 'w', version: '1' },
        steps: [
          { id: 'a', uses: 'nope' },
          { id: 'a', uses: 'planner' },
          { id: 'b', uses: 'planner', needs: ['zzz'], timeout: 'soon' },
        ],
      },
      { registry },
    );
    expect(result.errors.map((problem) => `${problem.code}@${problem.path.join('.')}`)).toEqual(
      expect.arrayContaining(['invalid_option@steps.2.timeout']),
    );
    const second = validateWorkflowDocument(
      {
        metadata: { name: 'w', version: '1' },
        steps: [
          { id: 'a', uses: 'nope' },
          { id: 'a', uses: 'planner' },
          { id: 'b', uses: 'planner', needs: ['zzz'] },
        ],
      },
      { registry },
    );
    expect(second.errors.map((problem) => `${problem.code}@${problem.path.join('.')}`)).toEqual([
      'duplicate_step@steps.1.id',
      'unknown_agent@steps.0.uses',
      'unknown_dependency@steps.2.needs.0',
    ]);
    expect(second.errors[1]!.message).toBe("no agent 'nope' in the registry; known: alarm, planner, writer");
  });

  it('refuses a timeout without a unit in a step and in spec, with a hint', () => {
    const result = validateWorkflowDocument(
      {
        metadata: { name: 'w', version: '1' },
        spec: { timeout: 30 },
        steps: [
          { id: 'a', uses: 'planner', timeout: 5 },
          { id: 'b', uses: 'planner', needs: ['a'], timeout: '500' },
        ],
      },
      { registry },
    );
    expect(result.errors.map((problem) => [problem.path.join('.'), problem.message])).toEqual([
      [
        'spec.timeout',
        'a duration needs a unit: write "30s" (seconds) or "30ms" (milliseconds); units are ms, s, m, h, d (got 30)',
      ],
      [
        'steps.0.timeout',
        'a duration needs a unit: write "5s" (seconds) or "5ms" (milliseconds); units are ms, s, m, h, d (got 5)',
      ],
      [
        'steps.1.timeout',
        'a duration needs a unit: write "500s" (seconds) or "500ms" (milliseconds); units are ms, s, m, h, d (got "500")',
      ],
    ]);
  });

  it('refuses a when/input path naming a step that is not upstream (a typo would silently skip the step)', () => {
    const result = validateWorkflowDocument(
      {
        metadata: { name: 'w', version: '1' },
        steps: [
          { id: 'plan', uses: 'planner' },
          { id: 'check', uses: 'planner', needs: ['plan'] },
          { id: 'side', uses: 'planner', needs: ['plan'] },
          { id: 'write', uses: 'writer', needs: ['check'], when: 'outputs.chek.ok', input: { path: 'outputs.side' } },
          { id: 'alarm', uses: 'alarm', needs: ['check'], when: { path: 'outputs.plan.ok', equals: false } },
        ],
      },
      { registry },
    );
    expect(
      result.errors.map((problem) => [problem.code, problem.stepId, problem.path.join('.'), problem.message]),
    ).toEqual([
      [
        'unknown_path_step',
        'write',
        'steps.3.when',
        'path "outputs.chek.ok": there is no step \'chek\'; upstream steps: check, plan',
      ],
      [
        'unknown_path_step',
        'write',
        'steps.3.input.path',
        "path \"outputs.side\": step 'side' is not upstream of step 'write' (add it to needs); upstream steps: check, plan",
      ],
    ]);
  });

  it('throws WorkflowValidationError from parseWorkflowDocument', () => {
    expect(() => parseWorkflowDocument({ metadata: { name: 'w' }, steps: [] }, { registry })).toThrow(
      WorkflowValidationError,
    );
  });

  it('keeps checking the registry and the graph when a step has bad options', () => {
    const result = validateWorkflowDocument(
      {
        metadata: { name: 'w', version: '1' },
        steps: [
          { id: 'a', uses: 'planner', retry: { maxAttempts: 0 } },
          { id: 'b', uses: 'ghost', needs: ['a', 'zzz'] },
          { id: 'c', uses: 'planner', needs: ['b'] },
        ],
      },
      { registry },
    );
    expect(result.errors.map((problem) => `${problem.code}@${problem.path.join('.')}`)).toEqual([
      'invalid_option@steps.0.retry.maxAttempts',
      'unknown_agent@steps.1.uses',
      'unknown_dependency@steps.1.needs.1',
    ]);
  });

  it('reports only the unknown agents when every `uses:` is unknown (no false graph errors)', () => {
    const result = validateWorkflowDocument(
      {
        metadata: { name: 'w', version: '1' },
        steps: [
          { id: 'a', uses: 'x' },
          { id: 'b', uses: 'y', needs: ['a'] },
        ],
      },
      { registry },
    );
    expect(result.errors.map((problem) => problem.code)).toEqual(['unknown_agent', 'unknown_agent']);
  });

  it('changes the hash when a step uses another registry entry or condition', () => {
    const base = {
      metadata: { name: 'w', version: '1' },
      steps: [
        { id: 'a', uses: 'planner' },
        { id: 'b', uses: 'alarm', needs: ['a'], when: 'outputs.a.ok' },
      ],
    };
    const hash = (doc: typeof base) => parseWorkflowDocument(doc, { registry }).hash;
    const other = structuredClone(base);
    other.steps[1]!.uses = 'planner';
    const otherWhen = structuredClone(base);
    otherWhen.steps[1]!.when = 'outputs.a.topic';
    expect(hash(base)).toBe(hash(structuredClone(base)));
    expect(hash(other)).not.toBe(hash(base));
    expect(hash(otherWhen)).not.toBe(hash(base));
  });
});
