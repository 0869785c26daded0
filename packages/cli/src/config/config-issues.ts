import type { z } from 'zod';
import { redactSecrets } from './redact.js';

type Issue = z.core.$ZodIssue;

/**
 * A short rendering of an offending value: `5`, `"x"`, `a function`, `{"type":"gcs"}` (cut at 60 characters),
 * with passwords redacted before the cut (a cut URL would no longer look like one).
 */
export function describeConfigValue(value: unknown): string {
  if (typeof value === 'function') return 'a function';
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') return String(value);
  if (value === undefined) return 'undefined';
  if (value === null) return 'null';
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = Array.isArray(value) ? 'an array' : 'an object';
  }
  text = redactSecrets(text);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

const fieldName = (path: readonly PropertyKey[]): string => (path.length ? path.map(String).join('.') : '(root)');

const isDiscriminatorMiss = (issue: Issue): boolean =>
  issue.code === 'invalid_value' && issue.path.length === 1 && issue.path[0] === 'type';

/**
 * Turns zod issues (parsed with `reportInput: true`) into lines naming the field, what it expects and what it
 * got: `store.dir: expected string, got 5`. For a union (`store`), the branch chosen by its `type` is reported.
 */
export function formatConfigIssues(issues: readonly Issue[], prefix: readonly PropertyKey[] = []): string[] {
  return issues.flatMap((issue) => formatIssue(issue, [...prefix, ...issue.path]));
}

function formatIssue(issue: Issue, path: PropertyKey[]): string[] {
  const got = 'input' in issue ? `, got ${describeConfigValue(issue.input)}` : '';
  switch (issue.code) {
    case 'invalid_type':
      return [`${fieldName(path)}: expected ${issue.expected}${got}`];
    case 'invalid_value':
      return [`${fieldName(path)}: expected ${issue.values.map((value) => JSON.stringify(value)).join(' or ')}${got}`];
    case 'unrecognized_keys':
      return [
        `${fieldName(path)}: unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((key) => JSON.stringify(key)).join(', ')}`,
      ];
    case 'invalid_union':
      return formatUnion(issue, path);
    default:
      return [
        `${fieldName(path)}: ${issue.message}${'input' in issue ? ` (got ${describeConfigValue(issue.input)})` : ''}`,
      ];
  }
}

function formatUnion(issue: Extract<Issue, { code: 'invalid_union' }>, path: PropertyKey[]): string[] {
  const branches = issue.errors;
  // The branch whose `type` matched and that failed deeper down is the one the user meant.
  const meant = branches.filter(
    (branch) => branch.length > 0 && branch.every((inner) => inner.path.length > 0 && !isDiscriminatorMiss(inner)),
  );
  if (meant.length === 1) return formatConfigIssues(meant[0]!, path);
  const typeMisses = branches.flatMap((branch) => branch.filter(isDiscriminatorMiss));
  if (
    typeMisses.length > 0 &&
    typeMisses.length === branches.filter((branch) => branch.some((inner) => inner.path.length > 0)).length
  ) {
    const values = typeMisses
      .flatMap((miss) => (miss.code === 'invalid_value' ? miss.values : []))
      .map((value) => JSON.stringify(value));
    const input = (typeMisses[0] as { input?: unknown }).input;
    const other = branches.find(
      (branch) => branch.length === 1 && branch[0]!.path.length === 0 && branch[0]!.code === 'custom',
    );
    return [
      `${fieldName([...path, 'type'])}: expected ${values.join(' or ')}, got ${describeConfigValue(input)}${other ? ` (or ${fieldName(path)} ${other[0]!.message})` : ''}`,
    ];
  }
  // Nothing matched at all: a custom branch's message describes every accepted form.
  const described = [...branches].reverse().find((branch) => branch.length === 1 && branch[0]!.code === 'custom');
  const got = 'input' in issue ? ` (got ${describeConfigValue(issue.input)})` : '';
  return [`${fieldName(path)}: ${described ? described[0]!.message : issue.message}${got}`];
}
