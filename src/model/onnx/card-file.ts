/** Model cards on disk: `<name>.card.json` beside each `<name>.onnx`. */
import { readFile } from 'node:fs/promises';
import { parseModelCard, type ModelCard } from '../../core/card.js';
import { ModelError } from '../../core/errors.js';

export function cardPathFor(onnxPath: string): string {
  return onnxPath.replace(/\.onnx$/i, '') + '.card.json';
}

export async function readModelCard(cardPath: string): Promise<ModelCard> {
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
    throw new ModelError(`${cardPath}: the model card is not valid JSON (${(error as Error).message})`);
  }
  try {
    return parseModelCard(json, cardPath);
  } catch (error) {
    throw new ModelError((error as Error).message);
  }
}
