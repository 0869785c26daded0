import { CheckpointStoreError, type StoreWarning } from '@baton/core';
import { z } from 'zod';

/** The schema of `FsCheckpointStore`'s options; the option types are inferred from it. */
export const fsCheckpointStoreOptionsSchema = z.object({
  /** Directory holding the store (`runs/` and `locks/` are created inside it). */
  dir: z.string().min(1),
  /**
   * `'fsync'`: an append resolves only after `fdatasync` of its log (grouped
   * across runs). `'none'`: it resolves once written to the OS page cache,
   * which survives a process crash but not a power loss or kernel crash.
   * @default 'fsync'
   */
  durability: z.enum(['fsync', 'none']).default('fsync'),
  /** Called with every non-fatal problem the store recovers from (torn tails, stale locks). */
  onWarning: z.custom<(warning: StoreWarning) => void>((value) => typeof value === 'function').optional(),
  /**
   * Most log files kept open for appending; the least recently used idle ones
   * are closed beyond it (their chain state stays cached).
   * @default 1024
   */
  maxOpenFiles: z.number().int().min(1).default(1024),
});

/** Options of `new FsCheckpointStore(options)`. */
export type FsCheckpointStoreOptions = z.input<typeof fsCheckpointStoreOptionsSchema>;

/** Options after defaults are applied. */
export type FsCheckpointStoreOptionsWithDefaults = z.output<typeof fsCheckpointStoreOptionsSchema>;

/** Validates options once, at construction, naming every offending option. */
export function parseOptions(options: FsCheckpointStoreOptions): FsCheckpointStoreOptionsWithDefaults {
  const result = fsCheckpointStoreOptionsSchema.safeParse(options);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => `${issue.path.join('.') || '(options)'}: ${issue.message}`);
  throw new CheckpointStoreError(`Invalid FsCheckpointStore options ${describe(options)}: ${problems.join('; ')}`, {
    cause: result.error,
  });
}

function describe(options: unknown): string {
  try {
    return JSON.stringify(options) ?? String(options);
  } catch {
    return String(options);
  }
}
