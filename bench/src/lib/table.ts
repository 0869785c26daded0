import type { BenchRow, Cell } from './types.js';

/** Formats a number with about three significant digits, integers with thousands separators. */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (Number.isInteger(value)) return value.toLocaleString('en-US');
  const abs = Math.abs(value);
  if (abs >= 1000) return Math.round(value).toLocaleString('en-US');
  if (abs >= 100) return value.toFixed(0);
  if (abs >= 10) return value.toFixed(1);
  if (abs >= 1) return value.toFixed(2);
  if (abs === 0) return '0';
  return value.toPrecision(2);
}

/** The text of one cell. */
export function formatCell(cell: Cell | undefined): string {
  if (cell === null || cell === undefined) return '-';
  if (typeof cell === 'number') return formatNumber(cell);
  return String(cell);
}

/** Groups rows by their `table` key, keeping first-seen order of tables. */
export function groupRows(rows: readonly BenchRow[]): Map<string, BenchRow[]> {
  const groups = new Map<string, BenchRow[]>();
  for (const row of rows) {
    const group = groups.get(row.table);
    if (group) group.push(row);
    else groups.set(row.table, [row]);
  }
  return groups;
}

/** A Markdown-style table (readable in a terminal, pasteable into notes). */
export function renderTable(title: string, rows: readonly BenchRow[]): string {
  const columns: string[] = [];
  for (const row of rows)
    for (const key of Object.keys(row)) if (key !== 'table' && !columns.includes(key)) columns.push(key);
  const cells = rows.map((row) => columns.map((column) => formatCell(row[column])));
  const widths = columns.map((column, i) => Math.max(column.length, ...cells.map((line) => line[i]!.length)));
  // Text columns read better left-aligned, numbers right-aligned.
  const numeric = columns.map((column) => rows.every((row) => typeof row[column] !== 'string'));
  const pad = (text: string, i: number): string => (numeric[i] ? text.padStart(widths[i]!) : text.padEnd(widths[i]!));
  const line = (values: string[]): string => `| ${values.map(pad).join(' | ')} |`;
  const rule = `|${widths.map((width, i) => (numeric[i] ? `${'-'.repeat(width + 1)}:` : `${'-'.repeat(width + 2)}`)).join('|')}|`;
  return [`### ${title}`, '', line(columns), rule, ...cells.map(line)].join('\n');
}

/** Every table of a result set, separated by blank lines. */
export function renderTables(rows: readonly BenchRow[]): string {
  return [...groupRows(rows)].map(([title, group]) => renderTable(title, group)).join('\n\n');
}
