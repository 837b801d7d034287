/** `patch-risk`: argv in, exit code out. Every command shares the library below src/index.ts. */
import { Command, CommanderError } from 'commander';
// Not the index barrel: it loads every module, and `patch-risk gate` must start fast (see bench/gate-cold-start.mjs).
import { InputError, ModelError } from '../core/errors.js';
import { OutputError, removePendingOutputs } from '../core/files.js';
import { CliExit, EXIT_OK, EXIT_USAGE } from './common.js';

/**
 * Each command's module, loaded only when that command runs (or for the
 * global --help): `patch-risk gate` does not pay for the HTTP server, the
 * chart renderer or the git miner.
 */
const COMMANDS: Record<string, () => Promise<Command>> = {
  gate: async () => (await import('./gate.js')).gateCommand(),
  score: async () => (await import('./score.js')).scoreCommand(),
  generate: async () => (await import('./generate.js')).generateCommand(),
  train: async () => (await import('./train.js')).trainCommand(),
  evaluate: async () => (await import('./evaluate.js')).evaluateCommand(),
  'evaluate-jit': async () => (await import('./evaluate-jit.js')).evaluateJitCommand(),
  'train-jit': async () => (await import('./train-jit.js')).trainJitCommand(),
  'train-repo': async () => (await import('./train-repo.js')).trainRepoCommand(),
  'track-record': async () => (await import('./track-record.js')).trackRecordCommand(),
  models: async () => (await import('./models.js')).modelsCommand(),
  promote: async () => (await import('./promote.js')).promoteCommand(),
  drift: async () => (await import('./drift.js')).driftCommand(),
  retrain: async () => (await import('./retrain.js')).retrainCommand(),
  mine: async () => (await import('./mine.js')).mineCommand(),
  label: async () => (await import('./label.js')).labelCommand(),
  serve: async () => (await import('./serve.js')).serveCommand()
};

export async function buildProgram(argv: string[] = []): Promise<Command> {
  const program = new Command('patch-risk')
    .description('Predict which patches are likely to cause a regression, and gate CI on it.')
    .version('1.0.0')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  const named = argv[0] !== undefined && Object.hasOwn(COMMANDS, argv[0]) ? [argv[0]] : Object.keys(COMMANDS);
  for (const name of named) program.addCommand((await COMMANDS[name]()).exitOverride());
  return program;
}

/** Commands that handle SIGINT and SIGTERM themselves (serve shuts down gracefully). */
const OWN_SIGNALS = new Set(['serve']);

/** Exit codes for a command ended by a signal, as a shell reports them (128 + the signal's number). */
const SIGNAL_EXITS = { SIGINT: 130, SIGTERM: 143 } as const;

/**
 * Ctrl-C or SIGTERM while a command writes: remove its unfinished temporary
 * files (the destination keeps its previous content), then end as the signal would.
 */
let signalsHandled = false;
function cleanUpOnSignals(): void {
  // Once per process: main() may run many times in one (tests, embedding programs).
  if (signalsHandled) return;
  signalsHandled = true;
  for (const [signal, code] of Object.entries(SIGNAL_EXITS)) {
    process.once(signal, () => {
      removePendingOutputs();
      process.stderr.write(`patch-risk: stopped by ${signal}; unfinished output files were removed\n`);
      process.exit(code);
    });
  }
}

/** What to do about an output that cannot be written, by the output (OutputError.what). */
const OUTPUT_HINTS: Record<string, string> = {
  'the scored file': '--out chooses another place for it',
  'the model file': '--out chooses another model folder',
  'the model card': '--out chooses another model folder',
  'the model version': '--out chooses another model folder',
  'the generated file': '--out chooses another place for it',
  'the track record': '--out chooses another place for it',
  'the report chart': '--report chooses another folder',
  'the report page': '--report chooses another folder'
};

/** Run the CLI and return its exit code; errors a user can fix become one line on stderr. */
export async function main(argv: string[]): Promise<number> {
  if (!OWN_SIGNALS.has(argv[0] ?? '')) cleanUpOnSignals();
  try {
    await (await buildProgram(argv)).parseAsync(argv, { from: 'user' });
    return EXIT_OK;
  } catch (error) {
    return exitCodeFor(error);
  }
}

function exitCodeFor(error: unknown): number {
  if (error instanceof CliExit) {
    if (error.message) process.stderr.write(`${error.message}\n`);
    return error.code;
  }
  if (error instanceof CommanderError) {
    // commander already printed the message (or the help/version text).
    const quiet = ['commander.helpDisplayed', 'commander.version', 'commander.help'];
    return quiet.includes(error.code) ? EXIT_OK : EXIT_USAGE;
  }
  if (error instanceof OutputError) {
    const hint = OUTPUT_HINTS[error.what];
    process.stderr.write(`error: ${error.message}${hint ? `; ${hint}` : ''}\n`);
    return EXIT_USAGE;
  }
  if (error instanceof InputError || error instanceof ModelError || error instanceof RangeError) {
    process.stderr.write(`error: ${error.message}\n`);
    return EXIT_USAGE;
  }
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`error: ${message}\n`);
  return EXIT_USAGE;
}
