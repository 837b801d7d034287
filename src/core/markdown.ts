/** Markdown building blocks shared by the report's sections (render.ts, render-commits.ts). */
import type { ScoredPatches } from './pipeline.js';
import type { RiskBucket } from './plan.js';
import { reasonsOfRow, reasonsText, STRENGTH_LEGEND } from './reasons.js';
import { visibleLine } from './text.js';

const ZWJ = '\u200d';
/** Width of user-written cells and of reasons in tables. */
export const MAX_CELL = 60;
export const MAX_REASON = 80;

export const BUCKET_ICON: Record<RiskBucket, string> = { High: '🔴', Medium: '🟠', Low: '🟢' };

/**
 * Plain text safe for Markdown and for a workflow log: one line, no HTML,
 * Markdown punctuation escaped, and a zero-width joiner after `@`, `#`,
 * `gh-` and between `:` and `:`/`/` so mentions, issue references, links
 * and `::workflow-commands` stay inert.
 */
export function escapeMarkdown(text: string, maxLength = Infinity): string {
  let plain = visibleLine(text);
  const chars = Array.from(plain);
  if (chars.length > maxLength)
    plain = `${chars
      .slice(0, maxLength - 1)
      .join('')
      .trimEnd()}…`;
  return plain
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/[\\`*_[\]|~]/g, '\\$&')
    .replace(/([@#])/g, `$1${ZWJ}`)
    .replace(/(g)(h-)/gi, `$1${ZWJ}$2`)
    .replace(/:(?=[:/])/g, `:${ZWJ}`);
}

/** A link target we built ourselves; still percent-encode what would end the Markdown link. */
export function safeUrl(url: string): string {
  if (!/^https?:\/\//i.test(url)) return '#';
  return url.replace(/[\s()<>[\]|`]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
}

/** The reasons cell of row `index`: phrases with strength arrows, escaped. */
export function reasonsCell(result: ScoredPatches, index: number): string {
  return escapeMarkdown(reasonsText(reasonsOfRow(result, index)), 3 * MAX_REASON);
}

/** A row's percentile in the reference, rounded down: "97%" ("riskier than 97% of …"). */
export function percentileCell(percentile: number): string {
  return `${Math.floor(percentile)}%`;
}

/** One line under the table saying what its arrows and its "Riskier than" column mean (undefined when it has neither). */
export function tableLegend(result: ScoredPatches): string | undefined {
  const parts: string[] = [];
  if (result.reasons?.some((_, index) => reasonsOfRow(result, index).length > 0)) parts.push(STRENGTH_LEGEND);
  const reference = result.calibration?.reference;
  if (result.calibration?.percentiles && reference) {
    parts.push(`Riskier than: the share of ${escapeMarkdown(reference.label)} that scored lower.`);
  }
  return parts.length === 0 ? undefined : parts.join(' ');
}
