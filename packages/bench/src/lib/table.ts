/**
 * A Markdown table, padded so it reads in a terminal and pastes into BENCHMARKS.md unchanged.
 * The first column is left-aligned, the others right-aligned (they hold figures).
 */
export function markdownTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((cell, column) => Math.max(3, cell.length, ...rows.map((row) => (row[column] ?? '').length)));
  const line = (cells: readonly string[]) =>
    `| ${cells.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!))).join(' | ')} |`;
  const rule = `|${widths.map((width, column) => (column === 0 ? ` ${'-'.repeat(width)} ` : ` ${'-'.repeat(width - 1)}: `)).join('|')}|`;
  return [line(header), rule, ...rows.map((row) => line(header.map((_, column) => row[column] ?? '')))].join('\n');
}

/** Prints a section: a heading, what was measured, the tables. */
export function printSection(title: string, notes: readonly string[], tables: readonly string[]): void {
  const parts = [`\n### ${title}\n`];
  if (notes.length > 0) parts.push(`${notes.join('\n')}\n`);
  for (const table of tables) parts.push(`${table}\n`);
  process.stdout.write(`${parts.join('\n')}`);
}
