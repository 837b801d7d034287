/** Option parsers and progress output shared by the commands that read git history (label, train-repo, track-record). */
import { InvalidArgumentError } from 'commander';
import { compileFixRule, parseHistoryDate, type FixRule } from '../index.js';

/**
 * A date flag: `YYYY-MM-DD` (the whole UTC day; `edge` says which end of it), an ISO 8601 time
 * with its zone, or `@UNIX_SECONDS` (the labeller's date rules); unix seconds out.
 */
export function parseDateOption(edge: 'start' | 'end'): (raw: string) => number {
  return (raw) => {
    try {
      return parseHistoryDate(raw, edge);
    } catch (err) {
      throw new InvalidArgumentError((err as Error).message);
    }
  };
}

/** A --fix-pattern value compiled to a fix rule; commander prints the rule's own error. */
export function parseFixRuleOption(raw: string): FixRule {
  try {
    return compileFixRule(raw);
  } catch (err) {
    throw new InvalidArgumentError((err as Error).message);
  }
}

/** A progress line `<command>: <line>` on stderr at most every 5 seconds (none with --no-progress). */
export function progressPrinter(command: string, enabled: boolean): (line: string) => void {
  let last = 0;
  return (line) => {
    const now = Date.now();
    if (!enabled || now - last < 5000) return;
    last = now;
    process.stderr.write(`${command}: ${line}\n`);
  };
}
