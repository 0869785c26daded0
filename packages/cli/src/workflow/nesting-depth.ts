import type { FilePosition } from './read-document.js';

/**
 * How deeply a workflow file may nest collections. The YAML parser recurses once per level and overflows the
 * stack somewhere past 800 flow levels, so files are checked against this limit before they are parsed.
 */
export const MAX_NESTING_DEPTH = 256;

const BLOCK_SCALAR = /[|>][1-9+-]{0,2}\s*$/;

/**
 * The first position where `text` nests deeper than `limit` (block indentation, `- ` entries and flow `[`/`{`
 * together), or `undefined`. A linear scan that skips quoted strings, comments and block scalars; it
 * over-counts rather than under-counts, and it is only a guard against overflowing the parser.
 */
export function findExcessNesting(text: string, limit = MAX_NESTING_DEPTH): FilePosition | undefined {
  const indents: number[] = [];
  let flow = 0;
  let blockScalarIndent: number | undefined;
  const lines = text.split('\n');
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index]!;
    const indent = line.length - line.trimStart().length;
    if (line.trim() === '' || (flow === 0 && line.trimStart().startsWith('#'))) continue;
    if (blockScalarIndent !== undefined) {
      if (indent > blockScalarIndent) continue;
      blockScalarIndent = undefined;
    }
    if (flow === 0) {
      while (indents.length > 0 && indents[indents.length - 1]! >= indent) indents.pop();
      indents.push(indent);
    }
    let entries = 0;
    let quote: string | undefined;
    for (let col = indent; col < line.length; col++) {
      const char = line[col]!;
      if (quote) {
        if (char === '\\' && quote === '"') col++;
        else if (char === quote) quote = undefined;
        continue;
      }
      if (char === '#' && (col === 0 || /\s/.test(line[col - 1]!))) break;
      if (char === '"' || char === "'") quote = char;
      else if (char === '[' || char === '{') flow++;
      else if (char === ']' || char === '}') flow = Math.max(0, flow - 1);
      else if (flow === 0 && char === '-' && (line[col + 1] === ' ' || col + 1 === line.length)) entries++;
      if (indents.length + entries + flow > limit) return { line: index + 1, col: col + 1 };
    }
    if (flow === 0 && BLOCK_SCALAR.test(line.replace(/\s#.*$/, ''))) blockScalarIndent = indent;
  }
  return undefined;
}
