/** What every `patch-risk` command shares: exit codes and turning errors into messages. */
import { InvalidArgumentError } from 'commander';
import { parseDecimal } from '../core/schema.js';

export const EXIT_OK = 0;
/** The gate found high risk, or a promotion was blocked, or drift crossed --fail-on. */
export const EXIT_FAIL = 1;
/** Usage errors, unreadable or invalid input, unusable models. */
export const EXIT_USAGE = 2;

/** Thrown by a command to end with a given exit code after printing `message` to stderr. */
export class CliExit extends Error {
  constructor(
    readonly code: number,
    message = ''
  ) {
    super(message);
  }
}

export function parseNumberOption(name: string, min?: number, max?: number) {
  return (raw: string): number => {
    const value = parseDecimal(raw);
    if (value === undefined) throw new InvalidArgumentError(`${name} must be a number.`);
    if (min !== undefined && value < min) throw new InvalidArgumentError(`${name} must be >= ${min}.`);
    if (max !== undefined && value > max) throw new InvalidArgumentError(`${name} must be <= ${max}.`);
    return value;
  };
}

export function parseIntegerOption(name: string, min?: number) {
  return (raw: string): number => {
    const value = parseNumberOption(name, min)(raw);
    if (!Number.isInteger(value)) throw new InvalidArgumentError(`${name} must be a whole number.`);
    return value;
  };
}
