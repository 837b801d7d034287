// Child process for the fuzz tests: onnxruntime cannot run inside jest's VM
// sandbox (its typed arrays come from another realm), so the cases are scored
// here, with the built library (lib/, built by `npm test`). One JSON request
// per stdin line: { id, file, out }; one JSON answer per stdout line with the
// outcome of the streaming gate (runGate with streamTo) and of the in-memory reader
// (scoreFile + scoredCsv) on that file.
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { runGate, InputError, loadModelByName, scoredCsv, scoreFile } from '../lib/index.js';

const model = await loadModelByName('firmware');

function failure(error) {
  return {
    ok: false,
    error: {
      inputError: error instanceof InputError,
      name: error?.name,
      message: String(error?.message ?? error),
      row: error?.row,
      column: error?.column,
      detail: error instanceof InputError ? undefined : String(error?.stack ?? error)
    }
  };
}

async function viaGate(file, out) {
  try {
    const result = await runGate({ kind: 'file', file, streamTo: out }, { model, explain: 'none' });
    return { ok: true, csv: readFileSync(out, 'utf8'), rows: result.totals.patches };
  } catch (error) {
    return failure(error);
  }
}

async function viaReader(file) {
  try {
    const result = await scoreFile(file, model);
    return { ok: true, csv: scoredCsv(result), rows: result.table.ids.length };
  } catch (error) {
    return failure(error);
  }
}

for await (const line of createInterface({ input: process.stdin })) {
  const { id, file, out } = JSON.parse(line);
  const answer = { id, gate: await viaGate(file, out), reader: await viaReader(file) };
  process.stdout.write(`${JSON.stringify(answer)}\n`);
}
