import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseDuration, validateWorkflowDocument } from '@baton/core';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { FIELD_DOCS } from './field-docs.js';
import { REFERENCE_END, REFERENCE_START, workflowReferenceTable } from './reference.js';
import {
  DURATION_PATTERN,
  schemaFields,
  WORKFLOW_SCHEMA_URL,
  workflowJsonSchema,
  workflowSchemaText,
} from './workflow-schema.js';

const cliDir = fileURLToPath(new URL('../../', import.meta.url));
const repoDir = join(cliDir, '../../');
const committed = readFileSync(join(cliDir, 'schema/workflow.schema.json'), 'utf8');
const validate = new Ajv({ allErrors: true, strict: true }).compile(JSON.parse(committed) as object);

/** The repository's workflow files that are valid documents (invalid.yaml is valid in shape: its errors are graph errors). */
const EXAMPLES = [
  'examples/demo.yaml',
  ...['ok', 'gated', 'flaky', 'failing', 'invalid'].map((name) => `packages/cli/src/__fixtures__/project/${name}.yaml`),
  'packages/cli/src/__fixtures__/project/warn.json',
];

function readDoc(file: string): unknown {
  return parse(readFileSync(join(repoDir, file), 'utf8'));
}

/** A table row's cells with the padding Biome adds removed. */
function rows(markdown: string): string[][] {
  return markdown
    .split('\n')
    .filter((line) => line.startsWith('|') && !/^\|[\s|:-]+\|$/.test(line))
    .map((line) =>
      line
        .slice(1, -1)
        .split(' | ')
        .map((cell) => cell.trim()),
    );
}

describe('the published workflow JSON Schema', () => {
  it('is committed exactly as generated from the zod schema (run `pnpm --filter @baton/cli gen:schema`)', () => {
    // Compared as data: Biome reformats the committed file.
    expect(JSON.parse(committed)).toEqual(JSON.parse(workflowSchemaText()));
  });

  it('is shipped in the package under the ./workflow.schema.json export', () => {
    const manifest = JSON.parse(readFileSync(join(cliDir, 'package.json'), 'utf8')) as {
      files: string[];
      exports: Record<string, unknown>;
    };
    expect(manifest.files).toContain('schema');
    expect(manifest.exports['./workflow.schema.json']).toBe('./schema/workflow.schema.json');
    expect(workflowJsonSchema().$id).toBe(WORKFLOW_SCHEMA_URL);
  });

  it.each(EXAMPLES)('accepts %s', (file) => {
    const document = readDoc(file);
    expect(validate(document), JSON.stringify(validate.errors)).toBe(true);
  });

  it("accepts the examples of the CLI README's editor section, which core accepts too", () => {
    const readme = readFileSync(join(cliDir, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('### Editor support'), readme.indexOf('### Field reference'));
    const blocks = [...section.matchAll(/```(yaml|json)\n([\s\S]*?)```/g)].map((match) => parse(match[2]!) as unknown);
    const documents = blocks.filter((block) => block !== null); // the URL-only block is a lone comment
    expect(documents).toHaveLength(2);
    for (const document of documents) {
      expect(validate(document), JSON.stringify(validate.errors)).toBe(true);
      expect(validateWorkflowDocument(document, { registry: { plan: () => 1 } }).errors).toEqual([]);
    }
  });

  it('accepts the declarative example of the core README', () => {
    const readme = readFileSync(join(repoDir, 'packages/core/README.md'), 'utf8');
    const block = /```yaml\n(metadata:[\s\S]*?)```/.exec(readme)?.[1];
    expect(block).toBeDefined();
    expect(validate(parse(block!)), JSON.stringify(validate.errors)).toBe(true);
  });

  const base = { metadata: { name: 'wf', version: '1' }, steps: [{ id: 'a', uses: 'x' }] };
  const step = (extra: Record<string, unknown>) => ({ ...base, steps: [{ id: 'a', uses: 'x', ...extra }] });
  const INVALID: [string, unknown, string][] = [
    ['an unknown top-level field', { ...base, stpes: [] }, 'additionalProperties'],
    ['a missing metadata.version', { ...base, metadata: { name: 'wf' } }, 'required'],
    ['a step without uses', { ...base, steps: [{ id: 'a' }] }, 'required'],
    ['a timeout without its unit', step({ timeout: 5 }), 'type'],
    ['a string timeout without its unit', step({ timeout: '5' }), 'pattern'],
    ['retry.maxAttempts 0', step({ retry: { maxAttempts: 0 } }), 'minimum'],
    ['a when path outside input/outputs', step({ when: 'output.check.ok' }), 'pattern'],
    ['breaker: true', step({ breaker: true }), 'const'],
    ['an unknown jitter', { ...base, spec: { retryPolicy: { jitter: 'some' } } }, 'enum'],
    ['kind: Pipeline', { ...base, kind: 'Pipeline' }, 'const'],
  ];

  it.each(INVALID)('rejects %s, as core does', (_name, document, keyword) => {
    expect(validate(document)).toBe(false);
    expect(validate.errors?.map((error) => error.keyword)).toContain(keyword);
    // The same document is a schema error for core's validation too (not only for the JSON Schema).
    const result = validateWorkflowDocument(document, { registry: { x: () => 1 } });
    expect(result.errors.map((problem) => problem.code)).toContain('invalid_option');
  });

  it('describes durations with the pattern parseDuration reads', () => {
    const pattern = new RegExp(DURATION_PATTERN);
    for (const text of ['500ms', '30s', '1.5s', '5m', '2h', '7d', ' 3 s ', '5', '5 sec', 's', '-1s', '1.s']) {
      expect(pattern.test(text), text).toBe(parseDuration(text) !== undefined);
    }
    const timeouts = schemaFields(workflowJsonSchema()).filter((field) => field.path.endsWith('.timeout'));
    expect(timeouts.map((field) => field.path)).toEqual(['spec.timeout', 'steps.*.timeout']);
    for (const field of timeouts) for (const node of field.nodes) expect(node.pattern).toBe(DURATION_PATTERN);
  });
});

describe('the workflow field reference', () => {
  const fields = schemaFields(workflowJsonSchema()).map((field) => field.path);

  it('documents exactly the fields of the schema', () => {
    expect([...Object.keys(FIELD_DOCS)].sort()).toEqual([...fields].sort());
    expect(fields).toContain('steps.*.breaker.key');
    expect(fields).toContain('steps.*.when.exists');
  });

  it('gives every field a description in the schema', () => {
    for (const field of schemaFields(workflowJsonSchema())) {
      for (const node of field.nodes) expect(node.description, field.path).toEqual(expect.any(String));
    }
  });

  it('is in the CLI README as generated, one row per field', () => {
    const readme = readFileSync(join(cliDir, 'README.md'), 'utf8');
    const start = readme.indexOf(REFERENCE_START);
    const end = readme.indexOf(REFERENCE_END);
    expect(start).toBeGreaterThan(0);
    const section = readme.slice(start + REFERENCE_START.length, end);
    expect(rows(section)).toEqual(rows(workflowReferenceTable()));
    expect(rows(section)).toHaveLength(fields.length + 1);
  });

  it('documents the yaml-language-server modeline with both the node_modules path and the unpkg URL', () => {
    const readme = readFileSync(join(cliDir, 'README.md'), 'utf8');
    expect(readme).toContain('# yaml-language-server: $schema=./node_modules/@baton/cli/schema/workflow.schema.json');
    expect(readme).toContain(`# yaml-language-server: $schema=${WORKFLOW_SCHEMA_URL}`);
  });
});
