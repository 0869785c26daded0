import { z } from 'zod/v4';
import { BridgeConfigError } from '../errors/bridge-config-error.js';
import { DEFAULT_MAX_FRAME_BYTES } from '../protocol/constants.js';

const positiveMs = z.number().int().positive();

/** Schema of {@link BridgeWorkerOptions}; the type is inferred from it. */
export const bridgeWorkerOptionsSchema = z.object({
  /** Python executable. @default process.env.BATON_PYTHON ?? 'python3' */
  python: z.string().min(1).optional(),
  /** Extra interpreter arguments placed before `-m baton_bridge` (e.g. `['-X', 'dev']`). */
  pythonArgs: z.array(z.string()).optional(),
  /** Variables set in the worker's environment (over the allow-list). */
  env: z.record(z.string(), z.string()).optional(),
  /** Parent variables passed through by name, in addition to the default allow-list. */
  inheritEnv: z.array(z.string()).optional(),
  /** Working directory of the worker. @default process.cwd() */
  cwd: z.string().optional(),
  /** Directories prepended to the worker's `PYTHONPATH` (where your crews and teams live). */
  pythonPath: z.array(z.string()).optional(),
  /** Append this package's bundled `baton_bridge` sources to `PYTHONPATH`. @default true */
  useBundledPython: z.boolean().optional(),
  /** Python modules imported at start (e.g. ones that call `register_runner`). */
  preload: z.array(z.string()).optional(),
  /** Runner names loaded at `initialize`, so their framework versions (or absence) show up early. */
  runners: z.array(z.string()).optional(),
  /** Cap on one frame in either direction, in bytes. @default 16 MiB */
  maxFrameBytes: z.number().int().min(1024).optional(),
  /** How often an idle or busy worker is pinged. @default 5_000 */
  pingIntervalMs: positiveMs.optional(),
  /** A ping unanswered this long marks the worker hung: it is killed. @default 10_000 */
  pingTimeoutMs: positiveMs.optional(),
  /** Wait after a cancel before killing, and between SIGTERM and SIGKILL. @default 5_000 */
  killGraceMs: positiveMs.optional(),
  /** Budget for spawn + `initialize` (imports of big frameworks are slow). @default 60_000 */
  initializeTimeoutMs: positiveMs.optional(),
  /** How much of the worker's stderr errors carry. @default 8_192 */
  stderrTailBytes: z.number().int().positive().optional(),
  /** Receives every stderr chunk (worker logs, stray prints); stderr is drained either way. */
  onStderr: z
    .custom<(chunk: string, pid: number | undefined) => void>((value) => typeof value === 'function')
    .optional(),
});

/** Options of a {@link BridgeWorker} (and of a pool's workers). */
export type BridgeWorkerOptions = z.input<typeof bridgeWorkerOptionsSchema>;

/** Worker options with every default applied. */
export interface BridgeWorkerOptionsWithDefaults extends BridgeWorkerOptions {
  python: string;
  maxFrameBytes: number;
  pingIntervalMs: number;
  pingTimeoutMs: number;
  killGraceMs: number;
  initializeTimeoutMs: number;
  stderrTailBytes: number;
}

/** Validates options and merges defaults once; throws {@link BridgeConfigError} naming each bad option. */
export function resolveWorkerOptions(options: BridgeWorkerOptions = {}): BridgeWorkerOptionsWithDefaults {
  const parsed = bridgeWorkerOptionsSchema.safeParse(options);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`);
    throw new BridgeConfigError({ message: `Invalid bridge options: ${problems.join('; ')}`, cause: parsed.error });
  }
  return {
    ...parsed.data,
    python: parsed.data.python ?? process.env.BATON_PYTHON ?? 'python3',
    maxFrameBytes: parsed.data.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES,
    pingIntervalMs: parsed.data.pingIntervalMs ?? 5_000,
    pingTimeoutMs: parsed.data.pingTimeoutMs ?? 10_000,
    killGraceMs: parsed.data.killGraceMs ?? 5_000,
    initializeTimeoutMs: parsed.data.initializeTimeoutMs ?? 60_000,
    stderrTailBytes: parsed.data.stderrTailBytes ?? 8_192,
  };
}
