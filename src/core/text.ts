/**
 * Plain text that cannot break a log line or a Markdown cell: control
 * characters (line breaks included) become spaces, and invisible format
 * characters (bidi overrides and isolates, zero-width spaces and joiners,
 * byte-order marks) are dropped, so a reviewer reads what the text really says.
 */

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g;
const INVISIBLE = /[\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/g;

/** One line of visible text. */
export function visibleLine(text: string): string {
  return text.replace(CONTROL, ' ').replace(INVISIBLE, '');
}

/** One visible line of at most `max` characters (code points), cut with an ellipsis. */
export function plainText(text: string, max = 80): string {
  const line = visibleLine(text);
  const chars = Array.from(line);
  return chars.length <= max ? line : `${chars.slice(0, max - 1).join('')}…`;
}

/** Left-aligned columns separated by two spaces. */
export function alignColumns(rows: string[][]): string[] {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((row) => (row[c] ?? '').length)));
  return rows.map((row) =>
    row
      .map((cell, c) => cell.padEnd(widths[c]))
      .join('  ')
      .trimEnd()
  );
}
