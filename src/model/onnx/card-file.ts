/** Model cards on disk: `<name>.card.json` beside each `<name>.onnx`. */
import { readFile } from 'node:fs/promises';
import { parseModelCard, type ModelCard } from '../../core/card.js';
import { ModelError } from '../../core/errors.js';
import { jsonSyntaxProblem, outsideRoot } from '../../core/files.js';

export function cardPathFor(onnxPath: string): string {
  return onnxPath.replace(/\.onnx$/i, '') + '.card.json';
}

/**
 * Refuse a model file that leads outside `within` through a symlink (the
 * action confines model paths to the workspace); no confinement without it.
 */
export function checkModelFileWithin(file: string, what: string, within: string | undefined): void {
  if (within === undefined) return;
  const real = outsideRoot(file, within);
  if (real !== undefined)
    throw new ModelError(`${file}: ${what} leads outside ${within} (to ${real}) through a symbolic link; refusing to read it`);
}

/** Read and validate a card; messages never quote the file's content (it may be any file a symlink points at). */
export async function readModelCard(cardPath: string, within?: string): Promise<ModelCard> {
  checkModelFileWithin(cardPath, 'the model card', within);
  let text: string;
  try {
    text = await readFile(cardPath, 'utf8');
  } catch {
    throw new ModelError(`${cardPath}: the model card is missing (every .onnx needs its <name>.card.json beside it)`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ModelError(`${cardPath}: the model card is ${jsonSyntaxProblem(error)}`);
  }
  try {
    return parseModelCard(json, cardPath);
  } catch (error) {
    throw new ModelError((error as Error).message);
  }
}
