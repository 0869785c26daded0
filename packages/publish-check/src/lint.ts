import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { publint } from 'publint';
import { formatMessage } from 'publint/utils';
import { run } from './command.js';

/**
 * `publint --strict` on a packed tarball: every error and warning (strict makes warnings fail), formatted, each line
 * naming the package. Suggestions fail too: none is expected of a Baton package.
 */
export async function publintProblems(name: string, tarball: string): Promise<string[]> {
  const bytes = readFileSync(tarball);
  const { messages, pkg } = await publint({
    pack: { tarball: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer },
    strict: true,
    level: 'suggestion',
  });
  return messages.map(
    (message) => `${name}: publint --strict: ${message.type}: ${formatMessage(message, pkg) ?? message.code}`,
  );
}

const require = createRequire(import.meta.url);
const ATTW_MANIFEST = require.resolve('@arethetypeswrong/cli/package.json');
const ATTW_BIN = join(dirname(ATTW_MANIFEST), (require(ATTW_MANIFEST) as { bin: { attw: string } }).bin.attw);

/** `attw --profile esm-only` on a packed tarball: its report when it finds a problem, else nothing. */
export async function attwProblems(name: string, tarball: string): Promise<string[]> {
  const args = [ATTW_BIN, tarball, '--profile', 'esm-only', '--format', 'ascii', '--no-color', '--no-emoji'];
  const result = await run(process.execPath, args, { cwd: dirname(tarball) });
  if (result.code === 0) return [];
  return [`${name}: attw --profile esm-only failed (exit ${result.code}):\n${result.stdout}${result.stderr}`.trim()];
}
