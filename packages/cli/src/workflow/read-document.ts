import { readFile } from 'node:fs/promises';
import { isCollection, isNode, LineCounter, parseDocument, type Document } from 'yaml';
import { findExcessNesting, MAX_NESTING_DEPTH } from './nesting-depth.js';

/** A position in a file, 1-based. */
export interface FilePosition {
  line: number;
  col: number;
}

/** A problem in a workflow file, located. */
export interface LocatedProblem {
  severity: 'error' | 'warning';
  code: string;
  /** Path inside the document, e.g. `steps[2].uses`; empty for file-level problems. */
  path: (string | number)[];
  message: string;
  position?: FilePosition;
}

/** A workflow file read and parsed (YAML 1.2, so JSON files parse too). */
export interface ReadDocument {
  file: string;
  /** The plain value of the document; undefined when `syntaxErrors` is not empty. */
  value: unknown;
  syntaxErrors: LocatedProblem[];
  /** Where `path` is in the file: the node itself, or its nearest existing parent. */
  locate(path: readonly (string | number)[]): FilePosition | undefined;
}

/** Reads and parses `file`; never throws for syntax errors (they are returned), only for an unreadable file. */
export async function readWorkflowDocument(file: string): Promise<ReadDocument> {
  const text = await readFile(file, 'utf8');
  return parseWorkflowText(file, text);
}

/** Parses workflow text (exported for tests). */
export function parseWorkflowText(file: string, text: string): ReadDocument {
  const tooDeep = findExcessNesting(text);
  if (tooDeep) return unparsed(file, nestedTooDeeply(tooDeep));
  try {
    return parseChecked(file, text);
  } catch (error) {
    // The pre-scan is an approximation; a parser that still runs out of stack gets the same clear message.
    if (error instanceof RangeError && /call stack/i.test(error.message))
      return unparsed(file, nestedTooDeeply(undefined));
    throw error;
  }
}

function nestedTooDeeply(position: FilePosition | undefined): LocatedProblem {
  const message = `nested too deeply (limit ${MAX_NESTING_DEPTH} levels)`;
  return { severity: 'error', code: 'syntax', path: [], message, ...(position ? { position } : {}) };
}

function unparsed(file: string, problem: LocatedProblem): ReadDocument {
  return { file, value: undefined, syntaxErrors: [problem], locate: () => undefined };
}

function parseChecked(file: string, text: string): ReadDocument {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: true, uniqueKeys: true });
  const syntaxErrors: LocatedProblem[] = document.errors.map((error) => {
    const position = error.linePos?.[0];
    // prettyErrors adds the position (linePos) and a code excerpt after the first line; the position is printed separately.
    const message = (error.message.split('\n')[0] ?? error.message).replace(/ at line \d+, column \d+:?$/, '');
    return { severity: 'error', code: 'syntax', path: [], message, ...(position ? { position } : {}) };
  });
  const overflow = syntaxErrors.find((problem) => /call stack/i.test(problem.message));
  if (overflow) return unparsed(file, nestedTooDeeply(overflow.position));
  const locate = (path: readonly (string | number)[]) => locateNode(document, lineCounter, path);
  return {
    file,
    value: syntaxErrors.length ? undefined : document.toJS({ maxAliasCount: 1000 }),
    syntaxErrors,
    locate,
  };
}

function locateNode(
  document: Document,
  lineCounter: LineCounter,
  path: readonly (string | number)[],
): FilePosition | undefined {
  // Walk down as far as the path exists: a missing key is reported at its parent.
  let node: unknown = document.contents;
  let found = node;
  for (const key of path) {
    if (!isCollection(node)) break;
    node = node.get(key, true);
    if (!isNode(node)) break;
    found = node;
  }
  const offset = isNode(found) ? found.range?.[0] : undefined;
  return offset === undefined ? undefined : lineCounter.linePos(offset);
}
