/**
 * CSV text in pieces: papaparse parses one piece of whole records at a time
 * and the rows of a piece are dropped once handled, so memory does not grow
 * with the file. Pieces come from text in memory or straight from a file
 * (read in blocks and decoded strictly as UTF-8).
 */
import { closeSync, openSync, readFileSync, readSync } from 'node:fs';
import Papa from 'papaparse';
import { decodeText, isUtf16Bom, NOT_UTF8, UTF16_MESSAGE, unreadable } from './encoding.js';
import { InputError } from './errors.js';

export { decodeText, unreadable };

/** What parseCsv hands over: the header once, then data rows in order, a block at a time. */
export interface CsvChunkHandlers {
  header(columns: string[]): void;
  /** `firstRow` is the 0-based index of chunk[0] among the data rows. */
  rows(chunk: string[][], firstRow: number): void;
}

/** About this many characters of CSV go to papaparse at once. */
const PIECE_CHARS = 1 << 14;

// Scanner states, as papaparse reads quotes: only a quote at the start of a field opens a quoted field
// (a quote inside an unquoted field is a plain character), and "" inside a quoted field is a quote.
const FIELD_START = 0;
const UNQUOTED = 1;
const QUOTED = 2;
const QUOTE_IN_QUOTED = 3;

/**
 * Scan text[from, to) from `state`. Returns the state at `to` and the index
 * just after the first (or, with `last`, the last) LF that ends a record, or -1.
 */
function scanRecords(text: string, from: number, to: number, state: number, last: boolean): { state: number; end: number } {
  let end = -1;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (state === QUOTED) {
      if (c === 34) state = QUOTE_IN_QUOTED;
      continue;
    }
    if (state === QUOTE_IN_QUOTED && c !== 44 && c !== 10 && c !== 13 && c !== 32 && c !== 9) {
      state = QUOTED; // "" is an escaped quote; any other character keeps the field open, as papaparse does
      continue;
    }
    if (c === 10) {
      state = FIELD_START;
      end = i + 1;
      if (!last) return { state, end };
    } else if (c === 44 || c === 13) state = FIELD_START;
    else if (state === FIELD_START) state = c === 34 ? QUOTED : UNQUOTED;
  }
  return { state, end };
}

/** Pieces of in-memory CSV text, each ending after a whole record. */
export function* textPieces(text: string): Generator<string> {
  let start = 0;
  while (start < text.length) {
    const target = Math.min(text.length, start + PIECE_CHARS);
    let end = text.length;
    if (target < text.length) {
      // Cut at the first record end past the target, the quoting state carried from the piece's start.
      const { state } = scanRecords(text, start, target, FIELD_START, true);
      const next = scanRecords(text, target, text.length, state, false).end;
      if (next >= 0) end = next;
    }
    yield text.slice(start, end);
    start = end;
  }
}

