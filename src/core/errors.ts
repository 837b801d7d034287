/** An input problem a user can fix: names the file, the row and column where known. */
export class InputError extends Error {
  readonly file: string;
  readonly row?: number;
  readonly column?: string;

  constructor(file: string, message: string, where: { row?: number; column?: string } = {}) {
    const parts = [file];
    if (where.row !== undefined) parts.push(`row ${where.row}`);
    if (where.column !== undefined) parts.push(`column "${where.column}"`);
    // One line, always: CLI errors are one stderr line, and a line break in a log could start a workflow command.
    super(oneLine(`${parts.join(', ')}: ${message}`));
    this.name = 'InputError';
    this.file = file;
    this.row = where.row;
    this.column = where.column;
  }
}

/** A model that cannot be trusted: wrong checksum, wrong inputs, unreadable card, bad output. */
export class ModelError extends Error {
  constructor(message: string) {
    super(oneLine(message));
    this.name = 'ModelError';
  }
}

function oneLine(text: string): string {
  return text.replace(/\s*[\r\n\u2028\u2029]+\s*/g, ' ');
}
