/** Dates for `--since` / `--until`: a day, a moment with its time zone, or unix seconds. */

const DAY_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const MOMENT_RE = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})$/i;

/**
 * Unix seconds for a date option. `YYYY-MM-DD` is a whole day in UTC: its first second for
 * `start` (--since), its last for `end` (--until), so `--until 2018-12-31` keeps that day.
 * An ISO 8601 moment must name its zone (`2018-12-31T18:00:00+01:00`, `…Z`), and `@1546300800`
 * is unix seconds. Throws with what is accepted.
 */
export function parseHistoryDate(raw: string, edge: 'start' | 'end', name = edge === 'start' ? '--since' : '--until'): number {
  const text = raw.trim();
  const day = DAY_RE.exec(text);
  if (day) {
    const [y, m, d] = [Number(day[1]), Number(day[2]), Number(day[3])];
    const ms = Date.UTC(y, m - 1, d);
    const check = new Date(ms);
    if (check.getUTCFullYear() === y && check.getUTCMonth() === m - 1 && check.getUTCDate() === d) {
      return ms / 1000 + (edge === 'end' ? 86_399 : 0);
    }
  } else if (/^@\d+$/.test(text)) {
    return Number(text.slice(1));
  } else if (MOMENT_RE.test(text)) {
    const ms = Date.parse(text.replace(' ', 'T').replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
    if (Number.isFinite(ms)) return Math.floor(ms / 1000);
  }
  throw new Error(
    `${name} "${raw}" is not a date: use YYYY-MM-DD (a UTC day), an ISO 8601 time with its zone (2018-12-31T18:00:00Z) or @UNIX_SECONDS`
  );
}
