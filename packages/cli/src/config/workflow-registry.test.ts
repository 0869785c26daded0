import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineWorkflow, type WorkflowIdentity } from '@baton/core';
import { describe, expect, it } from 'vitest';
import { loadConfig } from './load-config.js';
import { registeredWorkflowFor, WorkflowNotRegisteredError } from './workflow-registry.js';

const research = defineWorkflow({ name: 'research', version: '1.0.0', steps: { plan: { run: () => 'p' } } });
const researchChanged = defineWorkflow({
  name: 'research',
  version: '1.0.0',
  steps: { plan: { run: () => 'p' }, check: { needs: ['plan'], run: () => 'c' } },
});
const other = defineWorkflow({ name: 'other', version: '2', steps: { only: { run: () => 1 } } });
const identity = ({ name, version, hash }: WorkflowIdentity) => ({ name, version, hash });
const recorded = (started: WorkflowIdentity, latest = started) => ({ started, latest });

describe('registeredWorkflowFor', () => {
  it('finds the workflow registered under the exact name, version and hash the run started with', () => {
    expect(registeredWorkflowFor('r1', [other, researchChanged, research], recorded(research))).toBe(research);
  });

  it("falls back to the identity of the run's latest resume (resumed under a changed workflow before)", () => {
    expect(registeredWorkflowFor('r1', [other, researchChanged], recorded(research, researchChanged))).toBe(
      researchChanged,
    );
  });

  it('throws WorkflowNotRegisteredError naming the run, the recorded identity and what is registered', () => {
    let error: unknown;
    try {
      registeredWorkflowFor('r1', [other], recorded(research), { configFile: '/p/baton.config.mjs' });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(WorkflowNotRegisteredError);
    const typed = error as WorkflowNotRegisteredError;
    expect(typed.code).toBe('BATON_WORKFLOW_NOT_REGISTERED');
    expect(typed.exitCode).toBe(2);
    expect(typed.recorded).toEqual(identity(research));
    expect(typed.registered).toEqual([identity(other)]);
    expect(typed.message).toContain(
      `Run 'r1' was started from code with workflow research@1.0.0 (hash ${research.hash}), which is not registered in /p/baton.config.mjs`,
    );
    expect(typed.message).toContain(`registered: other@2 (hash ${other.hash.slice(0, 12)})`);
    expect(typed.message).toContain('workflows: [researchWorkflow]');
  });

  it('says "registered: none" when the config registers no workflows', () => {
    expect(() => registeredWorkflowFor('r1', [], recorded(research))).toThrow(/registered: none/);
  });

  it('refuses the same name and version under another hash, saying the definition changed, unless allowChanged', () => {
    expect(() => registeredWorkflowFor('r1', [researchChanged], recorded(research))).toThrow(
      new RegExp(
        `research@1\\.0\\.0 is registered with another hash \\(${researchChanged.hash.slice(0, 12)}\\): its definition changed`,
      ),
    );
    expect(registeredWorkflowFor('r1', [researchChanged], recorded(research), { allowChanged: true })).toBe(
      researchChanged,
    );
    // allowChanged still needs the same name and version.
    expect(() => registeredWorkflowFor('r1', [other], recorded(research), { allowChanged: true })).toThrow(
      WorkflowNotRegisteredError,
    );
  });
});

describe('config `workflows`', () => {
  const project = (text: string) => {
    const dir = mkdtempSync(join(tmpdir(), 'baton-workflows-'));
    writeFileSync(join(dir, 'baton.config.mjs'), text);
    return dir;
  };

  it('accepts workflows made by defineWorkflow', async () => {
    const dir = project(
      `import { defineWorkflow } from '@baton/core';\nexport default { workflows: [defineWorkflow({ name: 'w', version: '1', steps: { a: { run: () => 1 } } })] };\n`,
    );
    const loaded = await loadConfig({ searchFrom: dir });
    expect(loaded.config.workflows?.map((each) => each.name)).toEqual(['w']);
  });

  it('rejects anything else, naming the field and the value', async () => {
    const dir = project(`export default { workflows: [{ name: 'w', version: '1', steps: {} }, 5] };\n`);
    const rejected = loadConfig({ searchFrom: dir });
    await expect(rejected).rejects.toThrow(
      'workflows.0: must be a workflow made by defineWorkflow() or workflow() from @baton/core (got {"name":"w","version":"1","steps":{}})',
    );
    await expect(loadConfig({ searchFrom: dir })).rejects.toThrow(/workflows\.1: must be a workflow .* \(got 5\)/);
    await expect(loadConfig({ searchFrom: project('export default { workflows: {} };\n') })).rejects.toThrow(
      'workflows: expected array, got {}',
    );
  });
});
