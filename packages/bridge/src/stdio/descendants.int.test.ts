import { spawn } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { eventually } from '../__fixtures__/harness.js';
import { findDescendants, isSameLiveProcess, signalProcesses } from './descendants.js';

const started: number[] = [];
afterEach(() => {
  for (const pid of started.splice(0)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // gone
    }
  }
});

describe.runIf(process.platform === 'linux')('descendants via /proc (the TypeScript side of close())', () => {
  it('finds a grandchild in its own session and kills it by identity, never a reused pid', async () => {
    // sh → setsid sleep: the sleeper leaves sh's process group and session.
    const shell = spawn('sh', ['-c', 'setsid sleep 60 & wait'], { stdio: 'ignore' });
    started.push(shell.pid!);
    await eventually(() => findDescendants(shell.pid!).length === 1);
    const [sleeper] = findDescendants(shell.pid!);
    started.push(sleeper!.pid);
    expect(isSameLiveProcess(sleeper!)).toBe(true);
    // Same pid, other start time: a reused pid is left alone.
    signalProcesses([{ pid: sleeper!.pid, startTime: `${sleeper!.startTime}0` }], 'SIGKILL');
    expect(isSameLiveProcess(sleeper!)).toBe(true);
    signalProcesses([sleeper!], 'SIGKILL');
    await eventually(() => !isSameLiveProcess(sleeper!));
  });

  it('finds nothing under a process without children', () => {
    expect(findDescendants(2 ** 22 + 12345)).toEqual([]);
  });
});
