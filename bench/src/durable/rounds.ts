/**
 * Round-robin sampling for the durable benches: every variant once per round, in an order
 * that rotates each round, so drift in disk or server load hits every variant alike.
 */
import { log } from '../lib/types.js';

/** One engine configuration of a durable bench. */
export interface RoundVariant<T> {
  /** Printed in the tables. */
  name: string;
  /** Takes one sample. */
  run: () => Promise<T>;
}

/** The variant order of round `round` (0-based) over `count` variants: 0,1,2 / 1,2,0 / 2,0,1 / … */
export function rotation(count: number, round: number): number[] {
  return Array.from({ length: count }, (_, k) => (round + k) % count);
}

/**
 * `rounds` rounds of every variant once, in `rotation` order; returns `samples[variant][round]`.
 * Progress goes to stderr, prefixed with `label`.
 */
export async function sampleRounds<T>(list: readonly RoundVariant<T>[], rounds: number, label: string): Promise<T[][]> {
  const samples: T[][] = list.map(() => []);
  for (let round = 0; round < rounds; round++) {
    log(`${label}: round ${round + 1}/${rounds}`);
    for (const index of rotation(list.length, round)) samples[index]!.push(await list[index]!.run());
  }
  return samples;
}
