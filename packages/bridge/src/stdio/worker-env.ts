import { delimiter } from 'node:path';

/**
 * Parent environment variables a worker inherits by default: what Python needs to locate
 * itself, decode text, find temp dirs and CA certificates. Nothing that usually holds a secret.
 */
export const DEFAULT_ENV_ALLOW_LIST: readonly string[] = Object.freeze([
  'PATH',
  'HOME',
  'USER',
  'LOGNAME',
  'SHELL',
  'TERM',
  'LANG',
  'LANGUAGE',
  'LC_ALL',
  'LC_CTYPE',
  'LC_MESSAGES',
  'TZ',
  'TMPDIR',
  'TEMP',
  'TMP',
  'SYSTEMROOT',
  'WINDIR',
  'COMSPEC',
  'PATHEXT',
  'SSL_CERT_FILE',
  'SSL_CERT_DIR',
  'VIRTUAL_ENV',
]);

/** Inputs of {@link buildWorkerEnv}. */
export interface WorkerEnvOptions {
  /** The environment to pick from. @default process.env */
  parentEnv?: NodeJS.ProcessEnv;
  /** Extra parent variables to pass through by name (e.g. `OPENAI_API_KEY`). */
  inheritEnv?: readonly string[];
  /** Variables set for the worker, over everything else. */
  env?: Readonly<Record<string, string>>;
  /** Directories prepended to `PYTHONPATH`. */
  pythonPath?: readonly string[];
  /** Directory appended to `PYTHONPATH` (the bundled `baton_bridge` sources), if any. */
  bundledPythonPath?: string;
}

/**
 * Builds a worker's environment: the allow-list and `inheritEnv` from the parent, then `env`,
 * then `PYTHONPATH` (`pythonPath`, any `env.PYTHONPATH`, the bundled path) and the I/O settings
 * the protocol relies on. The parent's other variables (API keys, tokens) are not passed.
 */
export function buildWorkerEnv(options: WorkerEnvOptions): Record<string, string> {
  const parent = options.parentEnv ?? process.env;
  const result: Record<string, string> = {};
  for (const name of [...DEFAULT_ENV_ALLOW_LIST, ...(options.inheritEnv ?? [])]) {
    const value = parent[name];
    if (value !== undefined) result[name] = value;
  }
  Object.assign(result, options.env);
  const pythonPath = [...(options.pythonPath ?? []), options.env?.PYTHONPATH, options.bundledPythonPath].filter(
    (entry): entry is string => typeof entry === 'string' && entry.length > 0,
  );
  if (pythonPath.length > 0) result.PYTHONPATH = pythonPath.join(delimiter);
  result.PYTHONUNBUFFERED = '1';
  result.PYTHONIOENCODING = 'utf-8';
  return result;
}