/** Pieces of a CSV file read in blocks, decoded strictly as UTF-8, each ending after a whole record. */
export function* filePieces(file: string): Generator<string> {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch (error) {
    throw unreadable(file, error);
  }
  try {
    const block = Buffer.allocUnsafe(PIECE_CHARS);
    const decoder = new TextDecoder('utf-8', { fatal: true });
    // Decoded text not yielded yet, in the blocks it came in: it always starts at a record boundary, outside quotes.
    // Each block is scanned once (the quoting state carried over), so a record of any length costs linear time.
    const pending: string[] = [];
    let state = FIELD_START;
    // The last record end seen in `pending`: block index and offset, or -1.
    let endBlock = -1;
    let endAt = 0;
    let first = true;
    for (;;) {
      let read: number;
      try {
        read = readSync(fd, block, 0, block.length, null);
      } catch (error) {
        throw unreadable(file, error);
      }
      if (first && isUtf16Bom(block.subarray(0, read))) throw new InputError(file, UTF16_MESSAGE);
      let text: string;
      try {
        text = decoder.decode(block.subarray(0, read), { stream: read > 0 });
      } catch {
        throw new InputError(file, NOT_UTF8);
      }
      if (first && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      first = false;
      if (read === 0) {
        const rest = pending.join('') + text;
        if (rest !== '') yield rest;
        return;
      }
      const scan = scanRecords(text, 0, text.length, state, true);
      state = scan.state;
      pending.push(text);
      if (scan.end >= 0) {
        endBlock = pending.length - 1;
        endAt = scan.end;
      }
      if (endBlock < 0) continue;
      const last = pending[endBlock];
      const piece = pending.slice(0, endBlock).join('') + last.slice(0, endAt);
      const rest = last.slice(endAt);
      pending.splice(0, endBlock + 1, ...(rest === '' ? [] : [rest]));
      endBlock = -1;
      yield piece;
    }
  } finally {
    closeSync(fd);
  }
}

/** Rows papaparse looks at to guess the delimiter (its guessDelimiter previews 10). */
const GUESS_ROWS = 10;

/** Number of record-ending LFs in text (which starts at a record), counting up to `limit`. */
function recordEnds(text: string, limit: number): number {
  let found = 0;
  let state = FIELD_START;
  for (let from = 0; found < limit; found++) {
    const next = scanRecords(text, from, text.length, state, false);
    if (next.end < 0) break;
    state = next.state;
    from = next.end;
  }
  return found;
}

/**
 * The file's delimiter: papaparse's guess (comma, tab, pipe, semicolon, …)
 * over its first rows, made once for the whole file so that every piece is
 * read the same way.
 */
export function guessDelimiter(text: string): string {
  return Papa.parse<string[]>(text, { preview: GUESS_ROWS, skipEmptyLines: true, newline: '\n' }).meta.delimiter;
}

/** A file that holds JSON (it starts with `[` or `{`) but is read as CSV: the CSV reading of it is meaningless. */
export function jsonContentError(file: string, text: string): InputError | undefined {
  const first = text.trimStart().charAt(0);
  if (first !== '[' && first !== '{') return undefined;
  return new InputError(
    file,
    `the file holds JSON, not CSV (it starts with "${first}"): JSON patch files are read as JSON when their name ends in .json, so rename it`
  );
}

/**
 * Parse CSV pieces with papaparse, checking that every row has as many fields
 * as the header and that quotes are balanced. Returns the number of data
 * rows. `lineOf` gives the file line of a 1-based data row for messages.
 * Problems are reported in row order: a row of the wrong width after rows
 * with a bad cell is reported after those rows have been handed over.
 * (papaparse's own chunk mode recurses once per chunk over a string and keeps
 * every chunk's rows alive until the end, which defeats parsing in chunks.)
 */
export function parseCsv(pieces: Iterable<string>, file: string, handlers: CsvChunkHandlers, lineOf: (row: number) => number): number {
  let width = -1;
  let count = 0;
  let blank = true;
  // Leading pieces of only blanks are held, not dropped: a line of spaces or tabs is still a record (the header).
  let leading = '';
  // Text held until it has the rows the delimiter is guessed from (pieces end at record ends).
  let held = '';
  let heldRows = 0;
  let delimiter: string | undefined;
  let json: InputError | undefined;

  const parsePiece = (piece: string): void => {
    const results = Papa.parse<string[]>(piece, { header: false, skipEmptyLines: true, newline: '\n', delimiter });
    const quoteError = results.errors.find((error) => error.type === 'Quotes');
    if (quoteError) {
      const row = Math.max(1, count + (quoteError.row ?? 0) + (width < 0 ? 0 : 1));
      throw new InputError(file, `malformed quoted field (${quoteError.message})`, { row });
    }
    let data = results.data;
    if (width < 0 && data.length > 0) {
      const columns = data[0].map((name) => name.trim());
      width = columns.length;
      handlers.header(columns);
      data = data.slice(1);
    }
    let ragged = -1;
    for (let i = 0; i < data.length && ragged < 0; i++) if (data[i].length !== width) ragged = i;
    const good = ragged < 0 ? data : data.slice(0, ragged);
    if (good.length > 0) handlers.rows(good, count);
    if (ragged >= 0) {
      const row = count + ragged + 1;
      throw new InputError(file, `expected ${width} fields as in the header, found ${data[ragged].length} (line ${lineOf(row)})`, { row });
    }
    count += data.length;
  };

  try {
    for (const next of pieces) {
      if (blank && next.trim() === '') {
        leading += next;
        continue;
      }
      // Line endings may be mixed (CRLF, LF, CR): papaparse reads one kind per text, so make them all LF.
      const piece = (blank ? leading + next : next).replace(/\r\n?/g, '\n');
      if (blank) json = jsonContentError(file, piece);
      blank = false;
      leading = '';
      if (delimiter === undefined) {
        held += piece;
        heldRows += recordEnds(piece, GUESS_ROWS - heldRows);
        if (heldRows < GUESS_ROWS) continue;
        delimiter = guessDelimiter(held);
        parsePiece(held);
        held = '';
      } else parsePiece(piece);
    }
    if (held !== '') {
      delimiter = guessDelimiter(held);
      parsePiece(held);
    }
    if (blank) throw new InputError(file, 'the file is empty: expected a header row and at least one patch row');
    if (count === 0) throw new InputError(file, 'the file has a header row but no patch rows');
  } catch (error) {
    throw json && error instanceof InputError ? json : error;
  }
  return count;
}

export function parseCsvText(text: string, file: string, handlers: CsvChunkHandlers): number {
  return parseCsv(textPieces(text), file, handlers, (row) => lineOfRow(text, row));
}

/** Parse a CSV file without holding its text (see lineInFile for messages). */
export function parseCsvFile(file: string, handlers: CsvChunkHandlers): number {
  return parseCsv(filePieces(file), file, handlers, (row) => lineInFile(file, row));
}

/** Line of data row `row` (1-based) of a CSV file, read again: only for error messages. */
export function lineInFile(file: string, row: number): number {
  return lineOfRow(decodeText(readFileSync(file), file), row);
}

/** 1-based line in the file of data row `row` (1-based); only computed for error messages. */
export function lineOfRow(text: string, row: number): number {
  return recordStartLines(text, row + 1)[row];
}

/**
 * 1-based line where each CSV record starts, skipping empty lines as
 * papaparse's skipEmptyLines does; quoted fields may span lines.
 */
export function recordStartLines(text: string, records: number): Int32Array {
  const starts = new Int32Array(records);
  let line = 1;
  let found = 0;
  let inQuotes = false;
  let atRecordStart = true;
  for (let i = 0; i < text.length && found < records; i++) {
    const c = text.charCodeAt(i);
    if (atRecordStart) {
      if (c === 10 || c === 13) {
        if (c === 10) line++;
        else if (text.charCodeAt(i + 1) !== 10) line++;
        continue;
      }
      starts[found++] = line;
      atRecordStart = false;
    }
    if (c === 34) inQuotes = !inQuotes;
    else if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) {
      line++;
      if (!inQuotes) atRecordStart = true;
    }
  }
  return starts;
}
