/**
 * `patch-risk serve`: load the models once, serve /v1/score, /healthz,
 * /readyz and /metrics, and shut down gracefully on SIGTERM or SIGINT.
 */
import type { AddressInfo } from 'node:net';
import { Command, InvalidArgumentError, Option } from 'commander';
import { closeGracefully, createScoringServer } from '../server/app.js';
import { parseByteSize } from '../server/http.js';
import { CliExit, EXIT_FAIL, EXIT_USAGE, parseIntegerOption } from './common.js';
import { loadModelFlag } from './options.js';

interface ServeFlags {
  port: number;
  host: string;
  model: string[];
  bodyLimit: number;
  driftWindow: number;
}

/** How long in-flight requests may take to finish after SIGTERM before their connections are cut. */
const SHUTDOWN_GRACE_MS = 30_000;

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function parseBodyLimit(raw: string): number {
  const bytes = parseByteSize(raw);
  if (bytes === undefined) throw new InvalidArgumentError('--body-limit must be a size such as 10mb, 512kb or 1048576 (bytes).');
  return bytes;
}

function parsePort(raw: string): number {
  const port = parseIntegerOption('--port', 0)(raw);
  if (port > 65535) throw new InvalidArgumentError('--port must be <= 65535.');
  return port;
}

export function serveCommand(): Command {
  return new Command('serve')
    .description('Serve the gate over HTTP: POST /v1/score (CSV or JSON), GET /healthz, /readyz and /metrics (Prometheus).')
    .addOption(new Option('-p, --port <port>', 'TCP port (0: any free port)').default(8080).argParser(parsePort))
    .addOption(new Option('--host <address>', 'address to listen on').default('127.0.0.1'))
    .addOption(
      new Option(
        '-m, --model <model>',
        'model to load (built-in name, name@vNNN, folder or .onnx); repeat to serve several, the first is the default'
      )
        .default([], 'firmware')
        .argParser(collect)
    )
    .addOption(
      new Option('--body-limit <size>', 'largest request body; larger ones get 413')
        .default(10 * 1024 * 1024, '10mb')
        .argParser(parseBodyLimit)
    )
    .addOption(
      new Option('--drift-window <rows>', 'scored rows per model kept for the live PSI metric')
        .default(1000)
        .argParser(parseIntegerOption('--drift-window', 1))
    )
    .action(async (flags: ServeFlags) => {
      const refs = flags.model.length > 0 ? flags.model : ['firmware'];
      const models = [];
      for (const ref of refs) models.push(await loadModelFlag(ref));
      let server;
      try {
        server = createScoringServer({ models, bodyLimitBytes: flags.bodyLimit, driftWindow: flags.driftWindow });
      } catch (error) {
        throw new CliExit(EXIT_USAGE, `error: ${(error as Error).message}`);
      }
      await listen(server, flags.port, flags.host);
      const { address, port } = server.address() as AddressInfo;
      const shown = address.includes(':') ? `[${address}]` : address;
      const names = models.map((model) => `${model.card.name}@${model.card.version}`).join(', ');
      process.stdout.write(`patch-risk serve: listening on http://${shown}:${port} (models: ${names})\n`);

      const signal = await new Promise<NodeJS.Signals>((resolve) => {
        process.once('SIGTERM', () => resolve('SIGTERM'));
        process.once('SIGINT', () => resolve('SIGINT'));
      });
      const closed = closeGracefully(server, SHUTDOWN_GRACE_MS);
      process.stderr.write(`patch-risk serve: ${signal}: no longer accepting connections, finishing in-flight requests\n`);
      const clean = await closed;
      await Promise.all(models.map((model) => model.release()));
      if (!clean) throw new CliExit(EXIT_FAIL, `patch-risk serve: requests still running after ${SHUTDOWN_GRACE_MS / 1000} s were cut off`);
      process.stderr.write('patch-risk serve: stopped\n');
    });
}

function listen(server: ReturnType<typeof createScoringServer>, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException): void => {
      const reason =
        error.code === 'EADDRINUSE' ? 'the port is already in use' : error.code === 'EACCES' ? 'permission denied' : error.message;
      reject(new CliExit(EXIT_USAGE, `error: cannot listen on ${host}:${port}: ${reason}`));
    };
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve();
    });
  });
}
