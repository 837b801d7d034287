/** Reading a patch file's bytes as text: strictly UTF-8, with messages a user can act on. */
import { InputError } from './errors.js';

export const NOT_UTF8 = 'the file is not valid UTF-8 text (save it as UTF-8)';
export const UTF16_MESSAGE = 'the file is UTF-16 encoded; save it as UTF-8';

export function isUtf16Bom(bytes: Uint8Array): boolean {
  return (bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff);
}

/** Decode UTF-8 strictly (a BOM is dropped); UTF-16 and other encodings are refused with a clear message. */
export function decodeText(bytes: Uint8Array, file: string): string {
  if (isUtf16Bom(bytes)) throw new InputError(file, UTF16_MESSAGE);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new InputError(file, NOT_UTF8);
  }
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** The InputError for a file that cannot be opened or read. */
export function unreadable(file: string, error: unknown): InputError {
  const code = (error as NodeJS.ErrnoException).code;
  const reason = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory, not a file' : String((error as Error).message);
  return new InputError(file, `cannot read the file: ${reason}`);
}
