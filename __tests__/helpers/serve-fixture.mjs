// Runs createScoringServer from the built lib/ in plain node: inside jest's VM
// sandbox onnxruntime refuses typed arrays from the sandbox's realm (see
// onnx.test.ts), so the service under test runs in its own process.
// argv[2]: JSON { models: string[], bodyLimitBytes, driftWindow, ...other ScoringServerOptions }.
import { loadModelByName } from '../../lib/index.js';
import { closeGracefully, createScoringServer } from '../../lib/server/app.js';

const { models: refs, ...options } = JSON.parse(process.argv[2]);
const models = [];
for (const ref of refs) models.push(await loadModelByName(ref));
const server = await createScoringServer({ models, ...options });
server.listen(0, '127.0.0.1', () => process.stdout.write(`listening on http://127.0.0.1:${server.address().port}\n`));
process.once('SIGTERM', () => closeGracefully(server, 1000).then(() => process.exit(0)));
