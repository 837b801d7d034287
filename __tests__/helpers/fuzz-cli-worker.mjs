// Child process for the CLI fuzz test: runs `main(argv)` of the built CLI
// (lib/cli/main.js) once per stdin line { id, argv, cwd } and answers one JSON
// line { id, code, stdout, stderr } with what the command wrote. onnxruntime
// cannot run inside jest's VM sandbox, and one process per case is slow.
import { createInterface } from 'node:readline';
import { main } from '../../lib/cli/main.js';

const out = process.stdout.write.bind(process.stdout);
const err = process.stderr.write.bind(process.stderr);

for await (const line of createInterface({ input: process.stdin })) {
  const { id, argv, cwd } = JSON.parse(line);
  let stdout = '';
  let stderr = '';
  process.stdout.write = (chunk) => ((stdout += String(chunk)), true);
  process.stderr.write = (chunk) => ((stderr += String(chunk)), true);
  let code;
  try {
    process.chdir(cwd);
    code = await main(argv);
  } catch (error) {
    // main() must never throw: report it as a crash.
    code = 'threw';
    stderr += String(error?.stack ?? error);
  } finally {
    process.stdout.write = out;
    process.stderr.write = err;
  }
  out(`${JSON.stringify({ id, code, stdout, stderr })}\n`);
}
