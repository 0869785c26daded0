import { describe, expect, it } from 'vitest';
import { parseWorkflowText } from './read-document.js';

const text = `metadata:
  name: demo
  version: 1.0.0
steps:
  - id: plan
    uses: plan
  - id: write
    uses: writer
    needs: [plan, nope]
`;

describe('parseWorkflowText', () => {
  it('parses YAML and locates document paths (or their nearest parent)', () => {
    const document = parseWorkflowText('demo.yaml', text);
    expect(document.syntaxErrors).toEqual([]);
    expect(document.value).toMatchObject({ metadata: { name: 'demo' }, steps: [{ id: 'plan' }, { id: 'write' }] });
    expect(document.locate(['steps', 1, 'uses'])).toEqual({ line: 8, col: 11 });
    expect(document.locate(['steps', 1, 'needs', 1])).toEqual({ line: 9, col: 19 });
    expect(document.locate(['steps', 1, 'retry', 'maxAttempts'])).toEqual({ line: 7, col: 5 });
    expect(document.locate([])).toEqual({ line: 1, col: 1 });
  });

  it('parses JSON too', () => {
    const document = parseWorkflowText(
      'demo.json',
      '{"metadata": {"name": "x", "version": "1"},\n "steps": {"a": {"uses": "k"}}}',
    );
    expect(document.value).toEqual({ metadata: { name: 'x', version: '1' }, steps: { a: { uses: 'k' } } });
    expect(document.locate(['steps', 'a', 'uses'])).toEqual({ line: 2, col: 26 });
  });

  it('reports syntax errors with their position instead of throwing', () => {
    const document = parseWorkflowText('bad.yaml', 'metadata:\n  name: [unclosed\nsteps: {}\n');
    expect(document.value).toBeUndefined();
    expect(document.syntaxErrors.length).toBeGreaterThan(0);
    expect(document.syntaxErrors[0]).toEqual({
      severity: 'error',
      code: 'syntax',
      path: [],
      position: { line: 3, col: 1 },
      message: 'Flow sequence in block collection must be sufficiently indented and end with a ]',
    });
  });

  it('rejects duplicate keys', () => {
    expect(parseWorkflowText('dup.yaml', 'a: 1\na: 2\n').syntaxErrors[0]?.message).toBe('Map keys must be unique');
  });
});
