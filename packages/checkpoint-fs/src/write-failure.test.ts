import * as fs from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { appendAll, started, step, useStores } from './__fixtures__/records.js';
import { CheckpointWriteError } from './checkpoint-write-error.js';

// The store's writes go through node:fs; the mock lets a test make one fail the way a full disk does.
vi.mock('node:fs', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:fs')>();
  return { ...actual, writeSync: vi.fn(actual.writeSync), ftruncateSync: vi.fn(actual.ftruncateSync) };
});

const stores = useStores();
const actualFs = await vi.importActual<typeof import('node:fs')>('node:fs');

afterEach(() => {
  vi.mocked(fs.writeSync).mockImplementation(actualFs.writeSync as typeof fs.writeSync);
  vi.mocked(fs.ftruncateSync).mockImplementation(actualFs.ftruncateSync);
});

function systemError(code: string, message: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code}: ${message}, write`), { code, errno: -28, syscall: 'write' });
}

/** The next log write writes `written` bytes of its record, then fails with `error` (as write(2) does on a full disk). */
function failNextWrite(written: number, error: NodeJS.ErrnoException): void {
  vi.mocked(fs.writeSync)
    .mockImplementationOnce(((fd: number, buffer: Buffer, offset: number) =>
      actualFs.writeSync(fd, buffer, offset, written)) as typeof fs.writeSync)
    .mockImplementationOnce(() => {
      throw error;
    });
}

describe('a failed write (ENOSPC, EDQUOT, EIO) during an append', () => {
  for (const [code, text] of [
    ['ENOSPC', 'no space left on device'],
    ['EDQUOT', 'disk quota exceeded'],
    ['EIO', 'i/o error'],
  ] as const) {
    it(`${code}: rejects with CheckpointWriteError naming it, cuts off its partial bytes and says so`, async () => {
      const dir = await stores.dir();
      const { store, warnings } = stores.open({ dir });
      await appendAll(store, [started('r'), step('r', 1)]);
      const path = join(dir, 'runs', 'r.jsonl');
      const before = await readFile(path);
      failNextWrite(40, systemError(code, text));
      const error = await store.append(step('r', 2)).then(
        () => undefined,
        (caught: unknown) => caught,
      );
      expect(error).toBeInstanceOf(CheckpointWriteError);
      const lineLength = (error as CheckpointWriteError).message.match(/40 of (\d+) byte/)?.[1];
      expect(error).toMatchObject({
        code: 'BATON_CHECKPOINT_WRITE_FAILED',
        errno: code,
        kind: 'fatal',
        partial: 'removed',
        runId: 'r',
        path,
        operation: 'write',
      });
      expect((error as Error).message).toBe(
        `Append to run 'r' failed: write of ${path} failed with ${code}: ${text}, write; 40 of ${lineLength} byte(s) of record 2 had been written and were cut off again; the log ends at record 2 as before`,
      );
      expect((error as Error).cause).toMatchObject({ code });
      expect(await readFile(path)).toEqual(before);
      expect(warnings).toEqual([
        {
          code: 'partial_write_removed',
          runId: 'r',
          message: `Removed 40 of ${lineLength} byte(s) of record 2, written to ${path} before the write failed (${code}: ${text}, write); the log ends at record 2 as before`,
        },
      ]);

      // Once the disk has room again, the same append goes through: no torn tail, no "crash".
      await store.append(step('r', 2));
      expect((await store.read('r')).map((record) => record.seq)).toEqual([0, 1, 2]);
      expect(warnings.map((warning) => warning.code)).toEqual(['partial_write_removed']);
      expect(await store.verify('r')).toMatchObject({ runs: [{ status: 'unfinished', records: 3, tornBytes: 0 }] });
    });
  }

  it('when the partial bytes cannot be cut off, the error says so and their later removal names the failed write, not a crash', async () => {
    const dir = await stores.dir();
    const { store, warnings } = stores.open({ dir });
    await appendAll(store, [started('r'), step('r', 1)]);
    failNextWrite(40, systemError('ENOSPC', 'no space left on device'));
    vi.mocked(fs.ftruncateSync).mockImplementationOnce(() => {
      throw systemError('EIO', 'i/o error');
    });
    const error = (await store.append(step('r', 2)).catch((caught: unknown) => caught)) as CheckpointWriteError;
    expect(error).toMatchObject({ code: 'BATON_CHECKPOINT_WRITE_FAILED', errno: 'ENOSPC', partial: 'left' });
    expect(error.message).toMatch(
      /byte\(s\) of record 2 had been written and could not be cut off \(EIO: i\/o error, write\); the next append removes them$/,
    );
    expect(await store.read('r')).toHaveLength(2);
    expect(warnings[0]).toMatchObject({
      code: 'torn_tail',
      message: expect.stringContaining(
        'left by a failed append of record 2 (ENOSPC: no space left on device, write) that could not be cut off (EIO: i/o error, write) in this process',
      ),
    });

    await store.append(step('r', 2));
    expect(warnings[1]).toMatchObject({
      code: 'torn_tail_truncated',
      message: expect.stringMatching(
        /^Removed a torn write of 40 byte\(s\) after record 2 of .*r\.jsonl \(left by a failed append of record 2 \(ENOSPC/,
      ),
    });
    expect(warnings.map((warning) => warning.message).join('\n')).not.toContain('crash');
    expect(await store.verify('r')).toMatchObject({ runs: [{ records: 3, tornBytes: 0 }] });
  });

  it('a write that fails before any byte reaches the file leaves the log as it was', async () => {
    const dir = await stores.dir();
    const { store, warnings } = stores.open({ dir });
    await appendAll(store, [started('r')]);
    vi.mocked(fs.writeSync).mockImplementationOnce(() => {
      throw systemError('ENOSPC', 'no space left on device');
    });
    const error = (await store.append(step('r', 1)).catch((caught: unknown) => caught)) as CheckpointWriteError;
    expect(error).toMatchObject({ errno: 'ENOSPC', partial: 'none' });
    expect(error.message).toMatch(/; nothing was written; the log still ends at record 1$/);
    await store.append(step('r', 1));
    expect(warnings).toEqual([]);
  });
});
