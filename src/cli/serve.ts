/**
 * `patch-risk serve`: load the models once, serve /v1/score, /healthz,
 * /readyz and /metrics, and shut down gracefully on SIGTERM or SIGINT.
 * Scoring runs in worker threads within per-request budgets, and slow or
 * idle connections are cut, so one client cannot stall the service.
 */
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { Command, InvalidArgumentError, Option } from 'commander';
import { closeGracefully, createScoringServer, SERVE_DEFAULTS } from '../server/app.js';
import { parseByteSize } from '../server/http.js';
import { CliExit, EXIT_FAIL, EXIT_USAGE, parseIntegerOption, parseNumberOption } from './common.js';
import { loadModelFlag } from './options.js';

interface ServeFlags {
  port: number;
  host: string;
  model: string[];
  bodyLimit: number;
  driftWindow: number;
  workers: number;
  queue?: number;
  maxRows: number;
  maxExplainRows: number;
  workerMemory: number;
  headersTimeout: number;
  requestTimeout: number;
  keepAliveTimeout: number;
  idleTimeout: number;
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

/** A duration flag in seconds (decimals allowed), > 0. */
function seconds(name: string) {
  const parse = parseNumberOption(name);
  return (raw: string): number => {
    const value = parse(raw);
    if (!(value > 0)) throw new InvalidArgumentError(`${name} must be a number of seconds > 0.`);
    return value;
  };
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
    .addOption(
      new Option('--workers <n>', 'scoring threads; each scores one request at a time, off the thread that answers /healthz')
        .default(SERVE_DEFAULTS.workers, `${SERVE_DEFAULTS.workers}: the CPUs, at most 4`)
        .argParser(parseIntegerOption('--workers', 1))
    )
    .addOption(
      new Option('--queue <n>', 'requests that may wait for a free scoring thread; beyond --workers + --queue, 503 with Retry-After')
        .default(undefined, 'as many as --workers')
        .argParser(parseIntegerOption('--queue', 0))
    )
    .addOption(
      new Option('--max-rows <n>', 'rows per request; more get 413')
        .default(SERVE_DEFAULTS.budget.maxRows)
        .argParser(parseIntegerOption('--max-rows', 1))
    )
    .addOption(
      new Option(
        '--max-explain-rows <n>',
        'row explanations per request (rows given reasons + High rows given what-if suggestions); explain=all/risky beyond it get 422, explain=auto then explains none'
      )
        .default(SERVE_DEFAULTS.budget.maxExplainRows)
        .argParser(parseIntegerOption('--max-explain-rows', 0))
    )
    .addOption(
      new Option(
        '--worker-memory <mb>',
        'heap limit of each scoring thread, MB; a request that needs more gets 500 and the thread is replaced'
      )
        .default(SERVE_DEFAULTS.workerMemoryMb)
        .argParser(parseIntegerOption('--worker-memory', 64))
    )
    .addOption(
      new Option('--headers-timeout <seconds>', 'time to send the request headers; else 408 and the connection is closed')
        .default(SERVE_DEFAULTS.timeouts.headersMs / 1000)
        .argParser(seconds('--headers-timeout'))
    )
    .addOption(
      new Option('--request-timeout <seconds>', 'time to send the whole request, body included (scoring time not counted); else 408')
        .default(SERVE_DEFAULTS.timeouts.requestMs / 1000)
        .argParser(seconds('--request-timeout'))
    )
    .addOption(
      new Option('--keep-alive-timeout <seconds>', 'an idle kept-alive connection is closed after this')
        .default(SERVE_DEFAULTS.timeouts.keepAliveMs / 1000)
        .argParser(seconds('--keep-alive-timeout'))
    )
    .addOption(
      new Option(
        '--idle-timeout <seconds>',
        'a connection with no bytes moving either way (e.g. a client not reading its answer) is closed after this'
      )
        .default(SERVE_DEFAULTS.timeouts.idleMs / 1000)
        .argParser(seconds('--idle-timeout'))
    )
    .action(async (flags: ServeFlags) => {
      const refs = flags.model.length > 0 ? flags.model : ['firmware'];
      const models = [];
      for (const ref of refs) models.push(await loadModelFlag(ref));
      if (flags.headersTimeout > flags.requestTimeout) {
        throw new CliExit(EXIT_USAGE, 'error: --headers-timeout must not be longer than --request-timeout');
      }
      let server: Server;
      try {
        server = await createScoringServer({
          models,
          bodyLimitBytes: flags.bodyLimit,
          driftWindow: flags.driftWindow,
          budget: { maxRows: flags.maxRows, maxExplainRows: flags.maxExplainRows },
          workers: flags.workers,
          queue: flags.queue ?? flags.workers,
          workerMemoryMb: flags.workerMemory,
          timeouts: {
            headersMs: flags.headersTimeout * 1000,
            requestMs: flags.requestTimeout * 1000,
            keepAliveMs: flags.keepAliveTimeout * 1000,
            idleMs: flags.idleTimeout * 1000
          }
        });
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

function listen(server: Server, port: number, host: string): Promise<void> {
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
