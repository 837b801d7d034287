// Check an evaluation report the way a person would look at it.
//   node scripts/check-report.mjs REPORT_DIR
// Always: every chart's SVG file exists, has drawn data marks (the paths of
// the group vega renders for the layer named "data"), and the page inlines it
// and links to it. Then, when Debian's chromium is installed, opens the page
// in headless Chromium, saves REPORT_DIR/screenshot.png and checks the DOM the
// browser built has each chart with its marks. Without chromium that part is
// skipped with a message. Exit 0 = all checks passed, 1 = a chart is missing
// or empty (each problem printed), 2 = usage.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const CHARTS = ['roc', 'pr', 'calibration', 'confusion', 'histogram', 'importance'];
const BROWSERS = ['chromium', 'chromium-browser'];

/** Drawn marks of the chart's data layer: path/rect/line elements with geometry inside the data_marks group. */
export function dataMarkCount(svg) {
  const group = /<g class="mark-\w+ role-mark data_marks"[^>]*>([\s\S]*?)<\/g>/.exec(svg);
  if (!group) return 0;
  return (group[1].match(/<(path[^>]* d="M[^"]+"|rect[^>]* width="[1-9]|line )/g) ?? []).length;
}

function checkFiles(dir) {
  const problems = [];
  const page = path.join(dir, 'index.html');
  if (!existsSync(page)) return [`${page}: missing`];
  const html = readFileSync(page, 'utf8');
  for (const name of CHARTS) {
    const file = path.join(dir, `${name}.svg`);
    if (!existsSync(file)) {
      problems.push(`${name}: ${file} is missing`);
      continue;
    }
    const marks = dataMarkCount(readFileSync(file, 'utf8'));
    if (marks === 0) problems.push(`${name}: ${name}.svg draws no data (no marks in its data layer)`);
    const figure = new RegExp(
      `<figure id="chart-${name}"[^>]*>\\s*<svg[\\s\\S]*?</svg>[\\s\\S]*?href="${name}.svg"[\\s\\S]*?</figure>`
    ).exec(html);
    if (!figure) problems.push(`${name}: index.html does not show the chart (no figure with its inline SVG and a link to ${name}.svg)`);
    else if (dataMarkCount(figure[0]) === 0) problems.push(`${name}: the chart on index.html draws no data`);
  }
  return problems;
}

function findBrowser() {
  for (const name of BROWSERS) {
    try {
      return execFileSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).trim();
    } catch {
      // not this one
    }
  }
  return undefined;
}

function checkInBrowser(dir, browser) {
  const profile = mkdtempSync(path.join(tmpdir(), 'report-chromium-'));
  const screenshot = path.join(dir, 'screenshot.png');
  const url = pathToFileURL(path.resolve(dir, 'index.html')).href;
  const flags = [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
    `--user-data-dir=${profile}`
  ];
  const problems = [];
  try {
    rmSync(screenshot, { force: true });
    execFileSync(browser, [...flags, `--screenshot=${screenshot}`, '--window-size=1280,2600', url], { stdio: 'ignore', timeout: 120000 });
    if (!existsSync(screenshot) || statSync(screenshot).size < 20000)
      problems.push(`browser: no screenshot, or a blank one, at ${screenshot}`);
    const dom = execFileSync(browser, [...flags, '--dump-dom', url], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
      timeout: 120000,
      maxBuffer: 64 << 20
    });
    for (const name of CHARTS) {
      const figure = new RegExp(`<figure id="chart-${name}"[\\s\\S]*?</figure>`).exec(dom);
      if (!figure || dataMarkCount(figure[0]) === 0) problems.push(`browser: the page Chromium rendered has no drawn ${name} chart`);
    }
  } finally {
    rmSync(profile, { recursive: true, force: true });
  }
  return { problems, screenshot };
}

const dir = process.argv[2];
if (!dir) {
  console.error('usage: node scripts/check-report.mjs REPORT_DIR');
  process.exit(2);
}
const problems = checkFiles(dir);
if (problems.length === 0) console.log(`files: ${CHARTS.length} charts with data, each shown on index.html`);
const browser = findBrowser();
if (!browser) {
  console.log('browser: skipped, chromium is not installed (Debian: apt-get install -y chromium)');
} else if (problems.length === 0) {
  const result = checkInBrowser(dir, browser);
  problems.push(...result.problems);
  if (result.problems.length === 0) console.log(`browser: Chromium shows all ${CHARTS.length} charts; screenshot ${result.screenshot}`);
}
for (const problem of problems) console.error(problem);
process.exit(problems.length === 0 ? 0 : 1);
