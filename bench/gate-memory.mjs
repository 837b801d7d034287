// Peak memory of `patch-risk gate` against the size of its input.
//   npm run build && node bench/gate-memory.mjs [--rows 1000000]
//
// Writes generated firmware patches with three extra text columns (about 55 MB
// for a million rows), then runs the gate as a child process on 16, 100k and
// all rows, and reads each run's peak RSS with GNU time (/usr/bin/time, Debian
// package `time`). The 16-row run is the baseline: node, the modules and
// onnxruntime alone. Target: the 1M-row run under 300 MB.
import { execFileSync, spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, statSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateFirmwarePatches } from '../lib/model/data/generate.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = path.join(root, 'lib/cli/bin.js');
const i = process.argv.indexOf('--rows');
const ROWS = i >= 0 ? Number(process.argv[i + 1]) : 1000000;
const TIME = '/usr/bin/time';
if (!existsSync(TIME)) execFileSync('apt-get', ['install', '-y', '-qq', 'time'], { stdio: 'inherit' });

const COMPONENTS = ['bootloader', 'radio-stack', 'power-mgmt', 'ota-updater', 'sensor-hub', 'display', 'crypto', 'storage'];
const OWNERS = ['Ada Lovelace', 'Grace Hopper', 'Linus T.', 'Margaret Hamilton', 'Ken T.', 'Barbara Liskov'];

function writePatches(file, rows) {
  const fd = openSync(file, 'w');
  writeSync(
    fd,
    'patch_id,component,owner,ticket,code_churn_score,patch_size_mb,lines_changed,files_changed,avg_device_age_days,is_hotfix,patch_security\n'
  );
  const batch = 50000;
  for (let start = 0; start < rows; start += batch) {
    const patches = generateFirmwarePatches(Math.min(batch, rows - start), 1000 + start);
    let text = '';
    patches.forEach((p, k) => {
      const n = start + k;
      text += `FW-${String(n + 1).padStart(7, '0')},${COMPONENTS[n % COMPONENTS.length]},${OWNERS[n % OWNERS.length]},JIRA-${100000 + n},`;
      text += `${p.code_churn_score},${p.patch_size_mb},${p.lines_changed},${p.files_changed},${p.avg_device_age_days},${p.is_hotfix},${p.patch_security}\n`;
    });
    writeSync(fd, text);
  }
  closeSync(fd);
}

function peakRss(file) {
  const result = spawnSync(TIME, ['-f', '%M %e', process.execPath, bin, 'gate', file, '--out', `${file}.scored.csv`], { encoding: 'utf8' });
  if (result.status !== 0 && result.status !== 1) throw new Error(result.stderr);
  const [kb, seconds] = result.stderr.trim().split('\n').pop().split(' ').map(Number);
  return { mb: kb / 1024, seconds };
}

const dir = mkdtempSync(path.join(tmpdir(), 'prg-bench-mem-'));
const sizes = [16, 100000, ROWS];
const table = [['rows', 'file MB', 'peak RSS MB', 'seconds', 'RSS over baseline']];
let baseline;
for (const rows of sizes) {
  const file = path.join(dir, `patches-${rows}.csv`);
  writePatches(file, rows);
  const { mb, seconds } = peakRss(file);
  baseline ??= mb;
  table.push([
    rows.toLocaleString('en-US'),
    (statSync(file).size / 1e6).toFixed(1),
    mb.toFixed(1),
    seconds.toFixed(2),
    `${(mb / baseline).toFixed(2)}x`
  ]);
}
const widths = table[0].map((_, c) => Math.max(...table.map((row) => row[c].length)));
for (const row of table) console.log(row.map((cell, c) => cell.padStart(widths[c])).join('  '));
