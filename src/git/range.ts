/** `BASE..HEAD` as the commands take it: pure, so a command can check its flags without loading the miner. */

export interface ParsedRange {
  base: string;
  head: string;
}

/** Accepts `BASE..HEAD` (either side may be empty, meaning HEAD). Throws with what was expected. */
export function parseRange(range: string): ParsedRange {
  const parts = range.split('..');
  if (parts.length !== 2 || parts[1].startsWith('.') || range.includes('...')) {
    throw new Error(`--range "${range}" must look like BASE..HEAD (two dots, no symmetric "..." ranges)`);
  }
  const [base, head] = parts.map((p) => p.trim() || 'HEAD') as [string, string];
  for (const rev of [base, head]) {
    if (rev.startsWith('-') || /\s/.test(rev)) throw new Error(`--range "${range}": "${rev}" is not a revision`);
  }
  return { base, head };
}
