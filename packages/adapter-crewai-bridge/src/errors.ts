import { BatonError } from '@baton/core';

/** A step input that cannot be CrewAI `kickoff` inputs (not an object). Fatal: a retry gets the same input. */
export class CrewAIInputError extends BatonError {
  constructor(readonly input: unknown) {
    super(
      'BATON_CREWAI_INPUT',
      {
        message: `CrewAI kickoff inputs must be a plain object (or null/undefined), got ${describe(input)}; map the step input with the step's \`input\` option`,
      },
      'fatal',
    );
  }
}

function describe(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  const type = Array.isArray(value) ? 'array' : typeof value;
  return `${type} ${text.length > 120 ? `${text.slice(0, 119)}…` : text}`;
}
