import { mkdtempSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, baton, makeProject } from '../test-support/baton-process.js';

describe('baton validate (real binary)', () => {
  let project: string;
  beforeAll(() => {
    assertBuilt();
    project = makeProject();
  });

  it('exits 0 for valid files', async () => {
    const result = await baton(['validate', 'ok.yaml', 'gated.yaml'], project);
    expect(result.stdout).toContain('ok.yaml: ok');
    expect(result.stdout).toContain('2 file(s): 0 error(s), 0 warning(s)');
    expect(result.code).toBe(0);
  });

  it('prints every problem with file, line, document path and message, and exits 1', async () => {
    const result = await baton(['validate', 'invalid.yaml'], project);
    expect(result.stdout.split('\n')).toEqual(
      expect.arrayContaining([
        "invalid.yaml:6:11 error steps[0].uses: no agent 'nope' in the registry; known: agent, boom, flaky, gate, greet, shout (unknown_agent)",
        "invalid.yaml:9:13 error steps[1].needs[0]: step 'b' needs unknown step 'ghost' (unknown_dependency)",
        'invalid.yaml:15:12 error steps[3].needs: cycle: d -> c -> d (cycle)',
        '1 file(s): 3 error(s), 0 warning(s)',
      ]),
    );
    expect(result.code).toBe(1);
  });

  it('reports YAML syntax errors and missing files as errors of that file', async () => {
    const result = await baton(['validate', 'bad-syntax.yaml', 'missing.yaml', 'ok.yaml'], project);
    expect(result.stdout).toContain(
      'bad-syntax.yaml:3:1 error Flow sequence in block collection must be sufficiently indented and end with a ] (syntax)',
    );
    expect(result.stdout).toContain('missing.yaml error file not found (unreadable)');
    expect(result.stdout).toContain('ok.yaml: ok');
    expect(result.code).toBe(1);
  });

  it('prints warnings but exits 0 (JSON file with an unreachable step)', async () => {
    const result = await baton(['validate', 'warn.json'], project);
    expect(result.stdout).toContain(
      "warn.json:7:15 warning steps.orphan: step 'orphan' is not reachable from entrypoint 'start'",
    );
    expect(result.stdout).toContain('warn.json: ok (1 warning(s))');
    expect(result.code).toBe(0);
  });

  it('--json gives problems with codes, paths and positions', async () => {
    const result = await baton(['validate', '--json', 'invalid.yaml'], project);
    const report = JSON.parse(result.stdout) as {
      ok: boolean;
      files: { errors: { code: string; path: unknown[]; position: unknown }[] }[];
    };
    expect(report.ok).toBe(false);
    expect(report.files[0]!.errors[0]).toEqual({
      severity: 'error',
      code: 'unknown_agent',
      path: ['steps', 0, 'uses'],
      message: expect.stringContaining("no agent 'nope'"),
      position: { line: 6, col: 11 },
    });
    expect(result.code).toBe(1);
  });

  it('without a config, checks everything but the `uses:` keys and says so', async () => {
    const bare = mkdtempSync(join(tmpdir(), 'baton-bare-'));
    copyFileSync(join(project, 'invalid.yaml'), join(bare, 'invalid.yaml'));
    const result = await baton(['validate', 'invalid.yaml'], bare);
    expect(result.stdout).not.toContain('unknown_agent');
    expect(result.stdout).toContain('cycle: d -> c -> d');
    expect(result.stdout).toContain('no baton.config found, so `uses:` keys were not checked');
    expect(result.code).toBe(1);
  });

  it('exits 2 on usage errors', async () => {
    const missingArgument = await baton(['validate'], project);
    expect(missingArgument.stderr).toContain("error: missing required argument 'file'");
    expect(missingArgument.code).toBe(2);
    const unknownCommand = await baton(['frobnicate'], project);
    expect(unknownCommand.stderr).toContain("error: unknown command 'frobnicate'");
    expect(unknownCommand.code).toBe(2);
  });
});
