import { readFile } from 'node:fs/promises';
import { durationProblem, parseDuration } from '@baton/core';
import { parse as parseYaml } from 'yaml';
import { CliError } from '../errors.js';

/** `--input`: JSON text, `@file` (JSON or YAML), or `@-` for stdin; undefined when absent. */
export async function parseInputFlag(value: string | undefined): Promise<unknown> {
  if (value === undefined) return undefined;
  if (value.startsWith('@')) {
    const source = value.slice(1);
    let text: string;
    try {
      text = source === '-' ? await readStdin() : await readFile(source, 'utf8');
    } catch (error) {
      throw new CliError(
        `--input ${value}: cannot read ${source === '-' ? 'stdin' : source}: ${(error as Error).message}`,
        { cause: error },
      );
    }
    try {
      return parseYaml(text);
    } catch (error) {
      throw new CliError(`--input ${value}: not valid JSON or YAML: ${(error as Error).message.split('\n')[0]}`, {
        cause: error,
      });
    }
  }
  try {
    return JSON.parse(value);
  } catch (error) {
    throw new CliError(
      `--input ${JSON.stringify(value)} is not valid JSON (quote a string as '"text"', or use @file)`,
      { cause: error },
    );
  }
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * A duration flag (`500ms`, `30s`, `5m`, `7d`) in ms; throws a usage error naming the flag. A number without a
 * unit (`--timeout 5`) is refused with a hint rather than read as milliseconds.
 */
export function parseDurationFlag(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const problem = durationProblem(value);
  if (problem !== undefined) throw new CliError(`${flag} ${JSON.stringify(value)}: ${problem}`);
  return parseDuration(value)!;
}

/** A positive integer flag. */
export function parseCountFlag(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value)) throw new CliError(`${flag} ${JSON.stringify(value)} is not a whole number`);
  return Number(value);
}
