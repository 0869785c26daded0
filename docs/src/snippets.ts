import { readFileSync } from 'node:fs';

/** One fenced TypeScript block of a Markdown file. */
export interface Snippet {
  /** The Markdown file, relative to the repository root. */
  doc: string;
  /** 1-based line of the block's first code line in `doc`. */
  line: number;
  code: string;
  /** `<!-- snippet: no-check (reason) -->`: left out of the check; the reason is required. */
  noCheck?: string;
  /** `<!-- snippet: file=from-parrot.ts -->`: the file name other snippets import it by. */
  file?: string;
  /** `<!-- snippet: given workflow, input -->`: names the surrounding text introduced, imported from `givens.ts`. */
  given: string[];
}

/** A malformed `snippet:` marker (an unknown directive, or `no-check` without its reason). */
export class SnippetMarkerError extends Error {
  readonly code = 'BATON_DOCS_SNIPPET_MARKER';

  constructor(doc: string, line: number, marker: string) {
    super(`${doc}:${line}: bad snippet marker "${marker}" (use no-check (reason), file=name.ts or given a, b)`);
    this.name = 'SnippetMarkerError';
  }
}

const FENCE = /^```(ts|typescript)\s*$/;
const MARKER = /^<!--\s*snippet:\s*(.*?)\s*-->$/;

/**
 * The ```ts blocks of `markdown` in order, each with the markers in the HTML comments on the lines just above it
 * (blank lines between are allowed). Blocks inside other fences (```md) are not seen: only top-level fences count.
 */
export function extractSnippets(doc: string, markdown: string): Snippet[] {
  const lines = markdown.split('\n');
  const snippets: Snippet[] = [];
  let fence: string | undefined;
  for (let index = 0; index < lines.length; index++) {
    const text = lines[index]!;
    if (fence !== undefined) {
      if (text.trim() === fence) fence = undefined;
      continue;
    }
    const open = /^(\s*)(`{3,}|~{3,})/.exec(text);
    if (!open) continue;
    fence = open[2]!;
    if (!FENCE.test(text.trim())) continue;
    const end = lines.findIndex((line, at) => at > index && line.trim() === fence);
    const stop = end < 0 ? lines.length : end;
    snippets.push({
      doc,
      line: index + 2,
      code: lines.slice(index + 1, stop).join('\n'),
      ...markersAbove(doc, lines, index),
    });
    index = stop;
    fence = undefined;
  }
  return snippets;
}

function markersAbove(doc: string, lines: string[], fenceIndex: number): Pick<Snippet, 'noCheck' | 'file' | 'given'> {
  const found: Pick<Snippet, 'noCheck' | 'file' | 'given'> = { given: [] };
  for (let at = fenceIndex - 1; at >= 0; at--) {
    const text = lines[at]!.trim();
    if (text === '') continue;
    const marker = MARKER.exec(text);
    if (!marker) break;
    const body = marker[1]!;
    const noCheck = /^no-check\s*\((.+)\)$/.exec(body);
    const file = /^file=([\w./-]+\.ts)$/.exec(body);
    const given = /^given\s+([\w$]+(?:\s*,\s*[\w$]+)*)$/.exec(body);
    if (noCheck) found.noCheck = noCheck[1]!;
    else if (file) found.file = file[1]!;
    else if (given) found.given.push(...given[1]!.split(',').map((name) => name.trim()));
    else throw new SnippetMarkerError(doc, at + 1, text);
  }
  return found;
}

/** Reads `doc` (relative to `root`) and extracts its snippets. */
export function readSnippets(root: string, doc: string): Snippet[] {
  return extractSnippets(doc, readFileSync(`${root}/${doc}`, 'utf8'));
}
