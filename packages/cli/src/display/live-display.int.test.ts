import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, BIN, childEnv, makeProject, start, type Running } from '../test-support/baton-process.js';

/** Runs `baton args` inside a pseudo-terminal (util-linux `script`), 120×40, so stderr is a TTY. */
function inTerminal(args: string[], cwd: string): Running {
  const quote = (text: string) => `'${text.replace(/'/g, `'\\''`)}'`;
  const command = `stty cols 120 rows 40; exec ${[process.execPath, BIN, ...args].map(quote).join(' ')}`;
  return start('script', ['-qfec', command, '/dev/null'], cwd, childEnv({ TERM: 'xterm' }));
}

const ESC = '\u001b';

describe('live display in a terminal (pseudo-terminal via `script`)', () => {
  let project: string;
  beforeAll(() => {
    assertBuilt();
    // In CI a missing `script` must fail the suite, not skip it.
    execFileSync('script', ['--version']);
    project = makeProject();
  });

  it('redraws one line per step in place while the run goes on', async () => {
    const session = inTerminal(['run', 'gated.yaml', '--run-id', 'tty-1'], project);
    // Wait until the elapsed time of the running step has visibly advanced (redrawn every 100 ms).
    await session.waitFor(/wait {5}running (?:[3-9]\d\dms|\d+\.\ds)/);
    writeFileSync(join(project, 'gate.open'), '');
    const finished = await session.done;
    expect(finished.code).toBe(0);
    const screen = finished.stdout;
    // A first frame lists every step as waiting.
    expect(screen).toMatch(/· prepare {2}waiting\r\n {2}· wait {5}waiting\r\n {2}· finish {3}waiting/);
    // The running step was redrawn with a growing elapsed time...
    // biome-ignore lint/suspicious/noControlCharactersInRegex: matches the terminal escape that ends the field
    const elapsed = [...screen.matchAll(/wait {5}running (\S+?)(?:\u001b|\r)/g)].map((match) => match[1]);
    expect(new Set(elapsed).size).toBeGreaterThanOrEqual(3);
    // ...in place: cursor up and erase-line sequences, cursor hidden while drawing and shown at the end.
    expect(screen).toContain(`${ESC}[?25l`);
    expect(screen).toMatch(new RegExp(`${ESC}\\[\\d*A`));
    expect(screen).toContain(`${ESC}[2K`);
    expect(screen.trimEnd().endsWith(`${ESC}[?25h`)).toBe(true);
    // The last frame shows every step done, then the summary.
    expect(screen).toMatch(/✔ wait {5}done/);
    expect(screen).toMatch(/✔ finish {3}done/);
    expect(screen).toContain('Run tty-1 succeeded in');
    // No plain-log lines on a terminal.
    expect(screen).not.toMatch(/\[\+\d+m?s\]/);
  });

  it('Ctrl-C typed at the terminal cancels the run (exit 3) and it resumes afterwards', async () => {
    const own = makeProject();
    const session = inTerminal(['run', 'gated.yaml', '--run-id', 'tty-2'], own);
    await session.waitFor(/wait {5}running/);
    session.child.stdin.write('\u0003');
    const cancelled = await session.done;
    expect(cancelled.stdout).toContain('SIGINT: cancelling run tty-2, checkpointing it as cancelled');
    expect(cancelled.stdout).toMatch(/■ wait {5}cancelled after/);
    expect(cancelled.stdout).toContain('Run tty-2 cancelled in');
    expect(cancelled.code).toBe(3);

    writeFileSync(join(own, 'gate.open'), '');
    const resumed = inTerminal(['resume', 'tty-2'], own);
    const done = await resumed.done;
    expect(done.stdout).toMatch(/✔ prepare {2}done \S+ \(restored from checkpoint\)/);
    expect(done.stdout).toContain('Run tty-2 succeeded in');
    expect(done.code).toBe(0);
  });
});
