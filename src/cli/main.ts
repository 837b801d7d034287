/** `patch-risk`: argv in, exit code out. Every command shares the library below src/index.ts. */
import { Command, CommanderError } from 'commander';
import { InputError, ModelError } from '../index.js';
import { CliExit, EXIT_OK, EXIT_USAGE } from './common.js';
import { gateCommand } from './gate.js';
import { generateCommand } from './generate.js';
import { labelCommand } from './label.js';
import { mineCommand } from './mine.js';
import { scoreCommand } from './score.js';
import { serveCommand } from './serve.js';
import { trainCommand } from './train.js';
import { modelsCommand } from './models.js';
import { promoteCommand } from './promote.js';
import { driftCommand } from './drift.js';
import { retrainCommand } from './retrain.js';
import { evaluateCommand } from './evaluate.js';

export function buildProgram(): Command {
  const program = new Command('patch-risk')
    .description('Predict which patches are likely to cause a regression, and gate CI on it.')
    .version('1.0.0')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  const commands = [gateCommand(), scoreCommand(), generateCommand(), trainCommand(), modelsCommand(), promoteCommand(), driftCommand(), retrainCommand(), mineCommand(), labelCommand(), serveCommand(), evaluateCommand()];
  for (const command of commands) program.addCommand(command.exitOverride());
  return program;
}

/** Run the CLI and return its exit code; errors a user can fix become one line on stderr. */
export async function main(argv: string[]): Promise<number> {
  try {
    await buildProgram().parseAsync(argv, { from: 'user' });
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
  if (error instanceof InputError || error instanceof ModelError || error instanceof RangeError) {
    process.stderr.write(`error: ${error.message}\n`);
    return EXIT_USAGE;
  }
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`error: ${message}\n`);
  return EXIT_USAGE;
}
