/** Progress of long mines on stderr (issue 13 §7): plain lines off a terminal, a bar on one, silence for short runs. */
import { Writable } from 'node:stream';
import { formatDuration, progressLine, progressReporter } from '../../src/cli/mine-progress.js';

class Capture extends Writable {
  text = '';
  isTTY: boolean;
  columns = 120;
  constructor(tty: boolean) {
    super();
    this.isTTY = tty;
  }
  override _write(chunk: Buffer, _enc: BufferEncoding, done: () => void): void {
    this.text += chunk.toString();
    done();
  }
}

describe('mine progress', () => {
  it('formats durations and one plain line with count, share, rate and time left', () => {
    expect([formatDuration(7), formatDuration(245), formatDuration(3909), formatDuration(Infinity)]).toEqual([
      '0:07',
      '4:05',
      '1:05:09',
      '?'
    ]);
    expect(progressLine({ replayed: 12_345, total: 27_873, phase: 'history' }, 41_150)).toBe(
      'mine: 12,345 of 27,873 commits replayed (44%, history), 300 commits/s, about 0:52 left\n'
    );
  });

  it('off a terminal: nothing for a short run, then a line every interval, none at the end', () => {
    const stream = new Capture(false);
    let t = 0;
    const progress = progressReporter({ stream, tty: false, everyMs: 5000, now: () => t });
    for (let i = 1; i <= 1000; i++) {
      t = i * 10; // 100 commits/s
      progress.update({ replayed: i, total: 1000, phase: i <= 900 ? 'history' : 'range' });
    }
    progress.stop();
    const lines = stream.text.split('\n').filter((l) => l !== '');
    expect(lines).toEqual(['mine: 500 of 1,000 commits replayed (50%, history), 100 commits/s, about 0:05 left']);
    expect(lines.every((l) => !l.startsWith('::'))).toBe(true);
  });

  it('on a terminal: a bar with count and ETA once the run lasts, cleared at the end', () => {
    const stream = new Capture(true);
    let t = 0;
    const progress = progressReporter({ stream, tty: true, everyMs: 1000, now: () => t });
    progress.update({ replayed: 1, total: 50, phase: 'history' });
    expect(stream.text).toBe('');
    for (let i = 2; i <= 50; i++) {
      t = i * 100;
      progress.update({ replayed: i, total: 50, phase: 'history' });
    }
    progress.stop();
    expect(stream.text).toMatch(/mine \[[^\]]+\] \d+% \| \d+\/50 commits \| 10 commits\/s \| ETA /);
  });
});
