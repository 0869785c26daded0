import { describe, expect, it } from 'vitest';
import { KeyedQueue } from './keyed-queue.js';

/** A promise with its resolver, to finish a task when the test says so. */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { open, opened };
}

describe('KeyedQueue', () => {
  it('runs one task at a time per key, in call order, while other keys overlap', async () => {
    const queue = new KeyedQueue();
    const events: string[] = [];
    const first = gate();
    const a1 = queue.run('a', async () => {
      events.push('a1 start');
      await first.opened;
      events.push('a1 end');
    });
    const a2 = queue.run('a', async () => void events.push('a2'));
    const b1 = queue.run('b', async () => void events.push('b1'));
    await b1;
    expect(events).toEqual(['a1 start', 'b1']);
    first.open();
    await Promise.all([a1, a2]);
    expect(events).toEqual(['a1 start', 'b1', 'a1 end', 'a2']);
  });

  it('rejects a failed task to its caller only and runs the next one', async () => {
    const queue = new KeyedQueue();
    const failed = queue.run('a', async () => {
      throw new Error('boom');
    });
    const next = queue.run('a', async () => 'ran');
    await expect(failed).rejects.toThrow('boom');
    await expect(next).resolves.toBe('ran');
  });
});
