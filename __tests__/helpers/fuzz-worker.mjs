// Child process for the fuzz tests: onnxruntime cannot run inside jest's VM
// sandbox (its typed arrays come from another realm), so the cases are scored
// here, with the built library (lib/, built by `npm test`). One JSON request
// per stdin line: { id, file, out, explain?, parsers? }; one JSON answer per
// stdout line with the outcome, on that file, of
//   gate       the streaming gate as the CLI runs it (runGate with streamTo),
//   reader     the in-memory reader (runGate without streamTo, then scoredCsv),
// and with `parsers`,
//   fast       streamScoreFile as shipped (plain CSV from its bytes) — with `via`, how it read the file,
//   papaparse  streamScoreFile with every CSV parsed by papaparse, the parser of record.
// `explain` (default none) is the --explain mode of all of them.
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { explainerFactory, InputError, loadModelByName, runGate, scoredCsv, streamScoreFile } from '../../lib/index.js';

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

async function outcome(run) {
  try {
    return await run();
  } catch (error) {
    return failure(error);
  }
}

const viaGate = (file, out, explain) =>
  outcome(async () => {
    const result = await runGate({ kind: 'file', file, streamTo: out }, { model, explain });
    return { ok: true, csv: readFileSync(out, 'utf8'), rows: result.totals.patches };
  });

const viaReader = (file, explain) =>
  outcome(async () => {
    const result = (await runGate({ kind: 'file', file }, { model, explain })).scored;
    return { ok: true, csv: scoredCsv(result), rows: result.table.ids.length };
  });

const viaStream = (file, out, explain, parser) =>
  outcome(async () => {
    const result = await streamScoreFile(file, model, { out, parser, explainer: explainerFactory(model, explain) });
    return { ok: true, csv: readFileSync(out, 'utf8'), rows: result.rows, via: result.reader };
  });

for await (const line of createInterface({ input: process.stdin })) {
  const { id, file, out, explain = 'none', parsers = false } = JSON.parse(line);
  const answer = { id, gate: await viaGate(file, out, explain), reader: await viaReader(file, explain) };
  if (parsers) {
    answer.fast = await viaStream(file, `${out}.fast.csv`, explain, 'auto');
    answer.papaparse = await viaStream(file, `${out}.papaparse.csv`, explain, 'papaparse');
  }
  process.stdout.write(`${JSON.stringify(answer)}\n`);
}
