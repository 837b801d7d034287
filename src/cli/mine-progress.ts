/**
 * Progress of a long mine on stderr: a bar on a terminal (cli-progress), otherwise a plain
 * line every few seconds (CI logs). A run shorter than the first interval prints nothing.
 */
import cliProgress from 'cli-progress';
import type { MineProgress } from '../git/index.js';

export interface ProgressReporter {
  update(progress: MineProgress): void;
  /** Clear the bar (a terminal) before other output follows. */
  stop(): void;
}

export interface ProgressOptions {
  stream: NodeJS.WritableStream;
  /** Draw a bar (a terminal) instead of plain lines. */
  tty: boolean;
  /** Milliseconds between plain lines, and before the first one (default 5,000). */
  everyMs?: number;
  /** Clock in milliseconds (tests). */
  now?: () => number;
}

const number = new Intl.NumberFormat('en-US');

/** "1:05:09", "4:05", "0:07". */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '?';
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${rest}` : `${m}:${rest}`;
}

/** One plain progress line: counts, share, rate and time left. */
export function progressLine(p: MineProgress, elapsedMs: number): string {
  const rate = elapsedMs > 0 ? (p.replayed * 1000) / elapsedMs : 0;
  const share = p.total > 0 ? Math.floor((100 * p.replayed) / p.total) : 100;
  const left = rate > 0 ? (p.total - p.replayed) / rate : Infinity;
  const what = p.phase === 'range' ? 'range' : 'history';
  return `mine: ${number.format(p.replayed)} of ${number.format(p.total)} commits replayed (${share}%, ${what}), ${number.format(Math.round(rate))} commits/s, about ${formatDuration(left)} left\n`;
}

export function progressReporter(opts: ProgressOptions): ProgressReporter {
  const now = opts.now ?? Date.now;
  const started = now();
  if (!opts.tty) {
    const every = opts.everyMs ?? 5000;
    let next = started + every;
    return {
      update(p) {
        const t = now();
        if (t < next || p.replayed >= p.total) return;
        next = t + every;
        opts.stream.write(progressLine(p, t - started));
      },
      stop() {}
    };
  }
  let bar: cliProgress.SingleBar | undefined;
  let last = 0;
  return {
    update(p) {
      const t = now();
      if (!bar) {
        // Like the plain lines, a short run draws nothing.
        if (t - started < (opts.everyMs ?? 1000)) return;
        bar = new cliProgress.SingleBar({
          stream: opts.stream,
          format: 'mine [{bar}] {percentage}% | {value}/{total} commits | {rate} commits/s | ETA {eta_formatted}',
          barsize: 30,
          etaBuffer: 50,
          hideCursor: true,
          clearOnComplete: true
        });
        bar.start(p.total, p.replayed, { rate: '0' });
      }
      if (t - last < 100 && p.replayed < p.total) return;
      last = t;
      bar.update(p.replayed, { rate: number.format(Math.round((p.replayed * 1000) / Math.max(1, t - started))) });
    },
    stop() {
      bar?.stop();
      bar = undefined;
    }
  };
}
