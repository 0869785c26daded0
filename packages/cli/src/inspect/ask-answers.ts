import type { Readable, Writable } from 'node:stream';
import { confirm, intro, isCancel, outro, select, text } from '@clack/prompts';
import { CliError } from '../errors.js';
import { ExitCode } from '../exit-codes.js';
import type { ShownWait } from './pending-waits.js';

/** Where the questions are asked (a terminal; the tests pass a pseudo-terminal's streams through `script`). */
export interface PromptStreams {
  input?: Readable;
  output?: Writable;
}

type JsonSchema = {
  type?: string | string[];
  enum?: unknown[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  description?: string;
};

/**
 * Asks a person for the answer of each wait with @clack/prompts, built from the wait's JSON Schema: an
 * object's properties one by one (a boolean as yes/no, an `enum` as a choice, numbers and strings as text;
 * an optional text left empty is left out), anything else as JSON text. Ctrl-C cancels (exit 3, nothing recorded).
 */
export async function askAnswers(
  waits: readonly ShownWait[],
  streams: PromptStreams = {},
): Promise<Record<string, unknown>> {
  const answers: Record<string, unknown> = {};
  for (const wait of waits) {
    intro(`${wait.key} (step ${wait.stepId})`, streams);
    const schema = wait.schema as JsonSchema | undefined;
    answers[wait.key] =
      schema?.type === 'object' && schema.properties
        ? await askObject(wait.prompt, schema, streams)
        : await askValue(wait.prompt, schema, true, streams);
  }
  outro('Answers checked by the run before anything is recorded.', streams);
  return answers;
}

async function askObject(prompt: string, schema: JsonSchema, streams: PromptStreams): Promise<Record<string, unknown>> {
  const value: Record<string, unknown> = {};
  const required = new Set(schema.required ?? []);
  for (const [name, property] of Object.entries(schema.properties ?? {})) {
    const label = `${prompt} — ${name}${property.description ? ` (${property.description})` : ''}`;
    const answer = await askValue(label, property, required.has(name), streams);
    if (answer !== undefined) value[name] = answer;
  }
  return value;
}

async function askValue(
  message: string,
  schema: JsonSchema | undefined,
  required: boolean,
  streams: PromptStreams,
): Promise<unknown> {
  if (schema?.enum && schema.enum.length > 0) {
    const options = schema.enum.map((item) => ({ value: item, label: JSON.stringify(item) }));
    return settled<unknown>(await select({ message, options, ...streams }));
  }
  if (schema?.type === 'boolean') return settled<boolean>(await confirm({ message, ...streams }));
  const numeric = schema?.type === 'number' || schema?.type === 'integer';
  const raw = settled<string>(
    await text({
      message: schema?.type === 'string' ? message : `${message} (JSON)`,
      ...(required ? {} : { placeholder: 'empty: leave out' }),
      validate: (input) => {
        if (!input) return required ? 'an answer is required' : undefined;
        if (schema?.type === 'string') return undefined;
        if (numeric) return Number.isFinite(Number(input)) ? undefined : 'a number is expected';
        try {
          JSON.parse(input);
          return undefined;
        } catch {
          return 'not JSON';
        }
      },
      ...streams,
    }),
  );
  if (!raw) return undefined;
  if (schema?.type === 'string') return raw;
  return numeric ? Number(raw) : JSON.parse(raw);
}

function settled<T>(value: unknown): T {
  if (isCancel(value)) throw new CliError('Cancelled: no answer was recorded', { exitCode: ExitCode.cancelled });
  return value as T;
}
