import { mkdirSync, mkdtempSync, cpSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import ts from 'typescript';
import type { Snippet } from './snippets.js';

/** A type error in a snippet, located in its Markdown file. */
export interface SnippetProblem {
  /** `docs/custom-adapter.md:42:7`. */
  location: string;
  message: string;
}

/** The snippets written as files into a temporary folder, and a TypeScript program over them. */
export interface SnippetProgram {
  program: ts.Program;
  /** Type errors of the checked snippets, in document order. */
  problems(): SnippetProblem[];
  /** The string literals of the union type alias `name` exported by the extra file `file` (see `extraFiles`). */
  unionLiterals(file: string, name: string): string[];
  /** Removes the temporary folder. */
  dispose(): void;
}

interface Written {
  snippet: Snippet;
  /** Lines added above the snippet's code (the `given` import). */
  offset: number;
}

/**
 * Writes every checked snippet as its own module (`snippet-N.ts`, or its `file=` name) into a new folder under
 * `workspaceDir` (so `@baton/*` and the other dependencies resolve from its node_modules), with the files of
 * `fixturesDir` (stand-ins for the made-up modules the docs import, and `givens.ts`) and `extraFiles`, and builds one
 * program with the repository's strict compiler options (`tsconfigFile`).
 */
export function createSnippetProgram(options: {
  snippets: Snippet[];
  workspaceDir: string;
  fixturesDir: string;
  tsconfigFile: string;
  extraFiles?: Record<string, string>;
}): SnippetProgram {
  const parent = join(options.workspaceDir, '.snippets');
  mkdirSync(parent, { recursive: true });
  const dir = mkdtempSync(join(parent, 'check-'));
  cpSync(options.fixturesDir, dir, { recursive: true });
  const written = new Map<string, Written>();
  options.snippets
    .filter((snippet) => snippet.noCheck === undefined)
    .forEach((snippet, index) => {
      const name = snippet.file ?? `snippet-${index + 1}.ts`;
      const header = snippet.given.length ? `import { ${snippet.given.join(', ')} } from './givens.js';\n` : '';
      const file = join(dir, name);
      mkdirSync(dirname(file), { recursive: true });
      // `export {}` makes every snippet a module, so top-level names and `await` stay local to it.
      writeFileSync(file, `${header}${snippet.code}\nexport {};\n`);
      written.set(file, { snippet, offset: header ? 1 : 0 });
    });
  for (const [name, text] of Object.entries(options.extraFiles ?? {})) writeFileSync(join(dir, name), text);
  const config = ts.readConfigFile(options.tsconfigFile, (path) => ts.sys.readFile(path));
  if (config.error) throw new Error(ts.flattenDiagnosticMessageText(config.error.messageText, '\n'));
  const parsed = ts.parseJsonConfigFileContent(config.config, ts.sys, dirname(options.tsconfigFile));
  const rootNames = [
    ...written.keys(),
    ...Object.keys(options.extraFiles ?? {}).map((name) => join(dir, name)),
    ...ts.sys.readDirectory(dir, ['.ts']).filter((file) => !written.has(file)),
  ];
  const program = ts.createProgram({
    rootNames: [...new Set(rootNames)],
    options: { ...parsed.options, noEmit: true, declaration: false, sourceMap: false },
  });
  return {
    program,
    problems: () => locate(ts.getPreEmitDiagnostics(program), written, dir),
    unionLiterals: (file, name) => unionLiterals(program, join(dir, file), name),
    dispose: () => rmSync(dir, { recursive: true, force: true }),
  };
}

function locate(diagnostics: readonly ts.Diagnostic[], written: Map<string, Written>, dir: string): SnippetProblem[] {
  return diagnostics.map((diagnostic) => {
    const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n');
    const file = diagnostic.file;
    if (!file || diagnostic.start === undefined) return { location: '(no file)', message };
    const { line, character } = file.getLineAndCharacterOfPosition(diagnostic.start);
    const entry = written.get(file.fileName);
    if (!entry) return { location: `${relative(dir, file.fileName)}:${line + 1}:${character + 1}`, message };
    const docLine = entry.snippet.line + line - entry.offset;
    return { location: `${entry.snippet.doc}:${docLine}:${character + 1}`, message };
  });
}

function unionLiterals(program: ts.Program, fileName: string, name: string): string[] {
  const source = program.getSourceFile(fileName);
  const alias = source?.statements.find(
    (statement): statement is ts.TypeAliasDeclaration =>
      ts.isTypeAliasDeclaration(statement) && statement.name.text === name,
  );
  if (!alias) throw new Error(`no type ${name} in ${fileName}`);
  const type = program.getTypeChecker().getTypeAtLocation(alias.name);
  const members = type.isUnion() ? type.types : [type];
  return members.filter((member) => member.isStringLiteral()).map((member) => (member as ts.StringLiteralType).value);
}
