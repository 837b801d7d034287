export const id = 861;
export const ids = [861];
export const modules = {

/***/ 3861:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  AUTO_EXPLAIN_ALL_ROWS: () => (/* reexport */ AUTO_EXPLAIN_ALL_ROWS),
  BASELINE_PROBABILITIES: () => (/* reexport */ BASELINE_PROBABILITIES),
  BUILTIN_MODELS_DIR: () => (/* binding */ BUILTIN_MODELS_DIR),
  COMMIT_COLUMNS: () => (/* reexport */ COMMIT_COLUMNS),
  DEFAULT_DRIFT_THRESHOLDS: () => (/* reexport */ DEFAULT_DRIFT_THRESHOLDS),
  DEFAULT_GATES: () => (/* reexport */ DEFAULT_GATES),
  DEFAULT_GBDT_PARAMS: () => (/* reexport */ DEFAULT_GBDT_PARAMS),
  DEFAULT_ID_COLUMN: () => (/* reexport */ DEFAULT_ID_COLUMN),
  DEFAULT_IGNORE: () => (/* reexport */ ignore/* DEFAULT_IGNORE */.pA),
  DEFAULT_MAX_PARTS: () => (/* reexport */ DEFAULT_MAX_PARTS),
  DEFAULT_PLAN_OPTIONS: () => (/* reexport */ DEFAULT_PLAN_OPTIONS),
  DEPLOYMENT_SCHEMA: () => (/* reexport */ DEPLOYMENT_SCHEMA),
  FILES_SEPARATOR: () => (/* reexport */ FILES_SEPARATOR),
  FIRMWARE_SCHEMA: () => (/* reexport */ FIRMWARE_SCHEMA),
  FIX_WORDS: () => (/* reexport */ FIX_WORDS),
  FLEET_AGE_COLUMN: () => (/* reexport */ FLEET_AGE_COLUMN),
  GITHUB_COMMENT_LIMIT: () => (/* reexport */ GITHUB_COMMENT_LIMIT),
  GitError: () => (/* reexport */ GitError),
  INPUT_NAME: () => (/* reexport */ INPUT_NAME),
  InputError: () => (/* reexport */ InputError),
  JIT_SCHEMA: () => (/* reexport */ JIT_SCHEMA),
  KNOWN_SCHEMAS: () => (/* reexport */ KNOWN_SCHEMAS),
  MAX_CURVE_POINTS: () => (/* reexport */ MAX_CURVE_POINTS),
  METRIC_COLUMNS: () => (/* reexport */ METRIC_COLUMNS),
  MODEL_COLUMNS: () => (/* reexport */ MODEL_COLUMNS),
  ModelError: () => (/* reexport */ ModelError),
  OUTPUT_NAME: () => (/* reexport */ OUTPUT_NAME),
  PLAN_COLUMNS: () => (/* reexport */ PLAN_COLUMNS),
  PSI_EPSILON: () => (/* reexport */ PSI_EPSILON),
  REASON_COLUMNS: () => (/* reexport */ REASON_COLUMNS),
  REGISTRY_FILE: () => (/* reexport */ REGISTRY_FILE),
  SCORE_BATCH_ROWS: () => (/* reexport */ SCORE_BATCH_ROWS),
  alignColumns: () => (/* reexport */ alignColumns),
  averageRanks: () => (/* reexport */ averageRanks),
  bestF1Threshold: () => (/* reexport */ bestF1Threshold),
  binShares: () => (/* reexport */ binShares),
  blockingPatches: () => (/* reexport */ blockingPatches),
  brier: () => (/* reexport */ brier),
  builtInModelNames: () => (/* reexport */ builtInModelNames),
  calibration: () => (/* reexport */ calibration),
  cardFeatures: () => (/* reexport */ cardFeatures),
  cardPathFor: () => (/* reexport */ cardPathFor),
  championFor: () => (/* reexport */ championFor),
  championVersion: () => (/* reexport */ championVersion),
  checkExplainable: () => (/* reexport */ checkExplainable),
  checkGates: () => (/* reexport */ checkGates),
  chooseSchema: () => (/* reexport */ chooseSchema),
  commentMarker: () => (/* reexport */ commentMarker),
  commitCsvHeader: () => (/* reexport */ commitCsvHeader),
  commitCsvLine: () => (/* reexport */ commitCsvLine),
  commitCsvRows: () => (/* reexport */ commitCsvRows),
  commitLink: () => (/* reexport */ commitLink),
  commitsToRaw: () => (/* reexport */ commitsToRaw),
  commitsToTable: () => (/* reexport */ commitsToTable),
  compareChallenger: () => (/* reexport */ compareChallenger),
  compileIgnore: () => (/* reexport */ ignore/* compileIgnore */.Mh),
  confusionAt: () => (/* reexport */ confusionAt),
  coverFromData: () => (/* reexport */ coverFromData),
  createRandom: () => (/* reexport */ createRandom),
  csvCell: () => (/* reexport */ csvCell),
  decodeText: () => (/* reexport */ decodeText),
  defaultScoredPath: () => (/* binding */ defaultScoredPath),
  describeType: () => (/* reexport */ describeType),
  directoryOf: () => (/* reexport */ directoryOf),
  driftReport: () => (/* reexport */ driftReport),
  ensembleToOnnx: () => (/* reexport */ ensembleToOnnx),
  escapeMarkdown: () => (/* reexport */ escapeMarkdown),
  evaluateOnHoldout: () => (/* reexport */ evaluateOnHoldout),
  evaluatePromotion: () => (/* reexport */ evaluatePromotion),
  evaluateScores: () => (/* reexport */ evaluateScores),
  evaluateTable: () => (/* reexport */ evaluateTable),
  expectedMargin: () => (/* reexport */ expectedMargin),
  explainRows: () => (/* reexport */ explainRows),
  explainScored: () => (/* reexport */ explainScored),
  explainTable: () => (/* reexport */ explainTable),
  explainableEnsemble: () => (/* reexport */ explainableEnsemble),
  explainerFactory: () => (/* reexport */ explainerFactory),
  featureBaseline: () => (/* reexport */ train_featureBaseline),
  filePieces: () => (/* reexport */ filePieces),
  findIntroducers: () => (/* reexport */ findIntroducers),
  firmwareRiskLogit: () => (/* reexport */ firmwareRiskLogit),
  fleetAgeOfCell: () => (/* reexport */ fleetAgeOfCell),
  forEachThreshold: () => (/* reexport */ forEachThreshold),
  formatContribution: () => (/* reexport */ formatContribution),
  formatFeatureValue: () => (/* reexport */ formatFeatureValue),
  formatOf: () => (/* reexport */ formatOf),
  gateDecision: () => (/* reexport */ gateDecision),
  gateFile: () => (/* reexport */ gateFile),
  gateOutcome: () => (/* reexport */ gateOutcome),
  generateDeployments: () => (/* reexport */ generateDeployments),
  generateFirmwarePatches: () => (/* reexport */ generateFirmwarePatches),
  holdoutMetrics: () => (/* reexport */ holdoutMetrics),
  importanceOf: () => (/* reexport */ importanceOf),
  isFixMessage: () => (/* reexport */ isFixMessage),
  isShallow: () => (/* reexport */ isShallow),
  isTrivialLine: () => (/* reexport */ isTrivialLine),
  ksAgainstQuantiles: () => (/* reexport */ ksAgainstQuantiles),
  lineInFile: () => (/* reexport */ lineInFile),
  lineOfRow: () => (/* reexport */ lineOfRow),
  listVersions: () => (/* reexport */ listVersions),
  loadModel: () => (/* reexport */ loadModel),
  loadModelByName: () => (/* binding */ loadModelByName),
  logLoss: () => (/* reexport */ logLoss),
  mapColumns: () => (/* reexport */ mapColumns),
  meanAbsShap: () => (/* reexport */ meanAbsShap),
  mineAll: () => (/* reexport */ mineAll),
  mineCommits: () => (/* reexport */ mineCommits),
  modelCardSchema: () => (/* reexport */ modelCardSchema),
  modelSummary: () => (/* reexport */ modelSummary),
  monitoringPriority: () => (/* reexport */ monitoringPriority),
  neutraliseCell: () => (/* reexport */ neutraliseCell),
  nextVersion: () => (/* reexport */ nextVersion),
  onnxToEnsemble: () => (/* reexport */ onnxToEnsemble),
  parseCell: () => (/* reexport */ parseCell),
  parseCsv: () => (/* reexport */ parseCsv),
  parseCsvFile: () => (/* reexport */ parseCsvFile),
  parseCsvText: () => (/* reexport */ parseCsvText),
  parseLabel: () => (/* reexport */ parseLabel),
  parseModelCard: () => (/* reexport */ parseModelCard),
  parsePatchText: () => (/* reexport */ parsePatchText),
  parseRange: () => (/* reexport */ parseRange),
  parseRawText: () => (/* reexport */ parseRawText),
  planColumns: () => (/* reexport */ planColumns),
  planOptionsFor: () => (/* reexport */ planOptionsFor),
  planPatches: () => (/* reexport */ planPatches),
  planValues: () => (/* reexport */ planValues),
  plannedPatch: () => (/* reexport */ plannedPatch),
  prAuc: () => (/* reexport */ prAuc),
  prCurve: () => (/* reexport */ prCurve),
  predictMargins: () => (/* reexport */ predictMargins),
  predictProbabilities: () => (/* reexport */ predictProbabilities),
  promoteVersion: () => (/* reexport */ promoteVersion),
  promotedRegistry: () => (/* reexport */ promotedRegistry),
  promotionReason: () => (/* reexport */ promotionReason),
  psi: () => (/* reexport */ psi),
  quantile: () => (/* reexport */ quantile),
  quantileCdf: () => (/* reexport */ quantileCdf),
  readModelCard: () => (/* reexport */ readModelCard),
  readOptionsFor: () => (/* reexport */ readOptionsFor),
  readPatchFile: () => (/* reexport */ readPatchFile),
  readRawTable: () => (/* reexport */ readRawTable),
  readRegistry: () => (/* reexport */ readRegistry),
  readRows: () => (/* reexport */ readRows),
  readTextFile: () => (/* reexport */ readTextFile),
  recordPromotion: () => (/* reexport */ recordPromotion),
  recordStartLines: () => (/* reexport */ recordStartLines),
  registryPath: () => (/* reexport */ registryPath),
  renderChallengerMarkdown: () => (/* reexport */ renderChallengerMarkdown),
  renderChallengerText: () => (/* reexport */ renderChallengerText),
  renderDriftMarkdown: () => (/* reexport */ renderDriftMarkdown),
  renderDriftText: () => (/* reexport */ renderDriftText),
  renderPromotion: () => (/* reexport */ renderPromotion),
  renderReport: () => (/* reexport */ renderReport),
  resolveGbdtParams: () => (/* reexport */ resolveGbdtParams),
  resolveModel: () => (/* reexport */ resolveModel),
  retrainModel: () => (/* reexport */ retrainModel),
  reviewerList: () => (/* reexport */ reviewerList),
  rocAuc: () => (/* reexport */ rocAuc),
  rocCurve: () => (/* reexport */ rocCurve),
  rollbackLogit: () => (/* reexport */ rollbackLogit),
  round: () => (/* reexport */ round),
  scoreFeatures: () => (/* reexport */ scoreFeatures),
  scoreFile: () => (/* reexport */ scoreFile),
  scoreHistogram: () => (/* reexport */ scoreHistogram),
  scorePatches: () => (/* binding */ scorePatches),
  scoreTable: () => (/* reexport */ scoreTable),
  scoredCsv: () => (/* reexport */ scoredCsv),
  scoredCsvHeader: () => (/* reexport */ scoredCsvHeader),
  scoredCsvLine: () => (/* reexport */ scoredCsvLine),
  scoredLayout: () => (/* reexport */ scoredLayout),
  scoredRows: () => (/* reexport */ scoredRows),
  selectRows: () => (/* reexport */ selectRows),
  sha256Hex: () => (/* reexport */ sha256Hex),
  shapValues: () => (/* reexport */ shapValues),
  sigmoid: () => (/* reexport */ sigmoid),
  sortByTime: () => (/* reexport */ sortByTime),
  spearman: () => (/* reexport */ spearman),
  splitNewest: () => (/* reexport */ splitNewest),
  splitRows: () => (/* reexport */ train_splitRows),
  subset: () => (/* reexport */ subset),
  subsystemOf: () => (/* reexport */ subsystemOf),
  szz: () => (/* reexport */ szz),
  tableFromRaw: () => (/* reexport */ tableFromRaw),
  textPieces: () => (/* reexport */ textPieces),
  thinPoints: () => (/* reexport */ thinPoints),
  toJsonRows: () => (/* reexport */ toJsonRows),
  topReasons: () => (/* reexport */ topReasons),
  trainGbdt: () => (/* reexport */ trainGbdt),
  trainModel: () => (/* reexport */ trainModel),
  treeDepth: () => (/* reexport */ treeDepth),
  treeExpectation: () => (/* reexport */ treeExpectation),
  treeLeafValue: () => (/* reexport */ treeLeafValue),
  unescapeFormula: () => (/* reexport */ unescapeFormula),
  unreadable: () => (/* reexport */ unreadable),
  whatIf: () => (/* reexport */ whatIf),
  whatIfRows: () => (/* reexport */ whatIfRows),
  writeModelVersion: () => (/* reexport */ writeModelVersion),
  writeRegistry: () => (/* reexport */ writeRegistry)
});

// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
// EXTERNAL MODULE: external "node:url"
var external_node_url_ = __webpack_require__(3136);
;// CONCATENATED MODULE: ./lib/core/plan.js
/**
 * From scores to decisions: risk buckets, QA ranking and hours, fleet
 * monitoring priority and tiers, and the gate verdict. Pure functions; every
 * formula is documented in the README ("How scores become a plan").
 */
const DEFAULT_PLAN_OPTIONS = {
    qaCapacityHours: 40,
    minHighHours: 2,
    riskWeight: 0.7,
    ageWeight: 0.3,
    fleetAgeScaleDays: 1825,
    immediateEdge: 0.6,
    enhancedEdge: 0.3
};
function monitoringPriority(risk, ageDays, options) {
    if (ageDays === undefined)
        return risk;
    const age = Math.min(1, Math.max(0, ageDays) / options.fleetAgeScaleDays);
    return options.riskWeight * risk + options.ageWeight * age;
}
const BUCKETS = ['Low', 'Medium', 'High'];
const TIERS = ['Standard Monitoring', 'Enhanced Monitoring', 'Immediate Monitoring'];
function planColumns(scores, fleetAgeDays, options) {
    validateOptions(options);
    const n = scores.length;
    const high = options.highThreshold;
    const medium = Math.min(options.mediumThreshold, high);
    const baseRate = options.baseRate > 0 ? options.baseRate : 1;
    const columns = {
        risk: scores,
        bucket: new Uint8Array(n),
        rank: new Uint32Array(n),
        potential: new Float64Array(n),
        hours: new Float64Array(n),
        priority: new Float64Array(n),
        tier: new Uint8Array(n),
        byRank: new Uint32Array(0),
        totals: emptyTotals(options),
        thresholds: { high, medium }
    };
    for (let i = 0; i < n; i++) {
        const risk = scores[i];
        columns.bucket[i] = risk >= high ? 2 : risk >= medium ? 1 : 0;
        columns.potential[i] = risk / baseRate;
        columns.priority[i] = monitoringPriority(risk, fleetAgeDays?.[i], options);
        const priority = columns.priority[i];
        columns.tier[i] = priority >= options.immediateEdge ? 2 : priority >= options.enhancedEdge ? 1 : 0;
    }
    columns.byRank = rankOrder(scores, columns.priority);
    columns.byRank.forEach((row, rank) => (columns.rank[row] = rank + 1));
    allocateQaHours(columns, options);
    columns.totals = totalsOf(columns, options);
    return columns;
}
/** One patch of the plan as an object (id: the row number when no ids are given). */
function plannedPatch(columns, i, ids) {
    return {
        index: i,
        id: ids?.[i] ?? String(i + 1),
        risk_score: columns.risk[i],
        high_risk: columns.bucket[i] === 2 ? 1 : 0,
        risk_bucket: BUCKETS[columns.bucket[i]],
        qa_rank: columns.rank[i],
        regression_potential: columns.potential[i],
        qa_hours: columns.hours[i],
        monitoring_priority: columns.priority[i],
        monitoring_tier: TIERS[columns.tier[i]]
    };
}
function planPatches(input, options) {
    const columns = planColumns(input.scores, input.fleetAgeDays, options);
    const patches = input.ids.map((_, i) => plannedPatch(columns, i, input.ids));
    return { patches, byRank: Array.from(columns.byRank), totals: columns.totals, thresholds: columns.thresholds };
}
function validateOptions(options) {
    const checks = [
        [options.highThreshold >= 0 && options.highThreshold <= 1, 'the high-risk threshold must be between 0 and 1'],
        [options.qaCapacityHours >= 0 && Number.isFinite(options.qaCapacityHours), 'the QA capacity must be a number of hours >= 0'],
        [options.riskWeight >= 0 && options.ageWeight >= 0, 'monitoring weights must be >= 0'],
        [options.fleetAgeScaleDays > 0, 'the fleet age scale must be > 0 days']
    ];
    for (const [ok, message] of checks)
        if (!ok)
            throw new RangeError(message);
}
/** Riskiest first; ties by monitoring priority, then input order — deterministic. */
function rankOrder(risk, priority) {
    const order = new Uint32Array(risk.length);
    for (let i = 0; i < order.length; i++)
        order[i] = i;
    return order.sort((a, b) => risk[b] - risk[a] || priority[b] - priority[a] || a - b);
}
/**
 * Every High patch first gets min(minHighHours, capacity / #High); what is
 * left is shared by all patches in proportion to regression potential.
 * Hours are rounded to 0.1 h with the largest-remainder method so that they
 * add up to the capacity exactly.
 */
function allocateQaHours(columns, options) {
    const n = columns.risk.length;
    const capacity = options.qaCapacityHours;
    if (n === 0 || capacity === 0)
        return;
    let highCount = 0;
    let weight = 0;
    for (let i = 0; i < n; i++) {
        if (columns.bucket[i] === 2)
            highCount++;
        weight += columns.potential[i];
    }
    const floor = highCount === 0 ? 0 : Math.min(options.minHighHours, capacity / highCount);
    const rest = capacity - floor * highCount;
    const tenths = new Float64Array(n);
    for (let i = 0; i < n; i++) {
        const share = weight > 0 ? (rest * columns.potential[i]) / weight : rest / n;
        tenths[i] = ((columns.bucket[i] === 2 ? floor : 0) + share) * 10;
    }
    const rounded = largestRemainder(tenths, Math.round(capacity * 10));
    for (let i = 0; i < n; i++)
        columns.hours[i] = rounded[i] / 10;
}
/** Integers proportional to `values` that add up to `total` (ties go to the earlier index). */
function largestRemainder(values, total) {
    const floors = values.map(Math.floor);
    let left = total;
    for (let i = 0; i < floors.length; i++)
        left -= floors[i];
    for (const i of largestRemainders(values, floors, Math.min(Math.max(0, left), values.length)))
        floors[i] += 1;
    return floors;
}
/**
 * Indices of the k largest remainders values[i] - floors[i] (ties: the earlier
 * index), kept in a min-heap of size k: O(n log k) time and O(k) memory,
 * where k (tenths of an hour left after flooring) is small next to n.
 */
function largestRemainders(values, floors, k) {
    const heap = new Uint32Array(k);
    if (k === 0)
        return heap;
    const rem = (i) => values[i] - floors[i];
    // a ranks below b: a smaller remainder, or an equal one at a later index.
    const below = (a, b) => rem(a) < rem(b) || (rem(a) === rem(b) && a > b);
    const siftDown = (size) => {
        for (let at = 0;;) {
            const left = 2 * at + 1;
            if (left >= size)
                return;
            const child = left + 1 < size && below(heap[left + 1], heap[left]) ? left + 1 : left;
            if (!below(heap[child], heap[at]))
                return;
            [heap[at], heap[child]] = [heap[child], heap[at]];
            at = child;
        }
    };
    for (let i = 0; i < k; i++) {
        heap[i] = i;
        for (let at = i; at > 0 && below(heap[at], heap[(at - 1) >> 1]); at = (at - 1) >> 1) {
            [heap[at], heap[(at - 1) >> 1]] = [heap[(at - 1) >> 1], heap[at]];
        }
    }
    for (let i = k; i < values.length; i++) {
        if (below(heap[0], i)) {
            heap[0] = i;
            siftDown(k);
        }
    }
    return heap;
}
function emptyTotals(options) {
    return {
        patches: 0,
        high: 0,
        medium: 0,
        low: 0,
        max_risk: 0,
        expected_regressions: 0,
        qa_hours: 0,
        qa_capacity_hours: options.qaCapacityHours,
        immediate: 0,
        enhanced: 0,
        standard: 0
    };
}
function totalsOf(columns, options) {
    const totals = emptyTotals(options);
    const buckets = [0, 0, 0];
    const tiers = [0, 0, 0];
    for (let i = 0; i < columns.risk.length; i++) {
        buckets[columns.bucket[i]]++;
        tiers[columns.tier[i]]++;
        totals.max_risk = Math.max(totals.max_risk, columns.risk[i]);
        totals.expected_regressions += columns.risk[i];
        totals.qa_hours += columns.hours[i];
    }
    [totals.low, totals.medium, totals.high] = buckets;
    [totals.standard, totals.enhanced, totals.immediate] = tiers;
    totals.patches = columns.risk.length;
    totals.qa_hours = Math.round(totals.qa_hours * 10) / 10;
    return totals;
}
/**
 * The gate: fail when any patch reaches the fail-on level. For
 * `never`, the verdict is computed at the High level but the caller keeps
 * the check green.
 */
function gateDecision(totals, failOn) {
    const reached = failOn === 'medium' ? totals.high + totals.medium : totals.high;
    return reached > 0 ? 'fail' : 'pass';
}

// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(1455);
// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
// EXTERNAL MODULE: ../../main/node_modules/papaparse/papaparse.js
var papaparse = __webpack_require__(7142);
;// CONCATENATED MODULE: ./lib/core/errors.js
/** An input problem a user can fix: names the file, the row and column where known. */
class InputError extends Error {
    file;
    row;
    column;
    constructor(file, message, where = {}) {
        const parts = [file];
        if (where.row !== undefined)
            parts.push(`row ${where.row}`);
        if (where.column !== undefined)
            parts.push(`column "${where.column}"`);
        // One line, always: CLI errors are one stderr line, and a line break in a log could start a workflow command.
        super(oneLine(`${parts.join(', ')}: ${message}`));
        this.name = 'InputError';
        this.file = file;
        this.row = where.row;
        this.column = where.column;
    }
}
/** A model that cannot be trusted: wrong checksum, wrong inputs, unreadable card, bad output. */
class ModelError extends Error {
    constructor(message) {
        super(oneLine(message));
        this.name = 'ModelError';
    }
}
function oneLine(text) {
    return text.replace(/\s*[\r\n\u2028\u2029]+\s*/g, ' ');
}

;// CONCATENATED MODULE: ./lib/core/csv.js
/**
 * CSV text in pieces: papaparse parses one piece of whole records at a time
 * and the rows of a piece are dropped once handled, so memory does not grow
 * with the file. Pieces come from text in memory or straight from a file
 * (read in blocks and decoded strictly as UTF-8).
 */



/** About this many characters of CSV go to papaparse at once. */
const PIECE_CHARS = 1 << 14;
const NOT_UTF8 = 'the file is not valid UTF-8 text (save it as UTF-8)';
function isUtf16Bom(bytes) {
    return (bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff);
}
/** Decode UTF-8 strictly (a BOM is dropped); UTF-16 and other encodings are refused with a clear message. */
function decodeText(bytes, file) {
    if (isUtf16Bom(bytes))
        throw new InputError(file, 'the file is UTF-16 encoded; save it as UTF-8');
    let text;
    try {
        text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    }
    catch {
        throw new InputError(file, NOT_UTF8);
    }
    return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}
// Scanner states, as papaparse reads quotes: only a quote at the start of a field opens a quoted field
// (a quote inside an unquoted field is a plain character), and "" inside a quoted field is a quote.
const FIELD_START = 0;
const UNQUOTED = 1;
const QUOTED = 2;
const QUOTE_IN_QUOTED = 3;
/**
 * Scan text[from, to) from `state`. Returns the state at `to` and the index
 * just after the first (or, with `last`, the last) LF that ends a record, or -1.
 */
function scanRecords(text, from, to, state, last) {
    let end = -1;
    for (let i = from; i < to; i++) {
        const c = text.charCodeAt(i);
        if (state === QUOTED) {
            if (c === 34)
                state = QUOTE_IN_QUOTED;
            continue;
        }
        if (state === QUOTE_IN_QUOTED && c !== 44 && c !== 10 && c !== 13 && c !== 32 && c !== 9) {
            state = QUOTED; // "" is an escaped quote; any other character keeps the field open, as papaparse does
            continue;
        }
        if (c === 10) {
            state = FIELD_START;
            end = i + 1;
            if (!last)
                return { state, end };
        }
        else if (c === 44 || c === 13)
            state = FIELD_START;
        else if (state === FIELD_START)
            state = c === 34 ? QUOTED : UNQUOTED;
    }
    return { state, end };
}
/** Index just after the last line break that ends a record (text starts at a record), or -1. */
function lastRecordEnd(text) {
    return scanRecords(text, 0, text.length, FIELD_START, true).end;
}
/** Pieces of in-memory CSV text, each ending after a whole record. */
function* textPieces(text) {
    let start = 0;
    while (start < text.length) {
        const target = Math.min(text.length, start + PIECE_CHARS);
        let end = text.length;
        if (target < text.length) {
            // Cut at the first record end past the target, the quoting state carried from the piece's start.
            const { state } = scanRecords(text, start, target, FIELD_START, true);
            const next = scanRecords(text, target, text.length, state, false).end;
            if (next >= 0)
                end = next;
        }
        yield text.slice(start, end);
        start = end;
    }
}
/** The InputError for a file that cannot be opened or read. */
function unreadable(file, error) {
    const code = error.code;
    const reason = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory, not a file' : String(error.message);
    return new InputError(file, `cannot read the file: ${reason}`);
}
/** Pieces of a CSV file read in blocks, decoded strictly as UTF-8, each ending after a whole record. */
function* filePieces(file) {
    let fd;
    try {
        fd = (0,external_node_fs_.openSync)(file, 'r');
    }
    catch (error) {
        throw unreadable(file, error);
    }
    try {
        const block = Buffer.allocUnsafe(PIECE_CHARS);
        const decoder = new TextDecoder('utf-8', { fatal: true });
        // `pending` always starts at a record boundary, outside quotes.
        let pending = '';
        let first = true;
        for (;;) {
            let read;
            try {
                read = (0,external_node_fs_.readSync)(fd, block, 0, block.length, null);
            }
            catch (error) {
                throw unreadable(file, error);
            }
            if (first && isUtf16Bom(block.subarray(0, read)))
                throw new InputError(file, 'the file is UTF-16 encoded; save it as UTF-8');
            let text;
            try {
                text = decoder.decode(block.subarray(0, read), { stream: read > 0 });
            }
            catch {
                throw new InputError(file, NOT_UTF8);
            }
            if (first && text.charCodeAt(0) === 0xfeff)
                text = text.slice(1);
            first = false;
            if (read === 0) {
                if (pending !== '' || text !== '')
                    yield pending + text;
                return;
            }
            pending += text;
            const end = lastRecordEnd(pending);
            if (end < 0)
                continue;
            yield pending.slice(0, end);
            pending = pending.slice(end);
        }
    }
    finally {
        (0,external_node_fs_.closeSync)(fd);
    }
}
/**
 * Parse CSV pieces with papaparse, checking that every row has as many fields
 * as the header and that quotes are balanced. Returns the number of data
 * rows. `lineOf` gives the file line of a 1-based data row for messages.
 * (papaparse's own chunk mode recurses once per chunk over a string and keeps
 * every chunk's rows alive until the end, which defeats parsing in chunks.)
 */
function parseCsv(pieces, file, handlers, lineOf) {
    let width = -1;
    let count = 0;
    let blank = true;
    // Leading pieces of only blanks are held, not dropped: a line of spaces or tabs is still a record (the header).
    let leading = '';
    for (const next of pieces) {
        if (blank && next.trim() === '') {
            leading += next;
            continue;
        }
        const piece = blank ? leading + next : next;
        blank = false;
        // Line endings may be mixed (CRLF, LF, CR): papaparse reads one kind per text, so make them all LF.
        const results = papaparse.parse(piece.replace(/\r\n?/g, '\n'), { header: false, skipEmptyLines: true, newline: '\n' });
        const quoteError = results.errors.find((error) => error.type === 'Quotes');
        if (quoteError) {
            const row = Math.max(1, count + (quoteError.row ?? 0) + (width < 0 ? 0 : 1));
            throw new InputError(file, `malformed quoted field (${quoteError.message})`, { row });
        }
        let data = results.data;
        if (width < 0 && data.length > 0) {
            const columns = data[0].map((name) => name.trim());
            width = columns.length;
            handlers.header(columns);
            data = data.slice(1);
        }
        for (let i = 0; i < data.length; i++) {
            if (data[i].length !== width) {
                const row = count + i + 1;
                throw new InputError(file, `expected ${width} fields as in the header, found ${data[i].length} (line ${lineOf(row)})`, { row });
            }
        }
        if (data.length > 0)
            handlers.rows(data, count);
        count += data.length;
    }
    if (blank)
        throw new InputError(file, 'the file is empty: expected a header row and at least one patch row');
    if (count === 0)
        throw new InputError(file, 'the file has a header row but no patch rows');
    return count;
}
function parseCsvText(text, file, handlers) {
    return parseCsv(textPieces(text), file, handlers, (row) => lineOfRow(text, row));
}
/** Parse a CSV file without holding its text (see lineInFile for messages). */
function parseCsvFile(file, handlers) {
    return parseCsv(filePieces(file), file, handlers, (row) => lineInFile(file, row));
}
/** Line of data row `row` (1-based) of a CSV file, read again: only for error messages. */
function lineInFile(file, row) {
    return lineOfRow(decodeText((0,external_node_fs_.readFileSync)(file), file), row);
}
/** 1-based line in the file of data row `row` (1-based); only computed for error messages. */
function lineOfRow(text, row) {
    return recordStartLines(text, row + 1)[row];
}
/**
 * 1-based line where each CSV record starts, skipping empty lines as
 * papaparse's skipEmptyLines does; quoted fields may span lines.
 */
function recordStartLines(text, records) {
    const starts = new Int32Array(records);
    let line = 1;
    let found = 0;
    let inQuotes = false;
    let atRecordStart = true;
    for (let i = 0; i < text.length && found < records; i++) {
        const c = text.charCodeAt(i);
        if (atRecordStart) {
            if (c === 10 || c === 13) {
                if (c === 10)
                    line++;
                else if (text.charCodeAt(i + 1) !== 10)
                    line++;
                continue;
            }
            starts[found++] = line;
            atRecordStart = false;
        }
        if (c === 34)
            inQuotes = !inQuotes;
        else if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) {
            line++;
            if (!inQuotes)
                atRecordStart = true;
        }
    }
    return starts;
}

;// CONCATENATED MODULE: ./lib/core/schema.js
/**
 * The one module that owns feature names, types and cell validation.
 *
 * A model card lists the features its model expects (FeatureSpec[]); the
 * firmware patch schema below is the built-in default for training and for
 * generated data. Nothing else hard-codes feature names.
 */
const DEFAULT_ID_COLUMN = 'patch_id';
const FIRMWARE_SCHEMA = {
    idColumn: DEFAULT_ID_COLUMN,
    label: 'high_risk_flag',
    controllable: ['lines_changed', 'files_changed', 'patch_size_mb'],
    features: [
        { name: 'code_churn_score', type: 'number', min: 0, description: 'churn of the touched code (0 = stable, higher = more rework)' },
        { name: 'patch_size_mb', type: 'number', min: 0, unit: 'MB', description: 'size of the firmware patch image in MB' },
        { name: 'lines_changed', type: 'integer', min: 0, unit: 'lines', description: 'lines added + deleted' },
        { name: 'files_changed', type: 'integer', min: 0, unit: 'files', description: 'files touched' },
        { name: 'avg_device_age_days', type: 'number', min: 0, description: 'mean age of the devices that receive the patch' },
        { name: 'is_hotfix', type: 'boolean', description: 'shipped as a hotfix (0/1, true/false, yes/no)' },
        { name: 'patch_security', type: 'boolean', description: 'security patch (0/1, true/false, yes/no)' }
    ]
};
/**
 * Commit-level change metrics of Kamei et al. (TSE 2013), as `patch-risk mine`
 * writes them and the shipped `jit` model expects them; label `bug` (SZZ).
 */
const JIT_SCHEMA = {
    idColumn: 'commit',
    label: 'bug',
    controllable: ['la', 'ld', 'nf'],
    features: [
        { name: 'ns', type: 'integer', min: 0, description: 'subsystems (top-level directories) touched' },
        { name: 'nd', type: 'integer', min: 0, description: 'directories touched' },
        { name: 'nf', type: 'integer', min: 0, unit: 'files', description: 'files touched' },
        { name: 'entropy', type: 'number', min: 0, description: 'spread of the changed lines over the files (Shannon entropy, bits)' },
        { name: 'la', type: 'integer', min: 0, unit: 'lines added', description: 'lines added' },
        { name: 'ld', type: 'integer', min: 0, unit: 'lines deleted', description: 'lines deleted' },
        { name: 'lt', type: 'integer', min: 0, description: 'lines in the touched files before the change' },
        { name: 'fix', type: 'boolean', description: 'the commit fixes a bug (0/1)' },
        { name: 'ndev', type: 'integer', min: 0, description: 'developers who changed the touched files before' },
        { name: 'age', type: 'number', min: 0, description: 'mean days since the touched files were last changed' },
        { name: 'nuc', type: 'integer', min: 0, description: 'unique earlier changes to the touched files' },
        { name: 'exp', type: 'integer', min: 0, description: "author's earlier commits" },
        { name: 'rexp', type: 'number', min: 0, description: "author's earlier commits weighted by recency (recent ones count more)" },
        { name: 'sexp', type: 'integer', min: 0, description: "author's earlier commits to the touched subsystems" }
    ]
};
/**
 * Early health of a deployment (first minutes after rollout) and whether it
 * was rolled back: the shipped `rollback` model's schema.
 */
const DEPLOYMENT_SCHEMA = {
    idColumn: 'deployment_id',
    label: 'rollback',
    controllable: [],
    features: [
        { name: 'latency_ms', type: 'number', min: 0, description: 'p95 request latency in the first 15 minutes, ms' },
        { name: 'error_rate', type: 'number', min: 0, description: 'share of requests that failed (0-1)' },
        { name: 'cpu_usage', type: 'number', min: 0, description: 'mean CPU use of the new instances, percent' },
        { name: 'memory_usage', type: 'number', min: 0, description: 'mean memory use of the new instances, percent' }
    ]
};
/** The built-in schemas `train` recognises when a data file has all their columns and their label. */
const KNOWN_SCHEMAS = [FIRMWARE_SCHEMA, JIT_SCHEMA, DEPLOYMENT_SCHEMA];
const TRUE_WORDS = new Set(['1', 'true', 'yes', 'y', 't']);
const FALSE_WORDS = new Set(['0', 'false', 'no', 'n', 'f']);
// A plain decimal number: optional sign, digits with an optional fraction, optional exponent.
// Rejects hex, "Infinity", "NaN", empty strings and thousands separators that Number() would accept or mangle.
const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
function describeType(spec) {
    switch (spec.type) {
        case 'boolean':
            return '0/1, true/false or yes/no';
        case 'integer':
            return spec.min === 0 ? 'a whole number >= 0' : 'a whole number';
        default:
            return spec.min === 0 ? 'a number >= 0' : 'a finite number';
    }
}
/** Parse a raw cell (string from CSV, or a JSON scalar) against a feature spec. */
function parseCell(spec, raw) {
    const expected = describeType(spec);
    if (raw === null || raw === undefined)
        return { ok: false, expected };
    if (spec.type === 'boolean') {
        if (typeof raw === 'boolean')
            return { ok: true, value: raw ? 1 : 0 };
        const word = String(raw).trim().toLowerCase();
        if (TRUE_WORDS.has(word))
            return { ok: true, value: 1 };
        if (FALSE_WORDS.has(word))
            return { ok: true, value: 0 };
        return { ok: false, expected };
    }
    let value;
    if (typeof raw === 'number') {
        value = raw;
    }
    else if (typeof raw === 'string') {
        const text = raw.trim();
        if (!DECIMAL.test(text))
            return { ok: false, expected };
        value = Number(text);
    }
    else {
        return { ok: false, expected };
    }
    if (!Number.isFinite(value))
        return { ok: false, expected };
    if (spec.type === 'integer' && !Number.isInteger(value))
        return { ok: false, expected };
    if (spec.min !== undefined && value < spec.min)
        return { ok: false, expected };
    return { ok: true, value };
}
/** Parse a 0/1 label cell. */
function parseLabel(raw) {
    return parseCell({ name: 'label', type: 'boolean' }, raw);
}
/**
 * Column holding the mean age of the receiving device fleet, in days; when a
 * patch file has it, monitoring priority blends it with the risk.
 */
const FLEET_AGE_COLUMN = 'avg_device_age_days';

;// CONCATENATED MODULE: ./lib/core/read.js
/**
 * Reading patch files (CSV or JSON) into a validated, columnar table.
 *
 * Every cell of every feature column is checked against its FeatureSpec; the
 * first problem found in a row stops the read with an InputError that names
 * the file, the row (1-based data row, plus its line in the file) and the
 * column. Extra columns are kept as text and carried into outputs.
 */




function formatOf(file) {
    return /\.json$/i.test(file) ? 'json' : 'csv';
}
async function readPatchFile(file, options) {
    return tableFromRaw(file, await readRawTable(file), options);
}
function parsePatchText(text, file, format, options) {
    return tableFromRaw(file, parseRawText(text, file, format), options);
}
/** Header and text cells of a CSV/JSON file, before any validation. */
async function readRawTable(file) {
    return parseRawText(await readTextFile(file), file, formatOf(file));
}
/** A file's text, decoded strictly as UTF-8; the bytes are dropped as soon as they are decoded. */
async function readTextFile(file) {
    let bytes;
    try {
        bytes = await (0,promises_.readFile)(file);
    }
    catch (error) {
        throw unreadable(file, error);
    }
    return decodeText(bytes, file);
}
function parseRawText(text, file, format) {
    return format === 'json' ? tabulateJson(text, file) : tabulateCsv(text, file);
}
function tabulateCsv(text, file) {
    let columns = [];
    const rows = [];
    parseCsvText(text, file, {
        header: (names) => (columns = names),
        rows: (chunk) => {
            for (const row of chunk)
                rows.push(row);
        }
    });
    return { columns, rows, lines: recordStartLines(text, rows.length + 1).subarray(1) };
}
function tabulateJson(text, file) {
    if (text.trim() === '')
        throw new InputError(file, 'the file is empty: expected a JSON array of patch objects');
    let value;
    try {
        value = JSON.parse(text);
    }
    catch (error) {
        // V8 quotes the text around the error, line breaks included: keep the message on one line.
        throw new InputError(file, `not valid JSON (${error.message.replace(/\s+/g, ' ')})`);
    }
    if (!Array.isArray(value))
        throw new InputError(file, 'expected a JSON array of patch objects, found ' + describeJson(value));
    if (value.length === 0)
        throw new InputError(file, 'the JSON array is empty: expected at least one patch object');
    const columns = [];
    const index = new Map();
    value.forEach((item, i) => {
        if (item === null || typeof item !== 'object' || Array.isArray(item)) {
            throw new InputError(file, `expected a patch object, found ${describeJson(item)}`, { row: i + 1 });
        }
        for (const key of Object.keys(item)) {
            if (!index.has(key)) {
                index.set(key, columns.length);
                columns.push(key);
            }
        }
    });
    const rows = value.map((item, i) => columns.map((key) => {
        const cell = item[key];
        if (cell === undefined || cell === null)
            return '';
        if (typeof cell === 'object') {
            throw new InputError(file, `expected a number, boolean or text, found ${describeJson(cell)}`, { row: i + 1, column: key });
        }
        return String(cell);
    }));
    return { columns, rows, lines: jsonObjectLines(text, rows.length) };
}
function describeJson(value) {
    if (value === null)
        return 'null';
    if (Array.isArray(value))
        return 'an array';
    return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}
/** 1-based line of each top-level object in a JSON array (depth-1 '{'). */
function jsonObjectLines(text, count) {
    const starts = new Int32Array(count);
    let line = 1;
    let depth = 0;
    let inString = false;
    let found = 0;
    for (let i = 0; i < text.length && found < count; i++) {
        const c = text[i];
        if (c === '\n')
            line++;
        if (inString) {
            if (c === '\\')
                i++;
            else if (c === '"')
                inString = false;
            continue;
        }
        if (c === '"')
            inString = true;
        else if (c === '[' || c === '{') {
            if (c === '{' && depth === 1)
                starts[found++] = line;
            depth++;
        }
        else if (c === ']' || c === '}')
            depth--;
    }
    return starts;
}
/** Find the model's columns in a header; every missing one is named. */
function mapColumns(file, columns, options) {
    const position = new Map();
    columns.forEach((name, i) => {
        if (name !== '' && position.has(name) && isKnownColumn(name, options)) {
            throw new InputError(file, `the column "${name}" appears more than once in the header`);
        }
        if (!position.has(name))
            position.set(name, i);
    });
    const missing = options.features.filter((feature) => !position.has(feature.name)).map((feature) => feature.name);
    if (options.requireLabel && options.label && !position.has(options.label))
        missing.push(options.label);
    if (missing.length > 0) {
        throw new InputError(file, `missing required column${missing.length > 1 ? 's' : ''}: ${missing.join(', ')}`);
    }
    return {
        features: options.features.map((feature) => position.get(feature.name)),
        id: position.get(options.idColumn),
        label: options.label === undefined ? undefined : position.get(options.label)
    };
}
/**
 * Validate a block of rows into the sink. `firstRow` is the 0-based index of
 * rows[0]; `lineOf` gives the file line of a 0-based row (for messages).
 */
function readRows(file, rows, firstRow, map, options, sink, lineOf) {
    const nFeatures = options.features.length;
    const base = sink.firstFeatureRow ?? 0;
    for (let k = 0; k < rows.length; k++) {
        const row = rows[k];
        const r = firstRow + k;
        for (let f = 0; f < nFeatures; f++) {
            const spec = options.features[f];
            const raw = row[map.features[f]];
            const cell = parseCell(spec, raw);
            if (!cell.ok)
                throw cellError(file, r, lineOf(r), spec.name, cell.expected, raw);
            sink.features[(r - base) * nFeatures + f] = cell.value;
        }
        // The id is checked even when the sink does not keep ids (the streaming gate), so both paths refuse the same files.
        if (map.id === undefined) {
            if (sink.ids)
                sink.ids[r] = String(r + 1);
        }
        else {
            const id = row[map.id].trim();
            if (id === '')
                throw cellError(file, r, lineOf(r), options.idColumn, 'a patch id', row[map.id]);
            if (sink.ids)
                sink.ids[r] = id;
        }
        if (sink.labels && map.label !== undefined && options.label !== undefined) {
            const cell = parseLabel(row[map.label]);
            if (!cell.ok)
                throw cellError(file, r, lineOf(r), options.label, 'a label of 0 or 1', row[map.label]);
            sink.labels[r] = cell.value;
        }
    }
}
/** Validate raw cells against the features (and label) and build the columnar table. */
function tableFromRaw(file, raw, options) {
    const { columns, rows, lines } = raw;
    const map = mapColumns(file, columns, options);
    const sink = {
        features: new Float32Array(rows.length * options.features.length),
        ids: new Array(rows.length),
        ...(map.label === undefined ? {} : { labels: new Uint8Array(rows.length) })
    };
    readRows(file, rows, 0, map, options, sink, (row) => lines[row]);
    return {
        file,
        columns,
        rows,
        lines,
        ids: sink.ids,
        ...(map.id === undefined ? {} : { idColumn: options.idColumn }),
        featureNames: options.features.map((feature) => feature.name),
        features: sink.features,
        ...(sink.labels ? { labels: sink.labels } : {})
    };
}
/** A table of the given rows only (features copied; ids, lines and labels kept aligned). */
function selectRows(table, rows) {
    const width = table.featureNames.length;
    const features = new Float32Array(rows.length * width);
    rows.forEach((row, k) => features.set(table.features.subarray(row * width, (row + 1) * width), k * width));
    const labels = table.labels;
    return {
        ...table,
        rows: rows.map((row) => table.rows[row]),
        lines: Int32Array.from(rows, (row) => table.lines[row]),
        ids: rows.map((row) => table.ids[row]),
        features,
        ...(labels ? { labels: Uint8Array.from(rows, (row) => labels[row]) } : {})
    };
}
function isKnownColumn(name, options) {
    return name === options.idColumn || name === options.label || options.features.some((feature) => feature.name === name);
}
function cellError(file, rowIndex, line, column, expected, raw) {
    const shown = raw === undefined || raw.trim() === '' ? 'an empty cell' : JSON.stringify(truncate(raw, 40));
    return new InputError(file, `expected ${expected}, found ${shown} (line ${line})`, { row: rowIndex + 1, column });
}
function truncate(text, max) {
    return text.length <= max ? text : `${text.slice(0, max)}…`;
}

// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(7598);
// EXTERNAL MODULE: ../../main/node_modules/onnxruntime-node/dist/index.js
var dist = __webpack_require__(8219);
// EXTERNAL MODULE: ../../main/node_modules/zod/v4/classic/schemas.js + 17 modules
var schemas = __webpack_require__(7838);
;// CONCATENATED MODULE: ./lib/core/card.js
/**
 * The model card: a JSON file beside each vNNN.onnx that says what the model
 * expects (features in input order), how to read its scores (thresholds), how
 * good it was (validation metrics), what data it saw (baseline for drift) and
 * which file it belongs to (sha256).
 */

const featureSpec = schemas/* object */.Ikc({
    name: schemas/* string */.YjP().min(1),
    type: schemas/* enum */.k5n(['number', 'integer', 'boolean']),
    min: schemas/* number */.aig().optional(),
    description: schemas/* string */.YjP().optional(),
    unit: schemas/* string */.YjP().optional()
});
const metrics = schemas/* object */.Ikc({
    roc_auc: schemas/* number */.aig(),
    pr_auc: schemas/* number */.aig(),
    f1: schemas/* number */.aig(),
    precision: schemas/* number */.aig(),
    recall: schemas/* number */.aig(),
    brier: schemas/* number */.aig(),
    base_rate: schemas/* number */.aig(),
    rows: schemas/* number */.aig().int()
});
const featureBaseline = schemas/* object */.Ikc({
    /** Quantiles at probabilities 0, 0.1, …, 1 of the training rows. */
    quantiles: schemas/* array */.YOg(schemas/* number */.aig()),
    mean: schemas/* number */.aig(),
    std: schemas/* number */.aig(),
    /** Share of rows in each bin of the deciles (for PSI). */
    decile_shares: schemas/* array */.YOg(schemas/* number */.aig())
});
const modelCardSchema = schemas/* object */.Ikc({
    card_version: schemas/* literal */.euz(1),
    name: schemas/* string */.YjP().min(1),
    version: schemas/* string */.YjP().regex(/^v\d{3,}$/),
    description: schemas/* string */.YjP(),
    created_at: schemas/* string */.YjP(),
    onnx_file: schemas/* string */.YjP().min(1),
    sha256: schemas/* string */.YjP().regex(/^[0-9a-f]{64}$/),
    /** ONNX input tensor name (float32 [N, features.length]) and output (float32 probability of the positive class). */
    input_name: schemas/* string */.YjP(),
    output_name: schemas/* string */.YjP(),
    id_column: schemas/* string */.YjP(),
    label: schemas/* string */.YjP(),
    features: schemas/* array */.YOg(featureSpec).min(1),
    controllable: schemas/* array */.YOg(schemas/* string */.YjP()).default([]),
    thresholds: schemas/* object */.Ikc({
        /** risk_score >= high → High (and high_risk = 1). */
        high: schemas/* number */.aig().min(0).max(1),
        /** medium <= risk_score < high → Medium; below → Low. */
        medium: schemas/* number */.aig().min(0).max(1),
        rule: schemas/* string */.YjP()
    }),
    metrics,
    training: schemas/* object */.Ikc({
        rows: schemas/* number */.aig().int(),
        positives: schemas/* number */.aig().int(),
        validation_rows: schemas/* number */.aig().int(),
        trees: schemas/* number */.aig().int(),
        params: schemas/* record */.g1P(schemas/* string */.YjP(), schemas/* union */.KCZ([schemas/* number */.aig(), schemas/* string */.YjP(), schemas/* boolean */.zMY()])),
        data: schemas/* string */.YjP(),
        provenance: schemas/* string */.YjP(),
        seconds: schemas/* number */.aig().optional()
    }),
    baseline: schemas/* object */.Ikc({
        features: schemas/* record */.g1P(schemas/* string */.YjP(), featureBaseline),
        /** Share of validation rows at or above the high threshold. */
        high_share: schemas/* number */.aig(),
        /** Quantiles of the validation scores (0, 0.1, …, 1). */
        score_quantiles: schemas/* array */.YOg(schemas/* number */.aig())
    })
});
function cardFeatures(card) {
    return card.features;
}
/** Validate parsed JSON as a model card; the error lists every bad field. */
function parseModelCard(json, source) {
    const result = modelCardSchema.safeParse(json);
    if (!result.success) {
        const problems = result.error.issues.map((issue) => `${issue.path.join('.') || '(card)'}: ${issue.message}`);
        throw new Error(`${source}: not a valid model card: ${problems.join('; ')}`);
    }
    return result.data;
}

;// CONCATENATED MODULE: ./lib/core/score.js
/**
 * Scoring with onnxruntime-node. A model is an .onnx file plus its card
 * (`<name>.card.json` beside it). Loading verifies the card, the file's
 * sha256 and that the model's input/output match the card; scoring runs one
 * onnxruntime call per batch of rows and refuses non-finite outputs.
 */





/** Rows per onnxruntime call: large enough to amortise the call, small enough to bound memory. */
const SCORE_BATCH_ROWS = 65536;
function cardPathFor(onnxPath) {
    return onnxPath.replace(/\.onnx$/i, '') + '.card.json';
}
async function readModelCard(cardPath) {
    let text;
    try {
        text = await (0,promises_.readFile)(cardPath, 'utf8');
    }
    catch {
        throw new ModelError(`${cardPath}: the model card is missing (every .onnx needs its <name>.card.json beside it)`);
    }
    let json;
    try {
        json = JSON.parse(text);
    }
    catch (error) {
        throw new ModelError(`${cardPath}: the model card is not valid JSON (${error.message})`);
    }
    try {
        return parseModelCard(json, cardPath);
    }
    catch (error) {
        throw new ModelError(error.message);
    }
}
function sha256Hex(bytes) {
    return (0,external_node_crypto_.createHash)('sha256').update(bytes).digest('hex');
}
/** Load and verify a model from its .onnx path. */
async function loadModel(onnxPath) {
    const cardPath = cardPathFor(onnxPath);
    const card = await readModelCard(cardPath);
    let bytes;
    try {
        bytes = await (0,promises_.readFile)(onnxPath);
    }
    catch {
        throw new ModelError(`${onnxPath}: cannot read the model file`);
    }
    const digest = sha256Hex(bytes);
    if (digest !== card.sha256) {
        throw new ModelError(`${onnxPath}: sha256 ${digest} does not match the card's ${card.sha256}; the model file was changed or corrupted`);
    }
    let session;
    try {
        session = await dist.InferenceSession.create(bytes, {
            graphOptimizationLevel: 'all',
            executionMode: 'sequential',
            intraOpNumThreads: 1,
            interOpNumThreads: 1
        });
    }
    catch (error) {
        throw new ModelError(`${onnxPath}: onnxruntime cannot load the model (${firstLine(error.message)})`);
    }
    checkSignature(session, card, onnxPath);
    return { card, onnxPath, cardPath, session };
}
function firstLine(text) {
    return text.split('\n')[0];
}
function checkSignature(session, card, onnxPath) {
    if (session.inputNames.length !== 1 || session.inputNames[0] !== card.input_name) {
        throw new ModelError(`${onnxPath}: the model's inputs (${session.inputNames.join(', ')}) do not match the card's input "${card.input_name}"`);
    }
    if (!session.outputNames.includes(card.output_name)) {
        throw new ModelError(`${onnxPath}: the model has no output "${card.output_name}" named by its card (outputs: ${session.outputNames.join(', ')})`);
    }
    const input = session.inputMetadata[0];
    if (input.isTensor) {
        const width = input.shape[1];
        if (input.type !== 'float32' || (typeof width === 'number' && width !== card.features.length)) {
            throw new ModelError(`${onnxPath}: the model expects ${input.type}[${input.shape.join(', ')}] but its card lists ${card.features.length} float features`);
        }
    }
}
/**
 * Probability of the positive class for each row of `features`
 * (row-major, card.features.length columns).
 */
async function scoreFeatures(model, features, nRows) {
    const width = model.card.features.length;
    const scores = new Float64Array(nRows);
    for (let start = 0; start < nRows; start += SCORE_BATCH_ROWS) {
        const count = Math.min(SCORE_BATCH_ROWS, nRows - start);
        const batch = features.subarray(start * width, (start + count) * width);
        const input = new dist.Tensor('float32', batch, [count, width]);
        const result = await model.session.run({ [model.card.input_name]: input }, [model.card.output_name]);
        const output = result[model.card.output_name];
        const data = output.data;
        if (data.length !== count) {
            throw new ModelError(`${model.onnxPath}: expected one probability per row, got ${data.length} values for ${count} rows`);
        }
        for (let i = 0; i < count; i++) {
            const p = data[i];
            if (!(p >= 0 && p <= 1)) {
                throw new ModelError(`${model.onnxPath}: the model returned ${p} for row ${start + i + 1}, not a probability; refusing to score`);
            }
            scores[start + i] = p;
        }
        output.dispose?.();
    }
    return scores;
}

;// CONCATENATED MODULE: ./lib/core/pipeline.js




function modelSummary(card, threshold) {
    return {
        name: card.name,
        version: card.version,
        sha256: card.sha256,
        threshold: threshold ?? card.thresholds.high,
        medium_threshold: Math.min(card.thresholds.medium, threshold ?? card.thresholds.high),
        trained_rows: card.training.rows,
        roc_auc: card.metrics.roc_auc,
        f1: card.metrics.f1,
        created_at: card.created_at
    };
}
function planOptionsFor(card, options) {
    return {
        ...DEFAULT_PLAN_OPTIONS,
        highThreshold: options.threshold ?? card.thresholds.high,
        mediumThreshold: card.thresholds.medium,
        baseRate: card.metrics.base_rate,
        ...(options.qaCapacityHours === undefined ? {} : { qaCapacityHours: options.qaCapacityHours }),
        ...options.plan
    };
}
/** A fleet-age cell that is not a feature of the model: a number, or 0 when it is not one. */
function fleetAgeOfCell(text) {
    const age = Number(text);
    return Number.isFinite(age) ? age : 0;
}
/** Fleet age per row from the table's fleet-age column, when it has one. */
function fleetAges(table) {
    const column = table.columns.indexOf(FLEET_AGE_COLUMN);
    if (column < 0)
        return undefined;
    const featureIndex = table.featureNames.indexOf(FLEET_AGE_COLUMN);
    const ages = new Float64Array(table.rows.length);
    for (let r = 0; r < ages.length; r++) {
        ages[r] = featureIndex >= 0 ? table.features[r * table.featureNames.length + featureIndex] : fleetAgeOfCell(table.rows[r][column]);
    }
    return ages;
}
/** Score an already-read table with a loaded model and plan QA and monitoring. */
async function scoreTable(table, model, options = {}) {
    const scores = await scoreFeatures(model, table.features, table.ids.length);
    const plan = planPatches({ ids: table.ids, scores, fleetAgeDays: fleetAges(table) }, planOptionsFor(model.card, options));
    return { table, scores, plan, model: modelSummary(model.card, options.threshold) };
}
/** How a patch file is read for a model: its card's features, id column (unless overridden) and label. */
function readOptionsFor(card, options) {
    return { features: card.features, idColumn: options.idColumn ?? card.id_column, label: card.label };
}
/** Read a CSV/JSON patch file, validate it against the model's card, score and plan it. */
async function scoreFile(file, model, options = {}) {
    const table = await readPatchFile(file, readOptionsFor(model.card, options));
    return scoreTable(table, model, options);
}

;// CONCATENATED MODULE: ./lib/model/registry.js
/**
 * Model folders: models/<name>/vNNN.onnx + vNNN.card.json. A name resolves
 * to the folder's champion (registry.json, see promote) or, before any
 * promotion, to its newest version.
 *
 * registry.json = { champion, gates, history }: the champion, the promotion
 * gates stored for the folder, and every change of champion (only
 * promotions are recorded; a blocked promotion changes nothing).
 */





const VERSION_FILE = /^v(\d{3,})\.onnx$/;
const REGISTRY_FILE = 'registry.json';
function listVersions(dir) {
    if (!(0,external_node_fs_.existsSync)(dir))
        return [];
    return (0,external_node_fs_.readdirSync)(dir)
        .map((file) => VERSION_FILE.exec(file))
        .filter((match) => match !== null)
        .sort((a, b) => Number(a[1]) - Number(b[1]))
        .map((match) => `v${match[1]}`);
}
function nextVersion(dir) {
    const versions = listVersions(dir);
    const last = versions.length === 0 ? 0 : Number(versions[versions.length - 1].slice(1));
    return `v${String(last + 1).padStart(3, '0')}`;
}
const gatesSchema = schemas/* object */.Ikc({
    /** Candidate's ROC-AUC on the holdout must be at least this. */
    min_roc_auc: schemas/* number */.aig().min(0).max(1),
    /** Candidate's F1 at its card's high threshold on the holdout must be at least this. */
    min_f1: schemas/* number */.aig().min(0).max(1),
    /** Champion AUC − candidate AUC on the same holdout must not exceed this. */
    max_auc_drop: schemas/* number */.aig().min(0).max(1)
});
const historyEntrySchema = schemas/* object */.Ikc({
    version: schemas/* string */.YjP().regex(/^v\d{3,}$/),
    date: schemas/* string */.YjP(),
    /** Metrics the decision was made on (holdout metrics, or the card's for the initial entry). */
    metrics: schemas/* record */.g1P(schemas/* string */.YjP(), schemas/* union */.KCZ([schemas/* number */.aig(), schemas/* string */.YjP(), schemas/* null */.chJ()])),
    reason: schemas/* string */.YjP(),
    /** 'initial': the version the folder served before its first promotion. */
    action: schemas/* enum */.k5n(['initial', 'promoted'])
});
const registrySchema = schemas/* object */.Ikc({
    champion: schemas/* string */.YjP().regex(/^v\d{3,}$/),
    gates: gatesSchema,
    history: schemas/* array */.YOg(historyEntrySchema)
});
/** Gates of a folder that has no registry.json yet (and the defaults written into a new one). */
const DEFAULT_GATES = Object.freeze({ min_roc_auc: 0.7, min_f1: 0.3, max_auc_drop: 0.01 });
function registryPath(dir) {
    return external_node_path_.join(dir, REGISTRY_FILE);
}
/** The folder's registry, or undefined when it has none yet; a malformed file is a ModelError naming it. */
function readRegistry(dir) {
    const file = registryPath(dir);
    if (!(0,external_node_fs_.existsSync)(file))
        return undefined;
    let json;
    try {
        json = JSON.parse((0,external_node_fs_.readFileSync)(file, 'utf8'));
    }
    catch (error) {
        throw new ModelError(`${file}: not valid JSON (${error.message})`);
    }
    const result = registrySchema.safeParse(json);
    if (!result.success) {
        const problems = result.error.issues.map((issue) => `${issue.path.join('.') || '(registry)'}: ${issue.message}`);
        throw new ModelError(`${file}: not a valid registry: ${problems.join('; ')}`);
    }
    return result.data;
}
/** Write registry.json atomically (temp file in the same folder, then rename), so readers never see half a file. */
function writeRegistry(dir, registry) {
    const file = registryPath(dir);
    const temp = external_node_path_.join(dir, `.${REGISTRY_FILE}.${(0,external_node_crypto_.randomUUID)()}.tmp`);
    (0,external_node_fs_.writeFileSync)(temp, `${JSON.stringify(registrySchema.parse(registry), null, 2)}\n`);
    try {
        (0,external_node_fs_.renameSync)(temp, file);
    }
    catch (error) {
        (0,external_node_fs_.unlinkSync)(temp);
        throw error;
    }
}
/** The champion recorded in the folder's registry, else the newest version. */
function championVersion(dir) {
    const registry = readRegistry(dir);
    if (registry)
        return registry.champion;
    const versions = listVersions(dir);
    return versions[versions.length - 1];
}
function builtInModelNames(modelsDir) {
    if (!(0,external_node_fs_.existsSync)(modelsDir))
        return [];
    return (0,external_node_fs_.readdirSync)(modelsDir)
        .filter((name) => (0,external_node_fs_.statSync)(external_node_path_.join(modelsDir, name)).isDirectory() && listVersions(external_node_path_.join(modelsDir, name)).length > 0)
        .sort();
}
/**
 * Resolve a model reference: a built-in name (`firmware`, `firmware@v002`),
 * a model folder, or a path to an .onnx file.
 */
function resolveModel(ref, modelsDir) {
    if (/\.onnx$/i.test(ref)) {
        if (!(0,external_node_fs_.existsSync)(ref))
            throw new ModelError(`model file not found: ${ref}`);
        return { onnxPath: ref };
    }
    const [name, pinned, ...rest] = ref.split('@');
    if (rest.length > 0 || (pinned !== undefined && !/^v\d{3,}$/.test(pinned))) {
        throw new ModelError(`model "${ref}": a version pin looks like NAME@v001`);
    }
    const isPath = name.includes('/') || name.includes(external_node_path_.sep) || name.startsWith('.');
    const dir = isPath ? name : external_node_path_.join(modelsDir, name);
    if (!isPath && !/^[A-Za-z0-9_-]+$/.test(name))
        throw unknownModel(ref, modelsDir);
    if (!(0,external_node_fs_.existsSync)(dir) || !(0,external_node_fs_.statSync)(dir).isDirectory()) {
        if (isPath)
            throw new ModelError(`model folder not found: ${name}`);
        throw unknownModel(ref, modelsDir);
    }
    const version = pinned ?? championVersion(dir);
    if (version === undefined)
        throw new ModelError(`${dir}: no model versions (vNNN.onnx) in this folder`);
    const onnxPath = external_node_path_.join(dir, `${version}.onnx`);
    if (!(0,external_node_fs_.existsSync)(onnxPath))
        throw new ModelError(`${dir}: version ${version} does not exist (have: ${listVersions(dir).join(', ')})`);
    return { onnxPath, dir, version };
}
function unknownModel(ref, modelsDir) {
    const names = builtInModelNames(modelsDir);
    return new ModelError(`unknown model "${ref}": use a built-in name (${names.join(', ') || 'none installed'}) or a path to an .onnx file with its .card.json beside it`);
}

;// CONCATENATED MODULE: ./lib/core/output.js
const PLAN_COLUMNS = [
    'risk_score',
    'high_risk',
    'risk_bucket',
    'qa_rank',
    'regression_potential',
    'qa_hours',
    'monitoring_priority',
    'monitoring_tier'
];
const REASON_COLUMNS = ['reason_1', 'reason_2', 'reason_3'];
const MODEL_COLUMNS = ['model_name', 'model_version'];
const PLAIN_NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
/**
 * A cell that a spreadsheet would run as a formula (=, +, -, @, tab, CR at
 * the start) gets a leading apostrophe; plain numbers such as -1.5 are kept.
 */
function neutraliseCell(text) {
    if (text === '' || PLAIN_NUMBER.test(text))
        return text;
    return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}
/** The plan's cells of one patch, in PLAN_COLUMNS order. */
function planValues(patch) {
    return [
        round(patch.risk_score, 6),
        patch.high_risk,
        patch.risk_bucket,
        patch.qa_rank,
        round(patch.regression_potential, 3),
        patch.qa_hours,
        round(patch.monitoring_priority, 4),
        patch.monitoring_tier
    ];
}
function round(value, digits) {
    const scale = 10 ** digits;
    return Math.round(value * scale) / scale;
}
/** All input columns (except those the plan overwrites), then plan, reasons and model columns. */
function scoredLayout(columns, model, withReasons) {
    const added = new Set([...PLAN_COLUMNS, ...REASON_COLUMNS, ...MODEL_COLUMNS]);
    const kept = columns.map((_, i) => i).filter((i) => !added.has(columns[i]));
    const header = [...kept.map((i) => columns[i]), ...PLAN_COLUMNS, ...(withReasons ? REASON_COLUMNS : []), ...MODEL_COLUMNS];
    return { header, kept, withReasons, modelSuffix: `,${csvCell(model.name)},${csvCell(model.version)}` };
}
function reasonTexts(reasons) {
    return REASON_COLUMNS.map((_, k) => reasons?.[k]?.text ?? '');
}
/** The scored rows in input order (what the scored file holds), as header + values. */
function scoredRows(result) {
    const layout = scoredLayout(result.table.columns, result.model, result.reasons !== undefined);
    const rows = result.plan.patches.map((patch) => [
        ...layout.kept.map((i) => result.table.rows[patch.index][i]),
        ...planValues(patch),
        ...(layout.withReasons ? reasonTexts(result.reasons?.[patch.index]) : []),
        result.model.name,
        result.model.version
    ]);
    return { header: layout.header, rows };
}
// A cell needs quotes when it holds a quote, comma or line break, or starts/ends with blanks.
const NEEDS_QUOTES = /[",\r\n]|^\s|\s$/;
/** One CSV cell (RFC 4180 quoting), neutralised against formula injection. */
function csvCell(cell) {
    if (typeof cell === 'number')
        return String(cell);
    const first = cell.charCodeAt(0);
    // Fast path: only cells starting with = + - @ tab CR can be formulas.
    const text = first === 61 || first === 43 || first === 45 || first === 64 || first === 9 || first === 13 ? neutraliseCell(cell) : cell;
    return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
function scoredCsvHeader(layout) {
    return layout.header.map(csvCell).join(',');
}
/** One line of the scored CSV (no line break): the kept input cells, the plan, the reasons, the model. */
function scoredCsvLine(layout, source, patch, reasons) {
    let line = '';
    for (let k = 0; k < layout.kept.length; k++)
        line += (k === 0 ? '' : ',') + csvCell(source[layout.kept[k]]);
    const values = planValues(patch);
    for (let k = 0; k < values.length; k++)
        line += (k === 0 && layout.kept.length === 0 ? '' : ',') + values[k];
    if (layout.withReasons)
        for (const text of reasonTexts(reasons))
            line += ',' + csvCell(text);
    return line + layout.modelSuffix;
}
/** The auditable scored CSV of an in-memory result. */
function scoredCsv(result) {
    const layout = scoredLayout(result.table.columns, result.model, result.reasons !== undefined);
    const patches = result.plan.patches;
    const lines = new Array(patches.length + 1);
    lines[0] = scoredCsvHeader(layout);
    for (let r = 0; r < patches.length; r++)
        lines[r + 1] = scoredCsvLine(layout, result.table.rows[r], patches[r], result.reasons?.[r]);
    return lines.join('\n') + '\n';
}
function toJsonRows(output) {
    return output.rows.map((row) => Object.fromEntries(output.header.map((name, i) => [name, row[i]])));
}

;// CONCATENATED MODULE: ./lib/core/gate.js
/**
 * The gate over a whole CSV patch file in bounded memory: the file is read
 * and parsed twice in pieces — once to validate and collect the features,
 * once to write the scored file — so no row is kept as objects or strings in
 * between. A
 * million rows take features (28 MB for 7 float32 columns), scores and the
 * plan's columns; the rest of the memory does not grow with the file.
 * JSON files are read whole (JSON.parse needs the whole text anyway).
 */








const BUCKET_NAMES = ['Low', 'Medium', 'High'];
/**
 * Feature rows in fixed blocks of SCORE_BATCH_ROWS rows: grows without ever
 * copying, and each block is one onnxruntime batch.
 */
class RowBlocks {
    width;
    blocks = [];
    constructor(width) {
        this.width = width;
    }
    /** Validate rows into their blocks. */
    add(file, rows, firstRow, map, options) {
        for (let k = 0; k < rows.length;) {
            const row = firstRow + k;
            const block = Math.floor(row / SCORE_BATCH_ROWS);
            while (this.blocks.length <= block)
                this.blocks.push(new Float32Array(SCORE_BATCH_ROWS * this.width));
            const take = Math.min(rows.length - k, (block + 1) * SCORE_BATCH_ROWS - row);
            const sink = { features: this.blocks[block], firstFeatureRow: block * SCORE_BATCH_ROWS };
            readRows(file, rows.slice(k, k + take), row, map, options, sink, (line) => lineInFile(file, line + 1));
            k += take;
        }
    }
    /** Features of rows [from, from + count) (within one block) as a view, else a copy. */
    rows(from, count) {
        const block = Math.floor(from / SCORE_BATCH_ROWS);
        const start = (from - block * SCORE_BATCH_ROWS) * this.width;
        if (start / this.width + count <= SCORE_BATCH_ROWS)
            return this.blocks[block].subarray(start, start + count * this.width);
        const out = new Float32Array(count * this.width);
        for (let r = 0; r < count; r++)
            out.set(this.rows(from + r, 1), r * this.width);
        return out;
    }
    /** Row `row` as a view. */
    row(row) {
        return this.rows(row, 1);
    }
}
async function gateFile(file, model, options) {
    if (formatOf(file) === 'json')
        return gateInMemory(file, await readTextFile(file), model, options);
    const card = model.card;
    const readOptions = readOptionsFor(card, options);
    const width = card.features.length;
    const matrix = new RowBlocks(width);
    const ageFeature = card.features.findIndex((feature) => feature.name === FLEET_AGE_COLUMN);
    const extraAges = [];
    let ageColumn = -1;
    let header = [];
    let map;
    const rows = parseCsvFile(file, {
        header: (columns) => {
            header = columns;
            map = mapColumns(file, columns, readOptions);
            ageColumn = columns.indexOf(FLEET_AGE_COLUMN);
        },
        rows: (chunk, firstRow) => {
            matrix.add(file, chunk, firstRow, map, readOptions);
            if (ageColumn >= 0 && ageFeature < 0)
                for (const row of chunk)
                    extraAges.push(fleetAgeOfCell(row[ageColumn]));
        }
    });
    const scores = new Float64Array(rows);
    for (let from = 0; from < rows; from += SCORE_BATCH_ROWS) {
        const count = Math.min(SCORE_BATCH_ROWS, rows - from);
        scores.set(await scoreFeatures(model, matrix.rows(from, count), count), from);
    }
    const ages = ageFeature >= 0
        ? Float64Array.from({ length: rows }, (_, r) => matrix.row(r)[ageFeature])
        : extraAges.length > 0
            ? Float64Array.from(extraAges)
            : undefined;
    const explainer = options.explainer?.(rows);
    // Without explanations the features are not needed any more: let them go before the plan's columns are made.
    if (!explainer)
        matrix.blocks.length = 0;
    const plan = planColumns(scores, ages, planOptionsFor(card, options));
    const summary = modelSummary(card, options.threshold);
    writeScoredFile(options.out, file, header, plan, (from, count) => matrix.rows(from, count), width, summary, explainer);
    return { rows, totals: plan.totals, model: summary };
}
/** Second pass: read and parse the file again and write each row with its plan (and reasons) as it comes. */
function writeScoredFile(out, file, header, plan, featuresOf, width, model, explainer) {
    const layout = scoredLayout(header, model, explainer !== undefined);
    const fd = (0,external_node_fs_.openSync)(out, 'w');
    try {
        (0,external_node_fs_.writeSync)(fd, scoredCsvHeader(layout) + '\n');
        parseCsvFile(file, {
            header: () => undefined,
            rows: (chunk, firstRow) => {
                const reasons = explainer ? explainChunk(explainer, plan, featuresOf, width, firstRow, chunk.length) : undefined;
                let block = '';
                for (let k = 0; k < chunk.length; k++) {
                    block += scoredCsvLine(layout, chunk[k], plannedPatch(plan, firstRow + k), reasons?.[k]) + '\n';
                }
                (0,external_node_fs_.writeSync)(fd, block);
            }
        });
    }
    finally {
        (0,external_node_fs_.closeSync)(fd);
    }
}
/** Reasons for the given rows (row indices), in that order. */
function explainRowsOf(explainer, rows, featuresOf, width) {
    const block = new Float32Array(rows.length * width);
    rows.forEach((row, j) => block.set(featuresOf(row, 1), j * width));
    return rows.length === 0 ? [] : explainer.explain(block, rows.length);
}
function explainChunk(explainer, plan, featuresOf, width, first, count) {
    const wanted = [];
    for (let r = first; r < first + count; r++)
        if (explainer.wants(BUCKET_NAMES[plan.bucket[r]]))
            wanted.push(r);
    const reasons = new Array(count);
    explainRowsOf(explainer, wanted, featuresOf, width).forEach((rowReasons, j) => (reasons[wanted[j] - first] = rowReasons));
    return reasons;
}
/** Reasons for every row the explainer wants ([] for the others), in row order. */
function explainTable(explainer, table, buckets) {
    const wanted = buckets.map((bucket, row) => (explainer.wants(bucket) ? row : -1)).filter((row) => row >= 0);
    const reasons = table.ids.map(() => []);
    const width = table.featureNames.length;
    const featuresOf = (from, count) => table.features.subarray(from * width, (from + count) * width);
    explainRowsOf(explainer, wanted, featuresOf, width).forEach((rowReasons, j) => (reasons[wanted[j]] = rowReasons));
    return reasons;
}
async function gateInMemory(file, text, model, options) {
    const table = tableFromRaw(file, parseRawText(text, file, 'json'), readOptionsFor(model.card, options));
    const result = await scoreTable(table, model, options);
    const explainer = options.explainer?.(table.ids.length);
    const reasons = explainer
        ? explainTable(explainer, table, result.plan.patches.map((patch) => patch.risk_bucket))
        : undefined;
    (0,external_node_fs_.writeFileSync)(options.out, scoredCsv({ ...result, reasons }));
    return { rows: table.ids.length, totals: result.plan.totals, model: result.model };
}

;// CONCATENATED MODULE: ./lib/core/markdown.js
const ZWJ = '\u200d';
/** Width of user-written cells and of reasons in tables. */
const MAX_CELL = 60;
const MAX_REASON = 80;
const BUCKET_ICON = { High: '🔴', Medium: '🟠', Low: '🟢' };
/**
 * Plain text safe for Markdown and for a workflow log: one line, no HTML,
 * Markdown punctuation escaped, and a zero-width joiner after `@`, `#`,
 * `gh-` and between `:` and `:`/`/` so mentions, issue references, links
 * and `::workflow-commands` stay inert.
 */
function escapeMarkdown(text, maxLength = Infinity) {
    // eslint-disable-next-line no-control-regex
    let plain = text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ').replace(/[\u202a-\u202e\u2066-\u2069]/g, '');
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
function safeUrl(url) {
    if (!/^https?:\/\//i.test(url))
        return '#';
    return url.replace(/[\s()<>[\]|`]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
}

;// CONCATENATED MODULE: ./lib/core/render-commits.js
/**
 * The report's table in commit mode: one row per mined commit, riskiest
 * first, each linked to the commit, with suggested reviewers for the
 * Medium/High ones. Subjects and authors come from the table's `subject` and
 * `author` columns (as `patch-risk mine` writes them) and are escaped.
 */

const MAX_SUBJECT = 72;
const MAX_NAME = 40;
const HASH = /^[0-9a-f]{7,64}$/i;
const LOGIN = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$/;
/** Short hash linked to the commit (any other id is shown as escaped text). */
function commitLink(id, info) {
    if (!HASH.test(id))
        return escapeMarkdown(id, MAX_CELL);
    return `[\`${id.slice(0, 7)}\`](${safeUrl(`${info.repoUrl.replace(/\/+$/, '')}/commit/${id}`)})`;
}
/** Plain names, or `@login` for reviewers whose login the team asked to mention. */
function reviewerList(reviewers) {
    if (reviewers.length === 0)
        return '—';
    return reviewers.map((r) => (r.login !== undefined && LOGIN.test(r.login) ? `@${r.login}` : escapeMarkdown(r.name, MAX_NAME))).join(', ');
}
function commitTable(result, info) {
    const { table, plan } = result;
    const subject = table.columns.indexOf('subject');
    const author = table.columns.indexOf('author');
    const cell = (row, column) => (column < 0 ? '' : (table.rows[row][column] ?? ''));
    const withReasons = result.reasons !== undefined;
    const withReviewers = plan.patches.some((patch) => patch.risk_bucket !== 'Low');
    const names = [
        '#',
        'Commit',
        'Subject',
        'Author',
        'Risk',
        'Bucket',
        ...(withReasons ? ['Top reasons'] : []),
        ...(withReviewers ? ['Suggested reviewers'] : [])
    ];
    const aligns = ['---:', '---', '---', '---', '---:', '---', ...(withReasons ? ['---'] : []), ...(withReviewers ? ['---'] : [])];
    const rows = plan.byRank.map((index) => {
        const patch = plan.patches[index];
        const cells = [
            String(patch.qa_rank),
            commitLink(patch.id, info),
            escapeMarkdown(cell(index, subject), MAX_SUBJECT),
            escapeMarkdown(cell(index, author), MAX_NAME),
            patch.risk_score.toFixed(3),
            `${BUCKET_ICON[patch.risk_bucket]} ${patch.risk_bucket}`,
            ...(withReasons
                ? [
                    (result.reasons?.[index] ?? [])
                        .slice(0, 3)
                        .map((reason) => escapeMarkdown(reason.text, MAX_REASON))
                        .join('; ')
                ]
                : []),
            ...(withReviewers ? [patch.risk_bucket === 'Low' ? '' : reviewerList(info.reviewers?.[patch.id] ?? [])] : [])
        ];
        return `| ${cells.join(' | ')} |`;
    });
    return { header: [`| ${names.join(' | ')} |`, `|${aligns.join('|')}|`], rows };
}

;// CONCATENATED MODULE: ./lib/core/render.js
/**
 * The Markdown report: the PR comment, the job summary and
 * `patch-risk score --format markdown`. A pure function of the scored
 * patches; every user-written string (ids, extra columns, reasons, file and
 * model names) goes through `escapeMarkdown` so it cannot break the table,
 * inject HTML, notify people or issue workflow commands.
 */






/** GitHub refuses comments longer than this (characters). */
const GITHUB_COMMENT_LIMIT = 65536;
/** Extra (non-feature) columns shown in the table. */
const MAX_EXTRA_COLUMNS = 3;
const MAX_LISTED = 20;
/** Characters of one what-if suggestion (they name the features they change). */
const MAX_SUGGESTION = 200;
/** pass / fail at the fail-on level (High for `never`), or overridden when the override label turned a fail into a pass. */
function gateOutcome(totals, failOn, overridden) {
    const decision = gateDecision(totals, failOn === 'never' ? 'high' : failOn);
    if (decision === 'fail' && overridden)
        return 'overridden';
    return decision;
}
/** Patches at the fail-on level (High for `never`), riskiest first: what fails the gate or what an override lets through. */
function blockingPatches(result, failOn) {
    const levels = failOn === 'medium' ? ['High', 'Medium'] : ['High'];
    return result.plan.byRank.map((i) => result.plan.patches[i]).filter((patch) => levels.includes(patch.risk_bucket));
}
function commentMarker(key) {
    return `<!-- patch-risk-gate:${key} -->`;
}
function renderReport(result, context) {
    const failOn = context.failOn ?? 'high';
    const outcome = gateOutcome(result.plan.totals, failOn, context.override !== undefined);
    const words = nouns(context);
    const head = [
        ...(context.commentKey === undefined ? [] : [commentMarker(context.commentKey)]),
        ...verdictSection(result, failOn, outcome, words),
        ...(outcome === 'overridden' && context.override ? overrideSection(result, failOn, context.override, context) : []),
        ...totalsSection(result.plan.totals, words),
        ...(context.sections ?? []).flatMap((section) => [section.trimEnd(), '']),
        ...whatIfSection(result, context),
        context.commits ? '### Commits by risk' : '### Patches by QA rank',
        ''
    ];
    const table = context.commits
        ? commitTable(result, context.commits)
        : patchTable(result, context.idColumn ?? result.table.idColumn ?? 'patch_id');
    const tail = ['', ...footerSection(result, context)];
    const limit = context.maxChars ?? GITHUB_COMMENT_LIMIT;
    const join = (rows, note) => [...head, ...table.header, ...rows, ...note, ...tail].join('\n') + '\n';
    const full = join(table.rows, []);
    if (full.length <= limit)
        return full;
    // Keep the riskiest rows that fit, with a note on what was left out (sized for the longest count).
    const fixed = join([], []).length + 2 + cutNote(table.rows.length, 0, context).length;
    let used = fixed;
    let kept = 0;
    while (kept < table.rows.length && used + table.rows[kept].length + 1 <= limit)
        used += table.rows[kept++].length + 1;
    return join(table.rows.slice(0, kept), ['', cutNote(table.rows.length, kept, context)]);
}
function cutNote(total, kept, context) {
    const where = escapeMarkdown(context.fullReport ?? 'the scored CSV file');
    const run = context.runUrl ? ` ([workflow run](${safeUrl(context.runUrl)}))` : '';
    return (`> **${total - kept} of ${total} rows left out** (the lowest-risk ones) to stay under the ` +
        `${(context.maxChars ?? GITHUB_COMMENT_LIMIT).toLocaleString('en-US')}-character limit. The full report is in ${where}${run}.`);
}
function nouns(context) {
    return context.commits ? { one: 'commit', many: 'commits', title: 'Commits' } : { one: 'patch', many: 'patches', title: 'Patches' };
}
/** How a row is named in lists: a linked short hash in commit mode. */
function rowLabel(id, context) {
    return context.commits ? commitLink(id, context.commits) : escapeMarkdown(id, MAX_CELL);
}
function verdictSection(result, failOn, outcome, words) {
    const { totals } = result.plan;
    const level = failOn === 'medium' ? 'Medium or High' : 'High';
    const reached = failOn === 'medium' ? totals.high + totals.medium : totals.high;
    const count = `${reached} of ${totals.patches} ${plural(totals.patches, words.one, words.many)}`;
    const failOnText = `fail-on: \`${failOn}\``;
    switch (outcome) {
        case 'pass':
            return ['## ✅ Patch risk gate: PASS', '', `No ${words.one} is ${level} risk (${failOnText}).`, ''];
        case 'overridden':
            return [
                '## ⚠️ Patch risk gate: OVERRIDDEN',
                '',
                `**${count} ${reached === 1 ? 'is' : 'are'} ${level} risk**, but the override label let the gate pass (${failOnText}).`,
                ''
            ];
        case 'fail': {
            const effect = failOn === 'never' ? 'Report only: the check stays green.' : 'The check fails.';
            return [
                '## 🚨 Patch risk gate: FAIL',
                '',
                `**${count} ${reached === 1 ? 'is' : 'are'} ${level} risk** (${failOnText}). ${effect}`,
                ''
            ];
        }
    }
}
function overrideSection(result, failOn, override, context) {
    const through = blockingPatches(result, failOn);
    const by = override.by ? ` (applied by ${escapeMarkdown(override.by, MAX_CELL)})` : '';
    const listed = through
        .slice(0, MAX_LISTED)
        .map((patch) => `- ${rowLabel(patch.id, context)}: risk ${patch.risk_score.toFixed(3)}, ${patch.risk_bucket}`);
    const more = through.length > MAX_LISTED ? [`- … and ${through.length - MAX_LISTED} more (see the scored file)`] : [];
    return [
        '### Override audit',
        '',
        `The label **${escapeMarkdown(override.label, MAX_CELL)}**${by} turned a failing gate into a pass. ${nouns(context).title} it let through:`,
        '',
        ...listed,
        ...more,
        ''
    ];
}
/** For High patches whose risk a smaller change would lower: what change (riskiest first). */
function whatIfSection(result, context) {
    const suggestions = result.plan.byRank
        .filter((index) => result.whatIf?.[index] !== undefined)
        .map((index) => `- ${rowLabel(result.plan.patches[index].id, context)}: ${escapeMarkdown(result.whatIf?.[index] ?? '', MAX_SUGGESTION)}`);
    if (suggestions.length === 0)
        return [];
    const listed = suggestions.slice(0, MAX_LISTED);
    const more = suggestions.length > MAX_LISTED ? [`- … and ${suggestions.length - MAX_LISTED} more`] : [];
    return ['### What would lower the risk', '', ...listed, ...more, ''];
}
function totalsSection(totals, words) {
    return [
        `| ${words.title} | 🔴 High | 🟠 Medium | 🟢 Low | Max risk | Expected regressions |`,
        '|---:|---:|---:|---:|---:|---:|',
        `| ${totals.patches} | ${totals.high} | ${totals.medium} | ${totals.low} | ${totals.max_risk.toFixed(3)} | ${totals.expected_regressions.toFixed(2)} |`,
        ''
    ];
}
/** Columns a user added beyond the features and the id (first few only). */
function extraColumns(result, idColumn) {
    const known = new Set([...result.table.featureNames, idColumn, ...PLAN_COLUMNS, ...REASON_COLUMNS, ...MODEL_COLUMNS]);
    return result.table.columns
        .map((name, i) => ({ name, i }))
        .filter(({ name }) => name !== '' && !known.has(name))
        .slice(0, MAX_EXTRA_COLUMNS)
        .map(({ i }) => i);
}
function patchTable(result, idColumn) {
    const extras = extraColumns(result, idColumn);
    const withReasons = result.reasons !== undefined;
    const names = [
        '#',
        'Patch',
        ...extras.map((i) => escapeMarkdown(result.table.columns[i], MAX_CELL)),
        'Risk',
        'Bucket',
        'QA hours',
        'Monitoring',
        ...(withReasons ? ['Top reasons'] : [])
    ];
    const aligns = ['---:', '---', ...extras.map(() => '---'), '---:', '---', '---:', '---', ...(withReasons ? ['---'] : [])];
    const rows = result.plan.byRank.map((index) => {
        const patch = result.plan.patches[index];
        const cells = [
            String(patch.qa_rank),
            escapeMarkdown(patch.id, MAX_CELL),
            ...extras.map((i) => escapeMarkdown(result.table.rows[index][i] ?? '', MAX_CELL)),
            patch.risk_score.toFixed(3),
            `${BUCKET_ICON[patch.risk_bucket]} ${patch.risk_bucket}`,
            patch.qa_hours.toFixed(1),
            patch.monitoring_tier.replace(/ Monitoring$/, ''),
            ...(withReasons
                ? [
                    (result.reasons?.[index] ?? [])
                        .slice(0, 3)
                        .map((reason) => escapeMarkdown(reason.text, MAX_REASON))
                        .join('; ')
                ]
                : [])
        ];
        return `| ${cells.join(' | ')} |`;
    });
    return { header: [`| ${names.join(' | ')} |`, `|${aligns.join('|')}|`], rows };
}
function footerSection(result, context) {
    const { totals, thresholds } = result.plan;
    const model = result.model;
    const run = context.runUrl ? ` · [Workflow run](${safeUrl(context.runUrl)})` : '';
    return [
        `**QA plan:** ${totals.qa_hours.toFixed(1)} of ${totals.qa_capacity_hours} QA hours allocated by risk. ` +
            `**Monitoring:** ${totals.immediate} Immediate, ${totals.enhanced} Enhanced, ${totals.standard} Standard.`,
        '',
        `**Model:** ${escapeMarkdown(model.name, MAX_CELL)} ${escapeMarkdown(model.version, MAX_CELL)} ` +
            `(sha256 ${model.sha256.slice(0, 12)}): High ≥ ${thresholds.high}, Medium ≥ ${thresholds.medium}; ` +
            `validation ROC AUC ${model.roc_auc.toFixed(3)}, F1 ${model.f1.toFixed(3)}, trained on ${model.trained_rows.toLocaleString('en-US')} rows.`,
        '',
        `${nouns(context).title}: ${escapeMarkdown(context.patchesFile, 200)}${run}`
    ];
}
function plural(n, one, many) {
    return n === 1 ? one : many;
}

;// CONCATENATED MODULE: ./lib/model/ensemble.js
function sigmoid(margin) {
    return 1 / (1 + Math.exp(-margin));
}
/** Margin of one row (features read from X at offset row * nFeatures). */
function treeLeafValue(tree, X, offset) {
    let node = 0;
    while (tree.feature[node] >= 0) {
        node = X[offset + tree.feature[node]] <= tree.threshold[node] ? tree.left[node] : tree.right[node];
    }
    return tree.value[node];
}
function predictMargins(ensemble, X, nRows) {
    const out = new Float64Array(nRows).fill(ensemble.baseScore);
    const nf = ensemble.nFeatures;
    for (const tree of ensemble.trees) {
        for (let i = 0; i < nRows; i++)
            out[i] += treeLeafValue(tree, X, i * nf);
    }
    return out;
}
function predictProbabilities(ensemble, X, nRows) {
    const margins = predictMargins(ensemble, X, nRows);
    for (let i = 0; i < nRows; i++)
        margins[i] = sigmoid(margins[i]);
    return margins;
}

;// CONCATENATED MODULE: ./lib/model/random.js
function createRandom(seed) {
    let state = seed >>> 0 || 0x9e3779b9;
    const next = () => {
        state = (state + 0x6d2b79f5) >>> 0;
        let t = state;
        t = Math.imul(t ^ (t >>> 15), t | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
    let spare;
    const normal = (mean = 0, sd = 1) => {
        if (spare !== undefined) {
            const value = spare;
            spare = undefined;
            return mean + sd * value;
        }
        // Box–Muller; 1 - next() is in (0, 1] so the log is finite.
        const radius = Math.sqrt(-2 * Math.log(1 - next()));
        const angle = 2 * Math.PI * next();
        spare = radius * Math.sin(angle);
        return mean + sd * radius * Math.cos(angle);
    };
    return { next, normal, bernoulli: (p) => (next() < p ? 1 : 0) };
}

;// CONCATENATED MODULE: ./lib/model/generate.js
/**
 * Synthetic firmware patch history with a known, documented generating
 * process (README: "What the bundled firmware model has learnt"). The label
 * comes from a nonlinear rule with interactions plus noise, so no single
 * feature threshold reveals it.
 */

const clamp = (value, low, high) => Math.min(high, Math.max(low, value));
const generate_sigmoid = (z) => 1 / (1 + Math.exp(-z));
/** Log-odds of a regression for a patch (before noise): documented term by term in the README. */
function firmwareRiskLogit(patch) {
    const size = Math.log10(1 + patch.lines_changed); // 0 … ~5.3
    const spread = Math.log2(1 + patch.files_changed);
    const oldFleet = patch.avg_device_age_days > 900 ? 1 : 0;
    let z = -3.5;
    // Risk rises with size, but saturates: huge patches are usually mechanical.
    z += 0.5 * Math.tanh((size - 2.4) / 0.9);
    // Rework of unstable code is risky, more so when the change is spread over many files.
    z += 3.0 * Math.max(0, patch.code_churn_score - 0.45) * (1 + 0.5 * spread);
    // Hotfixes skip the full test cycle: risky when they are not small.
    z += patch.is_hotfix ? (size > 2.3 ? 2.6 : -0.5) : 0;
    // Security patches touch privileged code: risky on old fleets with big images.
    z += patch.patch_security ? (oldFleet && patch.patch_size_mb > 2 ? 2.4 : 0.2) : 0;
    // Old devices (little free flash, old bootloaders) fail on large images, and only on those.
    z += oldFleet * (2.8 * Math.tanh(patch.patch_size_mb / 5) - 0.5);
    // Sharpen the rule (a well-tested process makes risk more predictable) and set the base rate near 17%.
    return 1.7 * z + 2.9;
}
function firmwarePatch(random, index) {
    const lines = Math.round(clamp(Math.exp(random.normal(5.3, 1.45)), 1, 250000));
    const files = Math.max(1, Math.round(Math.exp(random.normal(0.25 + 0.38 * Math.log1p(lines / 40), 0.55))));
    const size = clamp(0.15 + (lines * 0.0018 + files * 0.04) * Math.exp(random.normal(0, 0.45)), 0.05, 900);
    const churn = clamp(0.08 + 0.055 * Math.log1p(lines) + random.normal(0, 0.14), 0, 1.5);
    const age = Math.round(clamp(Math.exp(random.normal(6.1, 0.75)), 7, 4000) * 10) / 10;
    const hotfix = random.bernoulli(lines < 300 ? 0.16 : 0.07);
    const security = random.bernoulli(0.14);
    const features = {
        code_churn_score: Math.round(churn * 1000) / 1000,
        patch_size_mb: Math.round(size * 100) / 100,
        lines_changed: lines,
        files_changed: files,
        avg_device_age_days: age,
        is_hotfix: hotfix,
        patch_security: security
    };
    // Label noise: a logistic draw around the rule with a normal term (sd 0.5), plus 2% of labels flipped (mislabelled triage).
    let label = random.bernoulli(generate_sigmoid(firmwareRiskLogit(features) + random.normal(0, 0.5)));
    if (random.next() < 0.02)
        label = label ? 0 : 1;
    return { patch_id: `FW-${String(index + 1).padStart(6, '0')}`, ...features, high_risk_flag: label };
}
function generateFirmwarePatches(rows, seed) {
    const random = createRandom(seed);
    return Array.from({ length: rows }, (_, i) => firmwarePatch(random, i));
}
/** Log-odds that a deployment is rolled back, from its early health (documented in the README). */
function rollbackLogit(d) {
    let z = -3.4;
    // Errors dominate: a few percent of failed requests usually means a rollback.
    z += 2.6 * Math.tanh(d.error_rate / 0.03);
    // Latency matters past ~400 ms, and much more when errors rise too (timeouts cascading).
    z += 1.2 * Math.tanh((d.latency_ms - 400) / 250) * (1 + 8 * Math.min(d.error_rate, 0.1));
    // Resource saturation: high CPU alone is often fine (autoscaling), high CPU with high memory is not.
    z += d.cpu_usage > 80 && d.memory_usage > 80 ? 1.8 : d.memory_usage > 90 ? 1.0 : 0;
    // Sharpen the rule (these metrics are strong signals once they move) and set the base rate near 15%.
    return 2 * z + 4.2;
}
function deployment(random, index) {
    const load = random.normal(0, 1);
    const latency = clamp(Math.exp(random.normal(5.2 + 0.25 * load, 0.55)), 5, 20000);
    const errors = clamp(Math.exp(random.normal(-5.3 + 0.35 * load, 1.3)), 0, 1);
    const cpu = clamp(random.normal(48 + 12 * load, 17), 1, 100);
    const memory = clamp(random.normal(55 + 0.35 * (cpu - 48), 14), 1, 100);
    const health = {
        latency_ms: Math.round(latency * 10) / 10,
        error_rate: Math.round(errors * 100000) / 100000,
        cpu_usage: Math.round(cpu * 10) / 10,
        memory_usage: Math.round(memory * 10) / 10
    };
    let rollback = random.bernoulli(generate_sigmoid(rollbackLogit(health) + random.normal(0, 0.5)));
    if (random.next() < 0.02)
        rollback = rollback ? 0 : 1;
    return { deployment_id: `DEP-${String(index + 1).padStart(6, '0')}`, ...health, rollback };
}
/** Synthetic deployment history with early health metrics and the rollback label. */
function generateDeployments(rows, seed) {
    const random = createRandom(seed);
    return Array.from({ length: rows }, (_, i) => deployment(random, i));
}

;// CONCATENATED MODULE: ./lib/model/binning.js
/** First index in sorted[from..] whose value is > v (sorted ascending). */
function upperBound(sorted, v, from) {
    let lo = from;
    let hi = sorted.length;
    while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (sorted[mid] > v)
            hi = mid;
        else
            lo = mid + 1;
    }
    return lo;
}
/** A float32 t with a <= t < c (a < c are float32 values). */
function thresholdBetween(a, c) {
    const mid = Math.fround((a + c) / 2);
    return mid >= a && mid < c ? mid : a;
}
/** Cut points for one feature from its sorted values. */
function featureThresholds(sorted, maxBins) {
    const n = sorted.length;
    const cuts = [];
    const distinct = [];
    for (let i = 0; i < n && distinct.length <= maxBins; i = upperBound(sorted, sorted[i], i))
        distinct.push(sorted[i]);
    if (distinct.length <= maxBins) {
        // Few distinct values: one bin each.
        for (let k = 1; k < distinct.length; k++)
            cuts.push(thresholdBetween(distinct[k - 1], distinct[k]));
        return Float32Array.from(cuts);
    }
    let lastLower = -Infinity;
    let hasCut = false;
    for (let q = 1; q < maxBins; q++) {
        // Cut after the value at rank floor(q * n / maxBins) - 1 and before the next distinct value.
        const r = Math.floor((q * n) / maxBins);
        if (r < 1)
            continue;
        const a = sorted[r - 1];
        if (hasCut && a <= lastLower)
            continue;
        const next = upperBound(sorted, a, r - 1);
        if (next >= n)
            break;
        cuts.push(thresholdBetween(a, sorted[next]));
        lastLower = a;
        hasCut = true;
    }
    return Float32Array.from(cuts);
}
/** Bin index of x: the number of thresholds strictly below x. */
function binOf(thresholds, x) {
    let lo = 0;
    let hi = thresholds.length;
    while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (x <= thresholds[mid])
            hi = mid;
        else
            lo = mid + 1;
    }
    return lo;
}
function binFeatures(X, nRows, nFeatures, maxBins) {
    const thresholds = [];
    const binCount = new Int32Array(nFeatures);
    const bins = new Uint8Array(nRows * nFeatures);
    const column = new Float32Array(nRows);
    const sorter = createSorter(nRows);
    const sorted = new Float32Array(nRows);
    for (let f = 0; f < nFeatures; f++) {
        copyColumn(X, nRows, nFeatures, f, column);
        const order = sortedOrder(column, sorter);
        gather(column, order, sorted);
        const t = featureThresholds(sorted, maxBins);
        thresholds.push(t);
        binCount[f] = t.length + 1;
        assignBins(sorted, order, t, bins, nFeatures, f);
    }
    return { bins, thresholds, binCount };
}
function copyColumn(X, nRows, nFeatures, f, column) {
    for (let i = 0; i < nRows; i++)
        column[i] = X[i * nFeatures + f];
}
function gather(values, order, out) {
    for (let i = 0; i < order.length; i++)
        out[i] = values[order[i]];
}
/** bins[row * nFeatures + f] = binOf(t, value) for the values in ascending order (one sweep instead of a search per value). */
function assignBins(sorted, order, t, bins, nFeatures, f) {
    let b = 0;
    for (let i = 0; i < sorted.length; i++) {
        while (b < t.length && sorted[i] > t[b])
            b++;
        bins[order[i] * nFeatures + f] = b;
    }
}
function createSorter(n) {
    return {
        keys: new Uint32Array(n),
        order: new Uint32Array(n),
        nextKeys: new Uint32Array(n),
        nextOrder: new Uint32Array(n),
        counts: new Int32Array(256)
    };
}
/**
 * The rows of a column (no NaN) in ascending order of value: an LSD radix sort, a byte at a time, of
 * the float32 bits turned into unsigned keys of the same order (negative: all bits flipped; else the
 * sign bit set). Stable; -0 comes before 0, which are equal values. A typed-array sort of the values
 * took most of the binning time and gave no row order.
 */
function sortedOrder(column, s) {
    const bits = new Uint32Array(column.buffer, column.byteOffset, column.length);
    toKeys(bits, s.keys, s.order);
    for (let shift = 0; shift < 32; shift += 8) {
        radixPass(s.keys, s.order, s.nextKeys, s.nextOrder, s.counts, shift);
        [s.keys, s.nextKeys] = [s.nextKeys, s.keys];
        [s.order, s.nextOrder] = [s.nextOrder, s.order];
    }
    return s.order;
}
function toKeys(bits, keys, order) {
    for (let i = 0; i < bits.length; i++) {
        const b = bits[i];
        keys[i] = (b & 0x80000000 ? ~b : b | 0x80000000) >>> 0;
        order[i] = i;
    }
}
/** One stable counting-sort pass on the byte of the keys at `shift` (each loop a function of its own, see gbdt-hist.ts). */
function radixPass(keys, order, nextKeys, nextOrder, counts, shift) {
    countDigits(keys, counts, shift);
    startsFromCounts(counts);
    scatter(keys, order, nextKeys, nextOrder, counts, shift);
}
function countDigits(keys, counts, shift) {
    counts.fill(0);
    for (let i = 0; i < keys.length; i++)
        counts[(keys[i] >>> shift) & 255]++;
}
function startsFromCounts(counts) {
    let total = 0;
    for (let d = 0; d < counts.length; d++) {
        const c = counts[d];
        counts[d] = total;
        total += c;
    }
}
function scatter(keys, order, nextKeys, nextOrder, starts, shift) {
    for (let i = 0; i < keys.length; i++) {
        const at = starts[(keys[i] >>> shift) & 255]++;
        nextKeys[at] = keys[i];
        nextOrder[at] = order[i];
    }
}

;// CONCATENATED MODULE: ./lib/model/gbdt-hist.js
/**
 * Gradient/hessian histograms for the tree grower (gbdt-tree.ts): per
 * feature and bin, the sums over a node's rows, interleaved (gradient at 2k,
 * hessian at 2k + 1). Rows are added in the order given, so a bin's sum is
 * the same floating-point value however the work is arranged.
 *
 * Every loop over rows or bins sits in a function of its own, with nothing
 * after it: V8 compiles a long first loop on its own (OSR) before any code
 * after it has run, and code compiled without feedback for that later code
 * deoptimises on every call.
 */
/** Reusable histogram buffers (kept across trees to spare the garbage collector). */
class HistPool {
    size;
    free = [];
    constructor(size) {
        this.size = size;
    }
    take() {
        const h = this.free.pop();
        if (h === undefined)
            return new Float64Array(this.size);
        h.fill(0);
        return h;
    }
    give(h) {
        this.free.push(h);
    }
}
/** Add the gradients and hessians of rows[start, end) to hist, for the given features; each bin gets its rows in order. */
function buildHist(data, rows, start, end, features, hist) {
    if (features.length === data.nFeatures)
        buildHistAllFeatures(data.slotIndex, data.nFeatures, data.gradHess, rows, start, end, hist);
    else
        buildHistSomeFeatures(data.slotIndex, data.nFeatures, data.gradHess, rows, start, end, features, hist);
}
/** parent -= small over the bins of the given features: the larger sibling's histogram, in place. */
function subtractHist(parent, small, features, stride, binCount) {
    for (let j = 0; j < features.length; j++) {
        const from = features[j] * stride * 2;
        subtract(parent, small, from, from + binCount[features[j]] * 2);
    }
}
function subtract(a, b, from, to) {
    for (let k = from; k < to; k++)
        a[k] -= b[k];
}
function buildHistAllFeatures(slotIndex, nFeatures, gradHess, rows, start, end, hist) {
    // Four rows at a time (more independent additions in flight); each bin still receives its rows in order.
    // The rows beyond a multiple of four go first: nothing may follow the hot loop.
    let i = start;
    while ((end - i) & 3)
        addRowToHist(slotIndex, nFeatures, gradHess, rows[i++], hist);
    for (; i < end; i += 4) {
        const r1 = rows[i];
        const r2 = rows[i + 1];
        const r3 = rows[i + 2];
        const r4 = rows[i + 3];
        const g1 = gradHess[2 * r1];
        const h1 = gradHess[2 * r1 + 1];
        const g2 = gradHess[2 * r2];
        const h2 = gradHess[2 * r2 + 1];
        const g3 = gradHess[2 * r3];
        const h3 = gradHess[2 * r3 + 1];
        const g4 = gradHess[2 * r4];
        const h4 = gradHess[2 * r4 + 1];
        const base1 = r1 * nFeatures;
        const base2 = r2 * nFeatures;
        const base3 = r3 * nFeatures;
        const base4 = r4 * nFeatures;
        for (let f = 0; f < nFeatures; f++) {
            const k1 = slotIndex[base1 + f];
            hist[k1] += g1;
            hist[k1 + 1] += h1;
            const k2 = slotIndex[base2 + f];
            hist[k2] += g2;
            hist[k2 + 1] += h2;
            const k3 = slotIndex[base3 + f];
            hist[k3] += g3;
            hist[k3 + 1] += h3;
            const k4 = slotIndex[base4 + f];
            hist[k4] += g4;
            hist[k4 + 1] += h4;
        }
    }
}
/** One row into the histogram (called before the hot loop, see the header). */
function addRowToHist(slotIndex, nFeatures, gradHess, r, hist) {
    const base = r * nFeatures;
    for (let f = 0; f < nFeatures; f++) {
        const k = slotIndex[base + f];
        hist[k] += gradHess[2 * r];
        hist[k + 1] += gradHess[2 * r + 1];
    }
}
function buildHistSomeFeatures(slotIndex, nFeatures, gradHess, rows, start, end, features, hist) {
    const nSel = features.length;
    let i = start;
    while ((end - i) & 3)
        addRowToHistSome(slotIndex, nFeatures, gradHess, rows[i++], features, hist);
    for (; i < end; i += 4) {
        const r1 = rows[i];
        const r2 = rows[i + 1];
        const r3 = rows[i + 2];
        const r4 = rows[i + 3];
        const g1 = gradHess[2 * r1];
        const h1 = gradHess[2 * r1 + 1];
        const g2 = gradHess[2 * r2];
        const h2 = gradHess[2 * r2 + 1];
        const g3 = gradHess[2 * r3];
        const h3 = gradHess[2 * r3 + 1];
        const g4 = gradHess[2 * r4];
        const h4 = gradHess[2 * r4 + 1];
        const base1 = r1 * nFeatures;
        const base2 = r2 * nFeatures;
        const base3 = r3 * nFeatures;
        const base4 = r4 * nFeatures;
        for (let j = 0; j < nSel; j++) {
            const f = features[j];
            const k1 = slotIndex[base1 + f];
            hist[k1] += g1;
            hist[k1 + 1] += h1;
            const k2 = slotIndex[base2 + f];
            hist[k2] += g2;
            hist[k2 + 1] += h2;
            const k3 = slotIndex[base3 + f];
            hist[k3] += g3;
            hist[k3 + 1] += h3;
            const k4 = slotIndex[base4 + f];
            hist[k4] += g4;
            hist[k4 + 1] += h4;
        }
    }
}
function addRowToHistSome(slotIndex, nFeatures, gradHess, r, features, hist) {
    const base = r * nFeatures;
    for (let j = 0; j < features.length; j++) {
        const k = slotIndex[base + features[j]];
        hist[k] += gradHess[2 * r];
        hist[k + 1] += gradHess[2 * r + 1];
    }
}

;// CONCATENATED MODULE: ./lib/model/gbdt-loss.js
/**
 * Logistic loss for the booster (gbdt.ts): per-row gradients and hessians at
 * the current margins, and the mean logloss for the training history and for
 * early stopping on a validation set.
 */
/** Mean logloss at the margins: log(1 + e^m) - y*m, computed stably with a log1p per row (validation: early stopping compares it). */
function meanLogLoss(margins, y) {
    let sum = 0;
    for (let i = 0; i < margins.length; i++) {
        const m = margins[i];
        sum += Math.log1p(Math.exp(-Math.abs(m))) + Math.max(m, 0) - y[i] * m;
    }
    return sum / margins.length;
}
/** Mean logloss at the margins summed as gradientsAndLoss does (so the training history is of one kind). */
function meanTrainLoss(margins, y) {
    let sum = 0;
    let product = 1;
    for (let i = 0; i < margins.length; i++) {
        const m = margins[i];
        sum += Math.max(m, 0) - y[i] * m;
        product *= 1 + Math.exp(-Math.abs(m));
        if ((i & 31) === 31) {
            sum += Math.log(product);
            product = 1;
        }
    }
    return (sum + Math.log(product)) / margins.length;
}
/**
 * Logistic-loss gradients and hessians at the margins; returns the mean logloss there (one exp per row).
 * The loss terms log(1 + e) are summed as the log of products over blocks of 32 rows (each factor is in
 * (1, 2], so a block's product stays below 2^32): one Math.log per block instead of a log1p per row,
 * which was a third of this loop. The training history differs from per-row log1p only in the last
 * bits; gradients, hessians and so the trees do not depend on it.
 */
function gradientsAndLoss(margins, y, gradHess) {
    let sum = 0;
    let product = 1;
    for (let i = 0; i < margins.length; i++) {
        const m = margins[i];
        const e = Math.exp(-Math.abs(m));
        const prob = m >= 0 ? 1 / (1 + e) : e / (1 + e);
        gradHess[2 * i] = prob - y[i];
        gradHess[2 * i + 1] = Math.max(prob * (1 - prob), 1e-16);
        sum += Math.max(m, 0) - y[i] * m;
        product *= 1 + e;
        if ((i & 31) === 31) {
            sum += Math.log(product);
            product = 1;
        }
    }
    return (sum + Math.log(product)) / margins.length;
}

;// CONCATENATED MODULE: ./lib/model/gbdt-tree.js
/**
 * Grows one regression tree on binned features from per-row gradients and
 * hessians (second-order boosting, as xgboost's `hist`).
 *
 * Growth is leaf-wise (best-first): the leaf with the largest gain is split
 * next, bounded by maxDepth and, when maxLeaves > 0, by the leaf count. With
 * maxLeaves = 0 every splittable node down to maxDepth is split, so the tree
 * equals a depth-wise tree. Each split builds the histogram of the smaller
 * child from its rows and derives the larger sibling as parent minus smaller.
 */

// xgboost's kRtEps: a split must improve the loss by more than rounding noise.
const MIN_GAIN = 1e-6;
function findSplit(ctx, p, c, features) {
    const hist = c.hist;
    const { stride, binCount } = ctx;
    const { lambda, minChildWeight } = p;
    const parentScore = (c.g * c.g) / (c.h + lambda);
    // The best so far in locals (object fields written in the loop cost an allocation each).
    let bestGain = 0;
    let bestFeature = -1;
    let bestBin = 0;
    let bestGl = 0;
    let bestHl = 0;
    for (let j = 0; j < features.length; j++) {
        const f = features[j];
        const last = binCount[f] - 1;
        let gl = 0;
        let hl = 0;
        for (let b = 0, k = f * stride * 2; b < last; b++, k += 2) {
            gl += hist[k];
            hl += hist[k + 1];
            if (hl < minChildWeight)
                continue;
            const hr = c.h - hl;
            if (hr < minChildWeight)
                break;
            const gr = c.g - gl;
            const gain = 0.5 * ((gl * gl) / (hl + lambda) + (gr * gr) / (hr + lambda) - parentScore);
            if (gain > bestGain) {
                bestGain = gain;
                bestFeature = f;
                bestBin = b;
                bestGl = gl;
                bestHl = hl;
            }
        }
    }
    c.gain = bestGain;
    c.feature = bestGain <= Math.max(p.minSplitGain, MIN_GAIN) ? -1 : bestFeature;
    c.bin = bestBin;
    c.gl = bestGl;
    c.hl = bestHl;
}
/**
 * Stable in-place partition of rows[start, end): rows with bin <= splitBin first. Returns the split point.
 * Each loop is a function of its own (see gbdt-hist.ts).
 */
function partition(ctx, rows, scratch, c) {
    const mid = splitRows(ctx.columnBins, c.feature * ctx.nRows, c.bin, rows, c.start, c.end, scratch);
    copyRows(scratch, c.end - mid, rows, mid);
    return mid;
}
/**
 * Left rows move down within rows, right rows go to scratch; returns how many rows went left plus start.
 * Branch-free (each row is written to both sides, the counters advance by the test) because the test is
 * close to a coin flip near the split and a mispredicted branch costs more than the extra store.
 */
function splitRows(column, offset, bin, rows, start, end, scratch) {
    let nl = start;
    let nr = 0;
    for (let i = start; i < end; i++) {
        const r = rows[i];
        // -1 when the row's bin is above the split bin, else 0 (bins are 0..255, so the sign says it; int32 throughout).
        const right = (bin - column[offset + r]) >> 31;
        rows[nl] = r;
        scratch[nr] = r;
        nl += 1 + right;
        nr -= right;
    }
    return nl;
}
function copyRows(from, n, to, at) {
    for (let i = 0; i < n; i++)
        to[at + i] = from[i];
}
/** Sum of gradHess[2 * rows[i] + which] over i < n, in row order (a loop of its own, see gbdt-hist.ts). */
function sumOver(gradHess, rows, n, which) {
    let sum = 0;
    for (let i = 0; i < n; i++)
        sum += gradHess[2 * rows[i] + which];
    return sum;
}
/**
 * Grows a tree on rows[0, nRows) (reordered in place so each leaf owns a
 * contiguous range). Leaf values are -G / (H + lambda) * learningRate, rounded
 * to float32 so the exported model is exactly the trained one.
 */
function growTree(ctx, p, rows, nRows, features, scratch) {
    const pool = ctx.pool;
    const t = { feature: [], splitBin: [], left: [], right: [], value: [], cover: [], rowStart: [], rowEnd: [] };
    const addNode = (start, end, h) => {
        t.feature.push(-1);
        t.splitBin.push(0);
        t.left.push(-1);
        t.right.push(-1);
        t.value.push(0);
        t.cover.push(h);
        t.rowStart.push(start);
        t.rowEnd.push(end);
        return t.feature.length - 1;
    };
    const leafValue = (g, h) => Math.fround((-g / (h + p.lambda)) * p.learningRate);
    const root = {
        node: addNode(0, nRows, 0),
        depth: 0,
        start: 0,
        end: nRows,
        g: sumOver(ctx.gradHess, rows, nRows, 0),
        h: sumOver(ctx.gradHess, rows, nRows, 1),
        hist: null,
        gain: 0,
        feature: -1,
        bin: 0,
        gl: 0,
        hl: 0
    };
    t.cover[root.node] = root.h;
    const open = [];
    const finished = [];
    root.hist = pool.take();
    buildHist(ctx, rows, 0, nRows, features, root.hist);
    findSplit(ctx, p, root, features);
    (root.feature >= 0 ? open : finished).push(root);
    let leaves = 1;
    while (open.length > 0 && (p.maxLeaves <= 0 || leaves < p.maxLeaves)) {
        let bestIdx = 0;
        for (let i = 1; i < open.length; i++)
            if (open[i].gain > open[bestIdx].gain)
                bestIdx = i;
        const c = open[bestIdx];
        open.splice(bestIdx, 1);
        const mid = partition(ctx, rows, scratch, c);
        const childDepth = c.depth + 1;
        // Child sums come from the histogram, so cover(left) + cover(right) = cover(parent) (TreeSHAP relies on it).
        const l = {
            node: addNode(c.start, mid, c.hl),
            depth: childDepth,
            start: c.start,
            end: mid,
            g: c.gl,
            h: c.hl,
            hist: null,
            gain: 0,
            feature: -1,
            bin: 0,
            gl: 0,
            hl: 0
        };
        const hr = c.h - c.hl;
        const r = {
            node: addNode(mid, c.end, hr),
            depth: childDepth,
            start: mid,
            end: c.end,
            g: c.g - c.gl,
            h: hr,
            hist: null,
            gain: 0,
            feature: -1,
            bin: 0,
            gl: 0,
            hl: 0
        };
        t.feature[c.node] = c.feature;
        t.splitBin[c.node] = c.bin;
        t.left[c.node] = l.node;
        t.right[c.node] = r.node;
        leaves++;
        const parentHist = c.hist;
        if (childDepth < p.maxDepth) {
            const leftSmaller = mid - c.start <= c.end - mid;
            const small = leftSmaller ? l : r;
            const large = leftSmaller ? r : l;
            const smallHist = pool.take();
            small.hist = smallHist;
            buildHist(ctx, rows, small.start, small.end, features, smallHist);
            subtractHist(parentHist, smallHist, features, ctx.stride, ctx.binCount);
            large.hist = parentHist;
            for (const child of [l, r]) {
                findSplit(ctx, p, child, features);
                if (child.feature >= 0)
                    open.push(child);
                else {
                    pool.give(child.hist);
                    child.hist = null;
                    finished.push(child);
                }
            }
        }
        else {
            pool.give(parentHist);
            finished.push(l, r);
        }
        c.hist = null;
    }
    for (const c of open)
        finished.push(c);
    for (const c of finished) {
        t.value[c.node] = leafValue(c.g, c.h);
        if (c.hist)
            pool.give(c.hist);
    }
    return t;
}

;// CONCATENATED MODULE: ./lib/model/gbdt.js
/**
 * Histogram gradient-boosted trees with logistic loss (binary classification).
 *
 * - Features are binned once (src/model/binning.ts: <= maxBins quantile bins,
 *   float32 thresholds that split float32 inputs exactly as the trainer does).
 * - Each round: gradients g = p - y, hessians h = p(1 - p) at the current
 *   margins; one tree grown leaf-wise (src/model/gbdt-tree.ts) on a Bernoulli
 *   row sample and a per-tree feature sample; leaf values include the learning
 *   rate and are float32-exact.
 * - baseScore = log-odds of the training base rate.
 * - With a validation set, logloss is tracked each round and training stops
 *   after earlyStoppingRounds rounds without improvement; the ensemble keeps
 *   trees up to and including bestIteration (0-based, as xgboost).
 * - Deterministic for a given seed (createRandom: mulberry32, no Math.random).
 */






const DEFAULT_GBDT_PARAMS = Object.freeze({
    nTrees: 300,
    learningRate: 0.1,
    maxDepth: 6,
    maxLeaves: 0,
    lambda: 1,
    minChildWeight: 1,
    minSplitGain: 0,
    subsample: 1,
    colsampleByTree: 1,
    earlyStoppingRounds: 30,
    maxBins: 255,
    seed: 42
});
const PARAM_RANGES = {
    nTrees: [1, 100000, true],
    learningRate: [Number.MIN_VALUE, 1, false],
    maxDepth: [1, 30, true],
    maxLeaves: [0, 1 << 20, true],
    lambda: [0, Infinity, false],
    minChildWeight: [0, Infinity, false],
    minSplitGain: [0, Infinity, false],
    subsample: [Number.MIN_VALUE, 1, false],
    colsampleByTree: [Number.MIN_VALUE, 1, false],
    earlyStoppingRounds: [0, 100000, true],
    maxBins: [2, 255, true],
    seed: [0, 2 ** 32 - 1, true]
};
/** Defaults overlaid with the given params; throws RangeError naming the bad parameter. */
function resolveGbdtParams(params) {
    const out = { ...DEFAULT_GBDT_PARAMS };
    for (const [key, value] of Object.entries(params)) {
        if (value === undefined)
            continue;
        if (!(key in PARAM_RANGES))
            throw new RangeError(`unknown GBDT parameter "${key}"`);
        const [min, max, integer] = PARAM_RANGES[key];
        if (typeof value !== 'number' || Number.isNaN(value) || value < min || value > max || (integer && !Number.isInteger(value))) {
            const kind = integer ? 'an integer' : 'a number';
            throw new RangeError(`GBDT parameter ${key} must be ${kind} in [${min === Number.MIN_VALUE ? '>0' : min}, ${max}], got ${String(value)}`);
        }
        out[key] = value;
    }
    return out;
}
function checkDataset(d, what) {
    if (!Number.isInteger(d.nRows) || d.nRows < 1 || !Number.isInteger(d.nFeatures) || d.nFeatures < 1) {
        throw new RangeError(`${what}: needs at least one row and one feature (got ${d.nRows} x ${d.nFeatures})`);
    }
    if (d.X.length !== d.nRows * d.nFeatures) {
        throw new RangeError(`${what}: X has ${d.X.length} values, expected nRows x nFeatures = ${d.nRows * d.nFeatures}`);
    }
    if (d.y.length !== d.nRows)
        throw new RangeError(`${what}: y has ${d.y.length} labels, expected ${d.nRows}`);
    for (let i = 0; i < d.nRows; i++) {
        if (d.y[i] > 1)
            throw new RangeError(`${what}: row ${i}: label must be 0 or 1, got ${d.y[i]}`);
    }
    for (let k = 0; k < d.X.length; k++) {
        if (Number.isNaN(d.X[k])) {
            throw new RangeError(`${what}: row ${Math.floor(k / d.nFeatures)}, feature ${k % d.nFeatures}: missing value (NaN)`);
        }
    }
}
function sampleFeatures(nFeatures, share, rand) {
    const all = Int32Array.from({ length: nFeatures }, (_, i) => i);
    if (share >= 1)
        return all;
    const k = Math.max(1, Math.round(share * nFeatures));
    for (let i = 0; i < k; i++) {
        const j = i + Math.floor(rand() * (nFeatures - i));
        [all[i], all[j]] = [all[j], all[i]];
    }
    return all.slice(0, k).sort();
}
/** Fills rows with the sampled row indices; returns how many. */
function sampleRows(nRows, share, rand, rows, inSample) {
    if (share >= 1) {
        for (let i = 0; i < nRows; i++)
            rows[i] = i;
        inSample.fill(1);
        return nRows;
    }
    let n = 0;
    for (let i = 0; i < nRows; i++) {
        const take = rand() < share;
        inSample[i] = take ? 1 : 0;
        if (take)
            rows[n++] = i;
    }
    if (n === 0) {
        const i = Math.floor(rand() * nRows);
        inSample[i] = 1;
        rows[n++] = i;
    }
    return n;
}
function toTree(bt, thresholds) {
    const n = bt.feature.length;
    const threshold = new Float32Array(n);
    for (let i = 0; i < n; i++)
        if (bt.feature[i] >= 0)
            threshold[i] = thresholds[bt.feature[i]][bt.splitBin[i]];
    return {
        feature: Int32Array.from(bt.feature),
        threshold,
        left: Int32Array.from(bt.left),
        right: Int32Array.from(bt.right),
        value: Float64Array.from(bt.value),
        cover: Float64Array.from(bt.cover)
    };
}
// The loops over rows below are functions of their own, apart from trainGbdt's loop over rounds: V8
// compiles a long-running loop on its own (OSR), and an inner loop that had not run by then
// deoptimises that code, leaving the rest of the training to the interpreter.
/** Sampled rows: each leaf of the grown tree owns a contiguous range of `rows`. */
function addLeafValues(bt, rows, margins) {
    for (let node = 0; node < bt.feature.length; node++) {
        if (bt.feature[node] < 0)
            addToRows(rows, bt.rowStart[node], bt.rowEnd[node], bt.value[node], margins);
    }
}
function addToRows(rows, start, end, value, margins) {
    for (let i = start; i < end; i++)
        margins[rows[i]] += value;
}
function addTreeOutOfSample(tree, X, nFeatures, inSample, margins) {
    for (let i = 0; i < margins.length; i++)
        if (!inSample[i])
            margins[i] += treeLeafValue(tree, X, i * nFeatures);
}
function addTree(tree, X, nFeatures, margins) {
    for (let i = 0; i < margins.length; i++)
        margins[i] += treeLeafValue(tree, X, i * nFeatures);
}
function trainGbdt(train, params, validation) {
    const p = resolveGbdtParams(params);
    checkDataset(train, 'training set');
    if (validation) {
        checkDataset(validation, 'validation set');
        if (validation.nFeatures !== train.nFeatures) {
            throw new RangeError(`validation set has ${validation.nFeatures} features, training set ${train.nFeatures}`);
        }
    }
    const { nRows, nFeatures, y } = train;
    let positives = 0;
    for (let i = 0; i < nRows; i++)
        positives += y[i];
    if (positives === 0 || positives === nRows) {
        throw new RangeError(`training set: labels are all ${positives === 0 ? 0 : 1}; both classes are needed`);
    }
    const rate = positives / nRows;
    const baseScore = Math.fround(Math.log(rate / (1 - rate)));
    const binned = binFeatures(train.X, nRows, nFeatures, p.maxBins);
    let stride = 1;
    for (let f = 0; f < nFeatures; f++)
        stride = Math.max(stride, binned.binCount[f]);
    const slotIndex = 2 * nFeatures * stride <= 65536 ? new Uint16Array(nRows * nFeatures) : new Uint32Array(nRows * nFeatures);
    const columnBins = new Uint8Array(nRows * nFeatures);
    for (let k = 0; k < slotIndex.length; k++) {
        const f = k % nFeatures;
        slotIndex[k] = 2 * (f * stride + binned.bins[k]);
        columnBins[f * nRows + (k - f) / nFeatures] = binned.bins[k];
    }
    const gradHess = new Float64Array(2 * nRows);
    const ctx = {
        slotIndex,
        columnBins,
        nRows,
        nFeatures,
        stride,
        binCount: binned.binCount,
        gradHess,
        pool: new HistPool(nFeatures * stride * 2)
    };
    const margins = new Float64Array(nRows).fill(baseScore);
    const valMargins = validation ? new Float64Array(validation.nRows).fill(baseScore) : null;
    const rows = new Uint32Array(nRows);
    const scratch = new Uint32Array(nRows);
    const inSample = new Uint8Array(nRows);
    const random = createRandom(p.seed);
    const rand = () => random.next();
    const trees = [];
    const history = validation ? { train: [], validation: [] } : { train: [] };
    let best = Infinity;
    let bestIteration = 0;
    for (let round = 0; round < p.nTrees; round++) {
        const lossBefore = gradientsAndLoss(margins, y, gradHess);
        if (round > 0)
            history.train.push(lossBefore);
        const features = sampleFeatures(nFeatures, p.colsampleByTree, rand);
        const nSampled = sampleRows(nRows, p.subsample, rand, rows, inSample);
        const bt = growTree(ctx, p, rows, nSampled, features, scratch);
        const tree = toTree(bt, binned.thresholds);
        trees.push(tree);
        addLeafValues(bt, rows, margins);
        if (nSampled < nRows)
            addTreeOutOfSample(tree, train.X, nFeatures, inSample, margins);
        if (validation && valMargins && history.validation) {
            addTree(tree, validation.X, nFeatures, valMargins);
            const loss = meanLogLoss(valMargins, validation.y);
            history.validation.push(loss);
            if (p.earlyStoppingRounds === 0) {
                bestIteration = round;
            }
            else if (loss < best) {
                best = loss;
                bestIteration = round;
            }
            else if (round - bestIteration >= p.earlyStoppingRounds) {
                break;
            }
        }
        else {
            bestIteration = round;
        }
    }
    history.train.push(meanTrainLoss(margins, y));
    return { ensemble: { nFeatures, baseScore, trees: trees.slice(0, bestIteration + 1) }, bestIteration, history };
}

;// CONCATENATED MODULE: ./lib/model/metrics.js
function checkLengths(scores, labels) {
    if (scores.length !== labels.length) {
        throw new RangeError(`scores has ${scores.length} values but labels has ${labels.length}`);
    }
}
/** Row indices sorted by descending score (ties keep index order, so results are deterministic). */
function orderDescending(scores) {
    const order = new Uint32Array(scores.length);
    for (let i = 0; i < order.length; i++)
        order[i] = i;
    return order.sort((a, b) => scores[b] - scores[a] || a - b);
}
function countPositives(labels) {
    let p = 0;
    for (let i = 0; i < labels.length; i++)
        if (labels[i] === 1)
            p++;
    return p;
}
function f1Of(precision, recall) {
    return precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
}
/**
 * Area under the ROC curve (Mann-Whitney U with average ranks for ties).
 * NaN when only one class is present.
 */
function rocAuc(scores, labels) {
    checkLengths(scores, labels);
    const n = scores.length;
    const order = orderDescending(scores);
    const pos = countPositives(labels);
    const neg = n - pos;
    if (pos === 0 || neg === 0)
        return NaN;
    // Ranks ascending: descending position i has ascending rank n - i.
    let rankSumPos = 0;
    let i = 0;
    while (i < n) {
        let j = i;
        let posInGroup = 0;
        while (j < n && scores[order[j]] === scores[order[i]]) {
            if (labels[order[j]] === 1)
                posInGroup++;
            j++;
        }
        // Positions i..j-1 share ranks n-i .. n-j+1; their average:
        const avgRank = (2 * n - i - j + 1) / 2;
        rankSumPos += posInGroup * avgRank;
        i = j;
    }
    return (rankSumPos - (pos * (pos + 1)) / 2) / (pos * neg);
}
/**
 * Average precision (area under the precision-recall step curve, as
 * scikit-learn's average_precision_score): sum over distinct thresholds of
 * (recall gain) x precision. NaN when there are no positives.
 */
function prAuc(scores, labels) {
    checkLengths(scores, labels);
    const pos = countPositives(labels);
    if (pos === 0)
        return NaN;
    let ap = 0;
    let prevRecall = 0;
    forEachThreshold(scores, labels, (_, tp, fp) => {
        const recall = tp / pos;
        ap += (recall - prevRecall) * (tp / (tp + fp));
        prevRecall = recall;
    });
    return ap;
}
/**
 * Visit every distinct score from the highest down, with the true and false
 * positives counted when predicting positive for score >= that threshold.
 */
function forEachThreshold(scores, labels, visit) {
    const n = scores.length;
    const order = orderDescending(scores);
    let tp = 0;
    let fp = 0;
    let i = 0;
    while (i < n) {
        const s = scores[order[i]];
        while (i < n && scores[order[i]] === s) {
            if (labels[order[i]] === 1)
                tp++;
            else
                fp++;
            i++;
        }
        visit(s, tp, fp);
    }
}
function confusionFromCounts(threshold, tp, fp, pos, n) {
    const fn = pos - tp;
    const tn = n - pos - fp;
    const precision = tp + fp > 0 ? tp / (tp + fp) : 0;
    const recall = pos > 0 ? tp / pos : 0;
    return { threshold, tp, fp, tn, fn, precision, recall, f1: f1Of(precision, recall) };
}
/** Confusion matrix and derived rates when predicting positive for score >= threshold. */
function confusionAt(scores, labels, threshold) {
    checkLengths(scores, labels);
    let tp = 0;
    let fp = 0;
    for (let i = 0; i < scores.length; i++) {
        if (scores[i] >= threshold) {
            if (labels[i] === 1)
                tp++;
            else
                fp++;
        }
    }
    return confusionFromCounts(threshold, tp, fp, countPositives(labels), scores.length);
}
/**
 * The threshold (one of the scores) that maximises F1; on equal F1 the higher
 * threshold wins (fewer flagged rows). With no positives returns threshold
 * +Infinity and f1 0.
 */
function bestF1Threshold(scores, labels) {
    checkLengths(scores, labels);
    const n = scores.length;
    const pos = countPositives(labels);
    let best = confusionFromCounts(Infinity, 0, 0, pos, n);
    forEachThreshold(scores, labels, (threshold, tp, fp) => {
        const c = confusionFromCounts(threshold, tp, fp, pos, n);
        if (c.f1 > best.f1)
            best = c;
    });
    return best;
}
/** Mean squared error of probabilities against 0/1 labels. */
function brier(probabilities, labels) {
    checkLengths(probabilities, labels);
    let sum = 0;
    for (let i = 0; i < probabilities.length; i++) {
        const d = probabilities[i] - labels[i];
        sum += d * d;
    }
    return sum / probabilities.length;
}
const LOGLOSS_EPS = 1e-15;
/** Mean negative log-likelihood; probabilities are clipped to [1e-15, 1 - 1e-15]. */
function logLoss(probabilities, labels) {
    checkLengths(probabilities, labels);
    let sum = 0;
    for (let i = 0; i < probabilities.length; i++) {
        const p = Math.min(1 - LOGLOSS_EPS, Math.max(LOGLOSS_EPS, probabilities[i]));
        sum -= labels[i] === 1 ? Math.log(p) : Math.log(1 - p);
    }
    return sum / probabilities.length;
}

// EXTERNAL MODULE: ../../main/node_modules/protobufjs/index.js
var protobufjs = __webpack_require__(3547);
;// CONCATENATED MODULE: ./lib/model/onnx-schema.js
/**
 * The subset of onnx.proto (onnx/onnx, IR version 8) that patch-risk-gate
 * writes and reads, as a protobufjs reflection descriptor. Field numbers and
 * types are those of onnx.proto; fields not listed here are skipped when a
 * model is decoded, so any ONNX file decodes.
 */

const repeated = (type, id) => ({ rule: 'repeated', type, id });
const single = (type, id) => ({ type, id });
const ONNX_SUBSET = {
    nested: {
        onnx: {
            nested: {
                AttributeProto: {
                    fields: {
                        name: single('string', 1),
                        doc_string: single('string', 13),
                        type: single('int32', 20),
                        f: single('float', 2),
                        i: single('int64', 3),
                        s: single('bytes', 4),
                        t: single('TensorProto', 5),
                        floats: repeated('float', 7),
                        ints: repeated('int64', 8),
                        strings: repeated('bytes', 9),
                        tensors: repeated('TensorProto', 10)
                    }
                },
                ValueInfoProto: {
                    fields: { name: single('string', 1), type: single('TypeProto', 2), doc_string: single('string', 3) }
                },
                NodeProto: {
                    fields: {
                        input: repeated('string', 1),
                        output: repeated('string', 2),
                        name: single('string', 3),
                        op_type: single('string', 4),
                        domain: single('string', 7),
                        attribute: repeated('AttributeProto', 5),
                        doc_string: single('string', 6)
                    }
                },
                ModelProto: {
                    fields: {
                        ir_version: single('int64', 1),
                        opset_import: repeated('OperatorSetIdProto', 8),
                        producer_name: single('string', 2),
                        producer_version: single('string', 3),
                        domain: single('string', 4),
                        model_version: single('int64', 5),
                        doc_string: single('string', 6),
                        graph: single('GraphProto', 7),
                        metadata_props: repeated('StringStringEntryProto', 14)
                    }
                },
                StringStringEntryProto: { fields: { key: single('string', 1), value: single('string', 2) } },
                GraphProto: {
                    fields: {
                        node: repeated('NodeProto', 1),
                        name: single('string', 2),
                        initializer: repeated('TensorProto', 5),
                        doc_string: single('string', 10),
                        input: repeated('ValueInfoProto', 11),
                        output: repeated('ValueInfoProto', 12),
                        value_info: repeated('ValueInfoProto', 13)
                    }
                },
                TensorProto: {
                    fields: {
                        dims: repeated('int64', 1),
                        data_type: single('int32', 2),
                        float_data: repeated('float', 4),
                        int32_data: repeated('int32', 5),
                        int64_data: repeated('int64', 7),
                        name: single('string', 8),
                        raw_data: single('bytes', 9),
                        double_data: repeated('double', 10)
                    }
                },
                TensorShapeProto: {
                    fields: { dim: repeated('Dimension', 1) },
                    nested: {
                        Dimension: {
                            oneofs: { value: { oneof: ['dim_value', 'dim_param'] } },
                            fields: { dim_value: single('int64', 1), dim_param: single('string', 2), denotation: single('string', 3) }
                        }
                    }
                },
                TypeProto: {
                    oneofs: { value: { oneof: ['tensor_type'] } },
                    fields: { tensor_type: single('Tensor', 1), denotation: single('string', 6) },
                    nested: {
                        Tensor: { fields: { elem_type: single('int32', 1), shape: single('TensorShapeProto', 2) } }
                    }
                },
                OperatorSetIdProto: { fields: { domain: single('string', 1), version: single('int64', 2) } }
            }
        }
    }
};
const MODEL_PROTO = protobufjs.Root.fromJSON(ONNX_SUBSET).lookupType('onnx.ModelProto');
/** AttributeProto.AttributeType values used here. */
const ATTR = { FLOAT: 1, INT: 2, STRING: 3, TENSOR: 4, FLOATS: 6, INTS: 7, STRINGS: 8 };
/** TensorProto.DataType values used here. */
const DTYPE = { FLOAT: 1, INT64: 7, DOUBLE: 11 };
function encodeModel(model) {
    const message = MODEL_PROTO.fromObject(model);
    return MODEL_PROTO.encode(message).finish();
}
/** Throws protobufjs' error when the bytes are not a protobuf message. */
function decodeModel(bytes) {
    const message = MODEL_PROTO.decode(bytes);
    return MODEL_PROTO.toObject(message, { longs: Number, arrays: false, defaults: false });
}

;// CONCATENATED MODULE: ./lib/model/onnx-import.js
/**
 * Reads a tree model back from ONNX so it can be scored and explained in JS:
 * our own export (TreeEnsembleRegressor + Sigmoid) or a user's binary
 * classifier from skl2onnx / onnxmltools (TreeEnsembleRegressor, or
 * TreeEnsembleClassifier with two classes, post_transform NONE or LOGISTIC).
 *
 * The result is a TreeEnsemble whose margins equal the score onnxruntime's
 * float kernel computes before its post-transform, and postTransform says how
 * that score becomes the probability: LOGISTIC = sigmoid(score), NONE = the
 * score is already the probability (e.g. a random forest's averaged votes).
 * As in onnxruntime's float kernel, thresholds and weights are read as float32.
 * BRANCH_LT / GTE / GT nodes are rewritten as exact BRANCH_LEQ tests for
 * float32 inputs; BRANCH_EQ / NEQ are refused.
 *
 * Cover: taken from nodes_hitrates when present and not a constant
 * placeholder (our export writes the training hessian sums there, as
 * float32). Otherwise cover is NaN and
 * coverSource is 'none': path-dependent TreeSHAP needs it, so call
 * coverFromData with representative rows (e.g. the training data) first.
 * Filling in 1s would give silently wrong attributions, so it is not done.
 */


const ML_DOMAIN = 'ai.onnx.ml';
function tensorValues(t, what) {
    if (t.float_data && t.float_data.length > 0)
        return t.float_data;
    if (t.double_data && t.double_data.length > 0)
        return t.double_data;
    if (t.raw_data && t.raw_data.length > 0) {
        const raw = t.raw_data;
        const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
        if (t.data_type === DTYPE.FLOAT)
            return Array.from({ length: raw.byteLength / 4 }, (_, i) => view.getFloat32(i * 4, true));
        if (t.data_type === DTYPE.DOUBLE)
            return Array.from({ length: raw.byteLength / 8 }, (_, i) => view.getFloat64(i * 8, true));
    }
    if (t.data_type === DTYPE.FLOAT || t.data_type === DTYPE.DOUBLE)
        return [];
    throw new ModelError(`attribute ${what}: tensor of data type ${t.data_type} is not float or double`);
}
class Attributes {
    byName = new Map();
    constructor(node) {
        for (const a of node.attribute ?? [])
            this.byName.set(a.name, a);
    }
    ints(name) {
        return (this.byName.get(name)?.ints ?? []).map(Number);
    }
    /** FLOATS attribute, or its `<name>_as_tensor` double variant. */
    floats(name) {
        const a = this.byName.get(name);
        if (a?.floats && a.floats.length > 0)
            return a.floats;
        const t = this.byName.get(`${name}_as_tensor`)?.t;
        return t ? tensorValues(t, `${name}_as_tensor`) : [];
    }
    strings(name) {
        return (this.byName.get(name)?.strings ?? []).map((s) => new TextDecoder().decode(s));
    }
    text(name, fallback) {
        const s = this.byName.get(name)?.s;
        return s ? new TextDecoder().decode(s) : fallback;
    }
    int(name, fallback) {
        const i = this.byName.get(name)?.i;
        return i === undefined ? fallback : Number(i);
    }
}
const f32 = new Float32Array(1);
const i32 = new Int32Array(f32.buffer);
/** The largest float32 below t (t a float32 value): x < t  <=>  x <= nextDown(t) for float32 x. */
function nextDownFloat32(t) {
    if (Number.isNaN(t) || t === -Infinity)
        return t;
    if (t === 0)
        return -1.401298464324817e-45;
    f32[0] = t;
    i32[0] += t > 0 ? -1 : 1;
    return f32[0];
}
function buildTree(raw, entries, treeId, useHitrates) {
    const entryOf = new Map();
    for (const e of entries)
        entryOf.set(raw.nodeIds[e], e);
    const childIds = new Set();
    for (const e of entries) {
        if (raw.modes[e] !== 'LEAF') {
            childIds.add(raw.trueIds[e]);
            childIds.add(raw.falseIds[e]);
        }
    }
    const roots = entries.filter((e) => !childIds.has(raw.nodeIds[e]));
    if (roots.length !== 1)
        throw new ModelError(`tree ${treeId}: expected one root node, found ${roots.length}`);
    const n = entries.length;
    const t = {
        feature: [],
        threshold: [],
        left: [],
        right: [],
        value: [],
        cover: []
    };
    // Keep the node ids as indices when they already are 0..n-1 with children after parents (our export,
    // sklearn); otherwise number the nodes depth-first, preorder.
    const keepIds = raw.nodeIds[roots[0]] === 0 &&
        entries.every((e) => raw.nodeIds[e] >= 0 &&
            raw.nodeIds[e] < n &&
            (raw.modes[e] === 'LEAF' || (raw.trueIds[e] > raw.nodeIds[e] && raw.falseIds[e] > raw.nodeIds[e]))) &&
        entryOf.size === n;
    let nextIndex = 0;
    const visit = (e) => {
        const index = keepIds ? raw.nodeIds[e] : nextIndex;
        nextIndex++;
        if (nextIndex > n)
            throw new ModelError(`tree ${treeId}: node ${raw.nodeIds[e]} is reached twice (the tree has a cycle)`);
        const mode = raw.modes[e];
        t.feature[index] = -1;
        t.threshold[index] = 0;
        t.left[index] = -1;
        t.right[index] = -1;
        t.value[index] = 0;
        t.cover[index] = useHitrates ? raw.hitrates[e] : NaN;
        if (mode === 'LEAF') {
            t.value[index] = raw.leafWeight.get(`${treeId}:${raw.nodeIds[e]}`) ?? 0;
            return index;
        }
        const child = (id) => {
            const c = entryOf.get(id);
            if (c === undefined)
                throw new ModelError(`tree ${treeId}: node ${raw.nodeIds[e]} points to missing node ${id}`);
            return visit(c);
        };
        const threshold = Math.fround(raw.values[e]);
        let swap;
        if (mode === 'BRANCH_LEQ')
            [t.threshold[index], swap] = [threshold, false];
        else if (mode === 'BRANCH_LT')
            [t.threshold[index], swap] = [nextDownFloat32(threshold), false];
        else if (mode === 'BRANCH_GT')
            [t.threshold[index], swap] = [threshold, true];
        else if (mode === 'BRANCH_GTE')
            [t.threshold[index], swap] = [nextDownFloat32(threshold), true];
        else
            throw new ModelError(`tree ${treeId}, node ${raw.nodeIds[e]}: node mode ${mode} is not supported (only LEQ, LT, GTE, GT)`);
        t.feature[index] = raw.featureIds[e];
        const [leftId, rightId] = swap ? [raw.falseIds[e], raw.trueIds[e]] : [raw.trueIds[e], raw.falseIds[e]];
        t.left[index] = child(leftId);
        t.right[index] = child(rightId);
        return index;
    };
    visit(roots[0]);
    if (nextIndex !== n)
        throw new ModelError(`tree ${treeId}: ${n - nextIndex} nodes are not reachable from the root`);
    return {
        feature: Int32Array.from(t.feature),
        threshold: Float32Array.from(t.threshold),
        left: Int32Array.from(t.left),
        right: Int32Array.from(t.right),
        value: Float64Array.from(t.value),
        cover: Float64Array.from(t.cover)
    };
}
function readNodes(a) {
    const raw = {
        treeIds: a.ints('nodes_treeids'),
        nodeIds: a.ints('nodes_nodeids'),
        featureIds: a.ints('nodes_featureids'),
        modes: a.strings('nodes_modes'),
        values: a.floats('nodes_values'),
        trueIds: a.ints('nodes_truenodeids'),
        falseIds: a.ints('nodes_falsenodeids'),
        hitrates: a.floats('nodes_hitrates')
    };
    const n = raw.treeIds.length;
    for (const [name, arr] of Object.entries(raw)) {
        if (name !== 'hitrates' && arr.length !== n)
            throw new ModelError(`tree attributes disagree: nodes_treeids has ${n} entries but ${name} has ${arr.length}`);
    }
    if (n === 0)
        throw new ModelError('the tree ensemble has no nodes');
    return raw;
}
function leafWeights(treeIds, nodeIds, weights, keep, scale) {
    const m = new Map();
    for (let i = 0; i < weights.length; i++) {
        if (!keep(i))
            continue;
        const key = `${treeIds[i]}:${nodeIds[i]}`;
        m.set(key, (m.get(key) ?? 0) + Math.fround(weights[i]) * scale);
    }
    return m;
}
function featureCount(graph, inputName, raw) {
    const input = graph.input?.find((i) => i.name === inputName);
    const dims = input?.type?.tensor_type?.shape?.dim ?? [];
    const declared = dims.length === 2 ? Number(dims[1].dim_value ?? 0) : 0;
    let used = 0;
    raw.featureIds.forEach((f, i) => {
        if (raw.modes[i] !== 'LEAF')
            used = Math.max(used, f + 1);
    });
    if (declared > 0 && used > declared)
        throw new ModelError(`the trees use feature ${used - 1} but the input "${inputName}" has ${declared} columns`);
    return declared > 0 ? declared : Math.max(used, 1);
}
function readPostTransform(a) {
    const p = a.text('post_transform', 'NONE');
    if (p !== 'NONE' && p !== 'LOGISTIC')
        throw new ModelError(`post_transform ${p} is not supported (only NONE or LOGISTIC)`);
    return p;
}
function onnxToEnsemble(bytes) {
    let graph;
    try {
        graph = decodeModel(bytes).graph;
    }
    catch (err) {
        throw new ModelError(`not an ONNX model (protobuf decoding failed: ${err.message})`);
    }
    if (!graph)
        throw new ModelError('the ONNX model has no graph');
    const nodes = graph.node ?? [];
    const treeNodes = nodes.filter((n) => n.domain === ML_DOMAIN && (n.op_type === 'TreeEnsembleRegressor' || n.op_type === 'TreeEnsembleClassifier'));
    if (treeNodes.length !== 1) {
        const ops = nodes.map((n) => `${n.domain ? n.domain + '.' : ''}${n.op_type}`).join(', ');
        throw new ModelError(`expected exactly one ai.onnx.ml TreeEnsembleRegressor or TreeEnsembleClassifier node, found ${treeNodes.length} (graph ops: ${ops || 'none'})`);
    }
    const node = treeNodes[0];
    const inputName = node.input?.[0] ?? '';
    if (!graph.input?.some((i) => i.name === inputName)) {
        throw new ModelError(`the tree ensemble reads "${inputName}", which is not a graph input: models with preprocessing before the trees are not supported`);
    }
    const a = new Attributes(node);
    const raw = readNodes(a);
    const nTrees = new Set(raw.treeIds).size;
    let postTransform = readPostTransform(a);
    let outputName;
    let baseScore;
    let leafWeight;
    if (node.op_type === 'TreeEnsembleRegressor') {
        if (a.int('n_targets', 1) !== 1)
            throw new ModelError(`the regressor has ${a.int('n_targets', 1)} targets; only 1 is supported`);
        const aggregate = a.text('aggregate_function', 'SUM');
        if (aggregate !== 'SUM' && aggregate !== 'AVERAGE')
            throw new ModelError(`aggregate_function ${aggregate} is not supported (only SUM or AVERAGE)`);
        const weights = a.floats('target_weights');
        leafWeight = leafWeights(a.ints('target_treeids'), a.ints('target_nodeids'), weights, () => true, aggregate === 'AVERAGE' ? 1 / nTrees : 1);
        baseScore = Math.fround(a.floats('base_values')[0] ?? 0);
        outputName = node.output?.[0] ?? '';
        const sigmoid = nodes.find((n) => n.op_type === 'Sigmoid' && (n.domain ?? '') === '' && n.input?.[0] === outputName);
        if (sigmoid) {
            if (postTransform === 'LOGISTIC')
                throw new ModelError('the regressor output goes through LOGISTIC and then a Sigmoid node; not supported');
            postTransform = 'LOGISTIC';
            outputName = sigmoid.output?.[0] ?? outputName;
        }
    }
    else {
        const labels = Math.max(a.ints('classlabels_int64s').length, a.strings('classlabels_strings').length);
        if (labels !== 2)
            throw new ModelError(`the classifier has ${labels} classes; only binary classifiers are supported`);
        const classIds = a.ints('class_ids');
        const distinct = new Set(classIds);
        // One class id: onnxruntime's binary case, the score is the positive class's. Both: use class 1.
        const positive = distinct.size === 1 ? classIds[0] : 1;
        leafWeight = leafWeights(a.ints('class_treeids'), a.ints('class_nodeids'), a.floats('class_weights'), (i) => classIds[i] === positive, 1);
        const base = a.floats('base_values');
        baseScore = Math.fround(base.length === 2 ? base[1] : (base[0] ?? 0));
        outputName = node.output?.[1] ?? node.output?.[0] ?? '';
    }
    // Some exporters write all-zero (or all-one) placeholder hitrates: only a varying positive list is a cover.
    const useHitrates = raw.hitrates.length === raw.treeIds.length && raw.hitrates.every((h) => h >= 0) && new Set(raw.hitrates).size > 1;
    const entriesByTree = new Map();
    raw.treeIds.forEach((t, e) => {
        const list = entriesByTree.get(t);
        if (list)
            list.push(e);
        else
            entriesByTree.set(t, [e]);
    });
    const full = { ...raw, leafWeight };
    const trees = [...entriesByTree.entries()].sort((x, y) => x[0] - y[0]).map(([t, entries]) => buildTree(full, entries, t, useHitrates));
    const nFeatures = featureCount(graph, inputName, raw);
    return {
        ensemble: { nFeatures, baseScore, trees },
        inputName,
        outputName,
        nFeatures,
        postTransform,
        coverSource: useHitrates ? 'hitrates' : 'none'
    };
}
/** A copy of the ensemble whose cover is the number of the given rows reaching each node. */
function coverFromData(ensemble, X, nRows) {
    const nf = ensemble.nFeatures;
    if (X.length !== nRows * nf)
        throw new RangeError(`X has ${X.length} values, expected ${nRows} x ${nf}`);
    const trees = ensemble.trees.map((tree) => {
        const cover = new Float64Array(tree.feature.length);
        for (let i = 0; i < nRows; i++) {
            let node = 0;
            cover[0]++;
            while (tree.feature[node] >= 0) {
                node = X[i * nf + tree.feature[node]] <= tree.threshold[node] ? tree.left[node] : tree.right[node];
                cover[node]++;
            }
        }
        return { ...tree, cover };
    });
    return { ...ensemble, trees };
}

;// CONCATENATED MODULE: ./lib/model/onnx.js
/**
 * TreeEnsemble <-> ONNX.
 *
 * Export writes a ModelProto (IR 8; opsets ai.onnx 17 and ai.onnx.ml 3):
 *   input float32 [N, nFeatures]
 *     -> ai.onnx.ml TreeEnsembleRegressor (SUM, base_values [baseScore],
 *        BRANCH_LEQ, float32 thresholds and leaf weights, cover as nodes_hitrates)
 *     -> Sigmoid -> output float32 [N, 1] = probability of the positive class.
 * onnxruntime runs the float kernel for float input: thresholds and weights
 * are float32 and a row goes to the true (left) child when x <= threshold,
 * the rule of predictMargins. The trainer's thresholds, leaf values and base
 * score are already float32 values, so the exported model is exactly the
 * trained one (only the summation is done in float32 by onnxruntime).
 *
 * Import: see onnx-import.ts (re-exported here).
 */



const ONNX_IR_VERSION = 8;
const ONNX_OPSET = 17;
const ONNX_ML_OPSET = 3;
const utf8 = (s) => new TextEncoder().encode(s);
const ints = (name, values) => ({ name, type: ATTR.INTS, ints: values });
const floats = (name, values) => ({ name, type: ATTR.FLOATS, floats: values });
const strings = (name, values) => ({ name, type: ATTR.STRINGS, strings: values.map(utf8) });
const onnx_text = (name, value) => ({ name, type: ATTR.STRING, s: utf8(value) });
const onnx_int = (name, value) => ({ name, type: ATTR.INT, i: value });
function floatTensor(name, cols) {
    return {
        name,
        type: { tensor_type: { elem_type: DTYPE.FLOAT, shape: { dim: [{ dim_param: 'N' }, { dim_value: cols }] } } }
    };
}
/** The TreeEnsembleRegressor attributes for the ensemble (one target). */
function treeAttributes(ensemble) {
    const n = { tree: [], node: [], feature: [], mode: [] };
    const values = [];
    const trueIds = [];
    const falseIds = [];
    const hitrates = [];
    const target = { tree: [], node: [], weight: [] };
    ensemble.trees.forEach((tree, t) => {
        for (let i = 0; i < tree.feature.length; i++) {
            const leaf = tree.feature[i] < 0;
            n.tree.push(t);
            n.node.push(i);
            n.feature.push(leaf ? 0 : tree.feature[i]);
            n.mode.push(leaf ? 'LEAF' : 'BRANCH_LEQ');
            values.push(leaf ? 0 : tree.threshold[i]);
            trueIds.push(leaf ? 0 : tree.left[i]);
            falseIds.push(leaf ? 0 : tree.right[i]);
            hitrates.push(tree.cover[i]);
            if (leaf) {
                target.tree.push(t);
                target.node.push(i);
                target.weight.push(tree.value[i]);
            }
        }
    });
    return [
        onnx_int('n_targets', 1),
        onnx_text('aggregate_function', 'SUM'),
        onnx_text('post_transform', 'NONE'),
        floats('base_values', [ensemble.baseScore]),
        ints('nodes_treeids', n.tree),
        ints('nodes_nodeids', n.node),
        ints('nodes_featureids', n.feature),
        strings('nodes_modes', n.mode),
        floats('nodes_values', values),
        ints('nodes_truenodeids', trueIds),
        ints('nodes_falsenodeids', falseIds),
        floats('nodes_hitrates', hitrates),
        ints('target_treeids', target.tree),
        ints('target_nodeids', target.node),
        ints('target_ids', target.tree.map(() => 0)),
        floats('target_weights', target.weight)
    ];
}
function checkEnsemble(ensemble) {
    if (ensemble.trees.length === 0)
        throw new ModelError('cannot export an ensemble without trees');
    ensemble.trees.forEach((tree, t) => {
        for (let i = 0; i < tree.feature.length; i++) {
            const f = tree.feature[i];
            if (f >= ensemble.nFeatures)
                throw new ModelError(`tree ${t}, node ${i}: feature ${f} is outside 0..${ensemble.nFeatures - 1}`);
            if (f >= 0 && !(tree.left[i] > i && tree.right[i] > i && tree.left[i] < tree.feature.length && tree.right[i] < tree.feature.length)) {
                throw new ModelError(`tree ${t}, node ${i}: children ${tree.left[i]}, ${tree.right[i]} are not later nodes of the tree`);
            }
        }
    });
}
function ensembleToOnnx(ensemble, opts) {
    checkEnsemble(ensemble);
    const margin = 'margin';
    const names = new Set([opts.inputName, opts.outputName, margin]);
    if (names.size !== 3 || !opts.inputName || !opts.outputName) {
        throw new ModelError(`ONNX input and output names must be non-empty, different, and not "${margin}" (got "${opts.inputName}", "${opts.outputName}")`);
    }
    return encodeModel({
        ir_version: ONNX_IR_VERSION,
        opset_import: [
            { domain: '', version: ONNX_OPSET },
            { domain: 'ai.onnx.ml', version: ONNX_ML_OPSET }
        ],
        producer_name: opts.producer,
        producer_version: opts.producerVersion,
        doc_string: opts.docString,
        graph: {
            name: 'tree_ensemble_probability',
            node: [
                {
                    input: [opts.inputName],
                    output: [margin],
                    name: 'trees',
                    op_type: 'TreeEnsembleRegressor',
                    domain: 'ai.onnx.ml',
                    attribute: treeAttributes(ensemble)
                },
                { input: [margin], output: [opts.outputName], name: 'probability', op_type: 'Sigmoid', domain: '' }
            ],
            input: [floatTensor(opts.inputName, ensemble.nFeatures)],
            output: [floatTensor(opts.outputName, 1)]
        },
        metadata_props: Object.entries(opts.metadata ?? {}).map(([key, value]) => ({ key, value }))
    });
}

;// CONCATENATED MODULE: ./lib/model/train.js
/**
 * Training a model version: table → train/validation split → GBDT → ONNX +
 * model card (thresholds, validation metrics, drift baseline, sha256).
 */










const INPUT_NAME = 'features';
const OUTPUT_NAME = 'probability';
const NUMBER_TEXT = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
/**
 * The features to train on: a built-in schema (firmware, jit, deployment)
 * when the data has all its columns and its label (and no explicit list), else the named columns or every
 * numeric column but the id and the label, with types inferred from the data
 * (all 0/1 → boolean, all whole → integer, all ≥ 0 → min 0).
 */
function chooseSchema(raw, file, label, idColumn, names) {
    const known = KNOWN_SCHEMAS.find((schema) => schema.label === label && schema.features.every((feature) => raw.columns.includes(feature.name)));
    if (!names && known)
        return { ...known, idColumn };
    if (!raw.columns.includes(label))
        throw new InputError(file, `missing the label column "${label}" (choose it with --label)`);
    const candidates = names ?? raw.columns.filter((name) => name !== label && name !== idColumn && name !== '' && isNumericColumn(raw, name));
    const missing = candidates.filter((name) => !raw.columns.includes(name));
    if (missing.length > 0)
        throw new InputError(file, `missing feature column${missing.length > 1 ? 's' : ''}: ${missing.join(', ')}`);
    if (candidates.length === 0)
        throw new InputError(file, 'no numeric feature columns to train on (name them with --features)');
    return { features: candidates.map((name) => inferSpec(raw, name)), label, idColumn };
}
function isNumericColumn(raw, name) {
    const column = raw.columns.indexOf(name);
    return raw.rows.every((row) => NUMBER_TEXT.test(row[column].trim()));
}
function inferSpec(raw, name) {
    const column = raw.columns.indexOf(name);
    const values = raw.rows.map((row) => Number(row[column]));
    const boolean = values.every((value) => value === 0 || value === 1);
    if (boolean)
        return { name, type: 'boolean' };
    const integer = values.every(Number.isInteger);
    const nonNegative = values.every((value) => value >= 0);
    return { name, type: integer ? 'integer' : 'number', ...(nonNegative ? { min: 0 } : {}) };
}
/** Indices of validation rows: stratified random, or the last rows in file order. */
function train_splitRows(labels, fraction, split, seed) {
    const n = labels.length;
    if (split === 'time') {
        const cut = n - Math.max(1, Math.round(n * fraction));
        return { train: range(0, cut), validation: range(cut, n) };
    }
    const random = createRandom(seed);
    const train = [];
    const validation = [];
    for (const cls of [0, 1]) {
        const members = range(0, n).filter((i) => labels[i] === cls);
        for (let i = members.length - 1; i > 0; i--) {
            const j = Math.floor(random.next() * (i + 1));
            [members[i], members[j]] = [members[j], members[i]];
        }
        const take = Math.round(members.length * fraction);
        validation.push(...members.slice(0, take));
        train.push(...members.slice(take));
    }
    return { train: train.sort((a, b) => a - b), validation: validation.sort((a, b) => a - b) };
}
function range(start, end) {
    return Array.from({ length: Math.max(0, end - start) }, (_, i) => start + i);
}
function subset(table, rows) {
    const width = table.featureNames.length;
    const X = new Float32Array(rows.length * width);
    const y = new Uint8Array(rows.length);
    rows.forEach((row, i) => {
        X.set(table.features.subarray(row * width, (row + 1) * width), i * width);
        y[i] = table.labels?.[row] ?? 0;
    });
    return { X, y, nRows: rows.length, nFeatures: width };
}
/** Quantile of sorted values by linear interpolation. */
function quantile(sorted, p) {
    if (sorted.length === 0)
        return NaN;
    const position = (sorted.length - 1) * p;
    const low = Math.floor(position);
    const high = Math.ceil(position);
    return sorted[low] + (sorted[high] - sorted[low]) * (position - low);
}
const BASELINE_PROBABILITIES = Array.from({ length: 11 }, (_, i) => i / 10);
/**
 * Share of values in each of the 10 bins whose inner edges are the deciles
 * q10 … q90: bin k holds q(k) < v <= q(k+1), the first bin everything <= q10,
 * the last everything > q90. Drift checks bin new data the same way.
 */
function binShares(values, quantiles) {
    const edges = quantiles.slice(1, -1);
    const counts = new Array(edges.length + 1).fill(0);
    for (let i = 0; i < values.length; i++) {
        let k = 0;
        while (k < edges.length && values[i] > edges[k])
            k++;
        counts[k]++;
    }
    return counts.map((count) => count / Math.max(1, values.length));
}
function train_featureBaseline(values) {
    const sorted = Float64Array.from(values).sort();
    const quantiles = BASELINE_PROBABILITIES.map((p) => quantile(sorted, p));
    let mean = 0;
    for (const value of values)
        mean += value;
    mean /= Math.max(1, values.length);
    let variance = 0;
    for (const value of values)
        variance += (value - mean) ** 2;
    return { quantiles, mean, std: Math.sqrt(variance / Math.max(1, values.length)), decile_shares: binShares(values, quantiles) };
}
function columnOf(data, feature) {
    const values = new Float64Array(data.nRows);
    for (let i = 0; i < data.nRows; i++)
        values[i] = data.X[i * data.nFeatures + feature];
    return values;
}
/** Round a threshold down to 4 decimals so the row that set it still reaches it. */
function readableThreshold(value) {
    return Math.floor(value * 10000) / 10000;
}
function trainModel(table, schema, options, version, now = new Date()) {
    if (!table.labels)
        throw new InputError(table.file, `missing the label column "${schema.label}"`);
    const positives = table.labels.reduce((sum, label) => sum + label, 0);
    if (positives === 0 || positives === table.labels.length) {
        throw new InputError(table.file, `the label column "${schema.label}" has only one class; training needs both 0 and 1 rows`);
    }
    const { train, validation } = train_splitRows(table.labels, options.validationFraction, options.split, options.seed);
    const trainSet = subset(table, train);
    const validationSet = subset(table, validation);
    const params = { ...DEFAULT_GBDT_PARAMS, seed: options.seed, ...options.params };
    const started = performance.now();
    const { ensemble } = trainGbdt(trainSet, params, validationSet);
    const seconds = (performance.now() - started) / 1000;
    const scores = predictProbabilities(ensemble, validationSet.X, validationSet.nRows);
    const baseRate = validationSet.y.reduce((sum, label) => sum + label, 0) / validationSet.nRows;
    if (baseRate === 0 || baseRate === 1) {
        throw new InputError(table.file, `the validation split has only one class of "${schema.label}"; use more data or a random split`);
    }
    const high = readableThreshold(bestF1Threshold(scores, validationSet.y).threshold);
    const medium = Math.min(readableThreshold(baseRate), high);
    const atHigh = confusionAt(scores, validationSet.y, high);
    const onnx = ensembleToOnnx(ensemble, {
        inputName: INPUT_NAME,
        outputName: OUTPUT_NAME,
        producer: 'patch-risk-gate',
        docString: `${options.name} ${version}: gradient-boosted trees, probability of a regression`
    });
    const sortedScores = Float64Array.from(scores).sort();
    const features = schema.features;
    const card = {
        card_version: 1,
        name: options.name,
        version,
        description: options.description ?? `Regression-risk model "${options.name}" trained by patch-risk-gate.`,
        created_at: now.toISOString(),
        onnx_file: `${version}.onnx`,
        sha256: sha256Hex(onnx),
        input_name: INPUT_NAME,
        output_name: OUTPUT_NAME,
        id_column: schema.idColumn,
        label: schema.label,
        features,
        controllable: options.controllable ?? schema.controllable ?? [],
        thresholds: {
            high,
            medium,
            rule: 'high = the score that maximises F1 on the validation split (rounded down to 4 decimals); medium = the validation base rate (a patch riskier than the average one), capped at high.'
        },
        metrics: {
            roc_auc: rocAuc(scores, validationSet.y),
            pr_auc: prAuc(scores, validationSet.y),
            f1: atHigh.f1,
            precision: atHigh.precision,
            recall: atHigh.recall,
            brier: brier(scores, validationSet.y),
            base_rate: baseRate,
            rows: validationSet.nRows
        },
        training: {
            rows: trainSet.nRows,
            positives: trainSet.y.reduce((sum, label) => sum + label, 0),
            validation_rows: validationSet.nRows,
            trees: ensemble.trees.length,
            params: { ...params, split: options.split, validation_fraction: options.validationFraction },
            data: options.data,
            provenance: options.provenance,
            seconds: Math.round(seconds * 1000) / 1000
        },
        baseline: {
            features: Object.fromEntries(features.map((feature, f) => [feature.name, train_featureBaseline(columnOf(trainSet, f))])),
            high_share: scores.filter((score) => score >= high).length / scores.length,
            score_quantiles: BASELINE_PROBABILITIES.map((p) => quantile(sortedScores, p))
        }
    };
    return { card, onnx, ensemble, validationRows: validation };
}
/** Write vNNN.onnx and vNNN.card.json into the folder (next free version; never overwrites). */
async function writeModelVersion(dir, model) {
    await (0,promises_.mkdir)(dir, { recursive: true });
    const onnxPath = external_node_path_.join(dir, model.card.onnx_file);
    const cardPath = external_node_path_.join(dir, `${model.card.version}.card.json`);
    await (0,promises_.writeFile)(onnxPath, model.onnx, { flag: 'wx' });
    await (0,promises_.writeFile)(cardPath, `${JSON.stringify(model.card, null, 2)}\n`, { flag: 'wx' });
    return { onnxPath, cardPath };
}

;// CONCATENATED MODULE: ./lib/git/fix.js
/** The `fix` metric: does a commit message say it fixes a defect? */
/**
 * Whole words, case-insensitive. A substring rule (Commit Guru) would also count
 * "prefix", "debug", "suffix", "fixture" and "failover"; whole words do not.
 */
const FIX_WORDS = [
    'fix',
    'fixes',
    'fixed',
    'fixing',
    'bugfix',
    'bugfixes',
    'hotfix',
    'hotfixes',
    'bug',
    'bugs',
    'defect',
    'defects',
    'fault',
    'faults',
    'crash',
    'crashes',
    'crashed',
    'regression',
    'regressions'
];
// A word is delimited by anything that is not a letter, digit or underscore, so
// "fix:", "(bug)", "bug-123" and "Fixes #12" match, "fix_up" and "prefix" do not.
const FIX_RE = new RegExp(`(?<![\\p{L}\\p{N}_])(?:${FIX_WORDS.join('|')})(?![\\p{L}\\p{N}_])`, 'iu');
function isFixMessage(message) {
    return FIX_RE.test(message);
}

;// CONCATENATED MODULE: ./lib/git/recency.js
/**
 * Recency-weighted change count for `rexp`: the sum over earlier changes of
 * 1 / (age in days + 1), kept in bounded memory.
 *
 * Changes are stored as (mean time, count) buckets. A bucket is merged with its
 * newer neighbour once the gap between them is under 1/32 of its age, so the number
 * of buckets grows with the logarithm of the time span, not with the number of
 * changes. The weight is convex and smooth, so replacing close points by their
 * mean shifts the sum by well under 1% (checked by a test against the exact sum).
 */
const DAY = 86_400;
const MERGE_RATIO = 32;
const COMPACT_AT = 48;
class RecencyCounter {
    buckets = [];
    limit = COMPACT_AT;
    /** Record `count` changes at `time` (unix seconds). */
    add(time, count) {
        if (count <= 0)
            return;
        const last = this.buckets[this.buckets.length - 1];
        if (last && Math.abs(last.time - time) < 1) {
            last.count += count;
            return;
        }
        this.buckets.push({ time, count });
        if (this.buckets.length > this.limit) {
            this.compact(time);
            // Amortised: if little could be merged, wait until the list doubles before trying again.
            this.limit = Math.max(COMPACT_AT, 2 * this.buckets.length);
        }
    }
    /** Sum of 1 / (max(0, now - t) / 86400 + 1) over recorded changes. */
    weight(now) {
        let sum = 0;
        for (const b of this.buckets)
            sum += b.count / (Math.max(0, now - b.time) / DAY + 1);
        return sum;
    }
    get size() {
        return this.buckets.length;
    }
    compact(now) {
        const merged = [];
        for (const b of this.buckets) {
            const prev = merged[merged.length - 1];
            if (prev) {
                const gapDays = Math.abs(b.time - prev.time) / DAY;
                const ageDays = Math.max(0, now - Math.max(b.time, prev.time)) / DAY;
                if (gapDays * MERGE_RATIO <= ageDays) {
                    const count = prev.count + b.count;
                    prev.time = (prev.time * prev.count + b.time * b.count) / count;
                    prev.count = count;
                    continue;
                }
            }
            merged.push({ ...b });
        }
        this.buckets = merged;
    }
}

;// CONCATENATED MODULE: ./lib/git/history.js
/**
 * The per-file and per-author state replayed through a repository's history, and the
 * change metrics of one commit computed from it. Memory grows with the number of
 * files and authors, never with the number of commits.
 */


const history_DAY = 86_400;
const MAX_REVIEWERS = 2;
/** Top-level directory; files at the repository root form the subsystem "". */
function subsystemOf(path) {
    const slash = path.indexOf('/');
    return slash < 0 ? '' : path.slice(0, slash);
}
/** Parent directory; "" for files at the root. */
function directoryOf(path) {
    const slash = path.lastIndexOf('/');
    return slash < 0 ? '' : path.slice(0, slash);
}
/** Shannon entropy (bits) of the distribution of changed lines over files; files with no changed lines are skipped. */
function changeEntropy(churn) {
    let total = 0;
    for (const c of churn)
        total += c;
    if (total === 0)
        return 0;
    let h = 0;
    for (const c of churn) {
        if (c > 0) {
            const p = c / total;
            h -= p * Math.log2(p);
        }
    }
    return h;
}
/** Authors are identified by e-mail (after .mailmap), case-insensitively; by name when there is no e-mail. */
function authorKey(name, email) {
    const e = email.trim().toLowerCase();
    return e === '' ? `name:${name}` : e;
}
class HistoryState {
    ignored;
    files = new Map();
    authors = new Map();
    constructor(ignored) {
        this.ignored = ignored;
    }
    /** What the state holds (for progress reports and the memory benchmark); O(files). */
    stats() {
        let fileAuthors = 0;
        for (const f of this.files.values())
            fileAuthors += f.authors.size;
        return { files: this.files.size, authors: this.authors.size, fileAuthors };
    }
    /** Compute the commit's metrics from the state before it, then fold the commit into the state. */
    apply(c) {
        const now = c.time;
        const key = authorKey(c.authorName, c.authorEmail);
        let author = this.authors.get(key);
        if (!author) {
            author = { name: c.authorName, email: c.authorEmail, fileChanges: 0, recency: new RecencyCounter(), subsystemFiles: new Map() };
            this.authors.set(key, author);
        }
        author.name = c.authorName;
        const created = c.created.length > 0 ? new Set(c.created) : undefined;
        const deleted = c.deleted.length > 0 ? new Set(c.deleted) : undefined;
        const subsystems = new Set();
        const directories = new Set();
        const files = [];
        const churn = [];
        const candidates = new Map();
        let la = 0;
        let ld = 0;
        let lt = 0;
        let nuc = 0;
        let ageDays = 0;
        for (const fc of c.files) {
            const from = fc.oldPath ?? fc.path;
            // A "create" starts a new lineage even if an old one is still recorded at that path.
            let state = fc.oldPath === undefined && created?.has(fc.path) ? undefined : this.files.get(from);
            if (state && fc.oldPath !== undefined)
                this.files.delete(from);
            const counted = !this.ignored(fc.path);
            const added = fc.added ?? 0;
            const removed = fc.deleted ?? 0;
            if (counted) {
                const sub = subsystemOf(fc.path);
                subsystems.add(sub);
                directories.add(directoryOf(fc.path));
                files.push(fc.path);
                la += added;
                ld += removed;
                churn.push(added + removed);
                if (state) {
                    lt += state.lines;
                    nuc += state.changes + 1;
                    ageDays += Math.max(0, now - state.last) / history_DAY;
                    for (const [dev, last] of state.authors) {
                        if (dev === key)
                            continue;
                        const seen = candidates.get(dev);
                        if (seen) {
                            seen.last = Math.max(seen.last, last);
                            seen.files += 1;
                        }
                        else
                            candidates.set(dev, { last, files: 1 });
                    }
                }
                else
                    nuc += 1;
            }
            if (state) {
                this.moveSubsystemCounts(state, from, fc.path, counted);
            }
            else {
                state = { lines: 0, changes: 0, last: now, authors: new Map(), counted };
            }
            // Binary files have no lines; a text file turning binary drops to 0.
            state.lines = fc.added === null ? 0 : Math.max(0, state.lines + added - removed);
            state.changes += 1;
            state.last = now;
            if (counted && !state.authors.has(key))
                bump(author.subsystemFiles, subsystemOf(fc.path), 1);
            state.authors.set(key, now);
            if (deleted?.has(fc.path))
                this.files.delete(fc.path);
            else
                this.files.set(fc.path, state);
        }
        const nf = files.length;
        const rexp = author.recency.weight(now) + nf;
        author.recency.add(now, nf);
        author.fileChanges += nf;
        let sexp = 0;
        for (const sub of subsystems)
            sexp += author.subsystemFiles.get(sub) ?? 0;
        return {
            commit: c.hash,
            author: c.authorName,
            email: c.authorEmail,
            date: now,
            subject: c.subject,
            ns: subsystems.size,
            nd: directories.size,
            nf,
            entropy: changeEntropy(churn),
            la,
            ld,
            lt,
            fix: isFixMessage(c.body === '' ? c.subject : `${c.subject}\n${c.body}`) ? 1 : 0,
            // Everyone else who changed a touched file, plus the author (as in the training data).
            ndev: nf === 0 ? 0 : candidates.size + 1,
            age: nf === 0 ? 0 : ageDays / nf,
            nuc,
            exp: author.fileChanges,
            rexp,
            sexp,
            files,
            reviewers: this.pickReviewers(candidates)
        };
    }
    /** Keep per-author subsystem file counts right when a lineage moves subsystem or in/out of the ignored set. */
    moveSubsystemCounts(state, from, to, counted) {
        const oldSub = subsystemOf(from);
        const newSub = subsystemOf(to);
        if (state.counted === counted && (oldSub === newSub || !counted))
            return;
        for (const dev of state.authors.keys()) {
            const a = this.authors.get(dev);
            if (!a)
                continue;
            if (state.counted)
                bump(a.subsystemFiles, oldSub, -1);
            if (counted)
                bump(a.subsystemFiles, newSub, 1);
        }
        state.counted = counted;
    }
    /** Top two by latest change, then by files shared, then by name; a linear scan (candidates can be many). */
    pickReviewers(candidates) {
        const top = [];
        for (const entry of candidates) {
            let i = top.length;
            while (i > 0 && this.ranksBefore(entry, top[i - 1]))
                i--;
            if (i < MAX_REVIEWERS) {
                top.splice(i, 0, entry);
                if (top.length > MAX_REVIEWERS)
                    top.pop();
            }
        }
        return top.map(([dev, c]) => {
            const a = this.authors.get(dev);
            return { name: a.name, email: a.email, lastChange: c.last, files: c.files };
        });
    }
    ranksBefore([xDev, x], [yDev, y]) {
        if (x.last !== y.last)
            return x.last > y.last;
        if (x.files !== y.files)
            return x.files > y.files;
        return this.authors.get(xDev).name < this.authors.get(yDev).name;
    }
}
function bump(map, key, by) {
    const next = (map.get(key) ?? 0) + by;
    if (next > 0)
        map.set(key, next);
    else
        map.delete(key);
}

// EXTERNAL MODULE: ./lib/git/ignore.js
var ignore = __webpack_require__(953);
;// CONCATENATED MODULE: ./lib/git/log-parser.js
/**
 * Parser for `git log -z --numstat --format=<LOG_FORMAT>` output, fed chunk by chunk.
 *
 * With -z every field and every numstat entry ends in NUL and paths are raw (never
 * C-quoted), so names with spaces, tabs, quotes or " => " parse exactly. A rename
 * entry is `A\tD\t` NUL `old` NUL `new` NUL instead of the `{old => new}` form.
 * `--summary` lines (" create mode ...", " delete mode ...") are newline-terminated even
 * with -z; they follow the numstat entries and run straight into the next commit's hash.
 */
/** %H parents author-name author-email author-time subject body; mailmap applies to %aN/%aE. */
const LOG_FORMAT = '%H%x00%P%x00%aN%x00%aE%x00%at%x00%s%x00%b';
const HEADER_FIELDS = 7;
const SUMMARY = /^ (create|delete) mode \d+ ([\s\S]*)$/;
const NUMSTAT = /^(\d+|-)\t(\d+|-)\t([\s\S]*)$/;
function count(raw) {
    return raw === '-' ? null : Number(raw);
}
/** Incremental parser: push() text chunks, receive complete commits. */
class LogParser {
    rest = '';
    header = [];
    current;
    /** A rename entry waiting for its old and new path tokens. */
    pending;
    /** Feed a chunk; returns the commits completed by it (the last one stays open until the next header or end()). */
    push(chunk, out = []) {
        const text = this.rest + chunk;
        let start = 0;
        for (;;) {
            const nul = text.indexOf('\0', start);
            if (nul < 0)
                break;
            this.token(text.slice(start, nul), out);
            start = nul + 1;
        }
        this.rest = text.slice(start);
        return out;
    }
    /** Flush at end of stream. */
    end(out = []) {
        if (this.rest !== '')
            this.token(this.rest, out);
        this.rest = '';
        if (this.header.length > 0)
            throw new Error(`git log output ended inside a commit header (${this.header.length} fields)`);
        if (this.current)
            out.push(this.current);
        this.current = undefined;
        return out;
    }
    token(token, out) {
        if (this.pending) {
            this.pending.paths.push(token);
            if (this.pending.paths.length === 2) {
                const [oldPath, path] = this.pending.paths;
                this.current.files.push({ path, oldPath, added: this.pending.added, deleted: this.pending.deleted });
                this.pending = undefined;
            }
            return;
        }
        if (this.header.length === 0 && this.current) {
            // The first numstat entry after a header starts with the newline git prints after the format.
            const entry = token.charCodeAt(0) === 10 ? token.slice(1) : token;
            if (entry.charCodeAt(0) === 32) {
                const end = entry.lastIndexOf('\n');
                this.summary(entry.slice(0, end));
                const next = entry.slice(end + 1);
                if (next === '')
                    return;
                out.push(this.current);
                this.current = undefined;
                this.header.push(next);
                return;
            }
            const m = NUMSTAT.exec(entry);
            if (m) {
                const added = count(m[1]);
                const deleted = count(m[2]);
                if (m[3] === '')
                    this.pending = { added, deleted, paths: [] };
                else
                    this.current.files.push({ path: m[3], added, deleted });
                return;
            }
            out.push(this.current);
            this.current = undefined;
        }
        this.header.push(token);
        if (this.header.length === HEADER_FIELDS) {
            const [hash, parents, authorName, authorEmail, time, subject, body] = this.header;
            this.header = [];
            if (!/^[0-9a-f]{40,64}$/.test(hash))
                throw new Error(`unexpected git log output: "${hash.slice(0, 60)}" is not a commit hash`);
            this.current = {
                hash,
                parents: parents === '' ? [] : parents.split(' '),
                authorName,
                authorEmail,
                time: Number(time),
                subject,
                body,
                files: [],
                created: [],
                deleted: []
            };
        }
    }
    summary(lines) {
        for (const line of lines.split('\n')) {
            const m = SUMMARY.exec(line);
            if (!m)
                continue;
            const path = unquotePath(m[2]);
            if (m[1] === 'create')
                this.current.created.push(path);
            else
                this.current.deleted.push(path);
        }
    }
}
const ESCAPES = { a: 7, b: 8, t: 9, n: 10, v: 11, f: 12, r: 13, '"': 34, '\\': 92 };
/** Undo git's C-style quoting ("a\\tb", octal UTF-8 bytes) used by --summary lines even under -z. */
function unquotePath(raw) {
    if (raw.length < 2 || !raw.startsWith('"') || !raw.endsWith('"'))
        return raw;
    const bytes = [];
    const body = raw.slice(1, -1);
    for (let i = 0; i < body.length; i++) {
        const ch = body[i];
        if (ch !== '\\') {
            bytes.push(...Buffer.from(ch, 'utf8'));
            continue;
        }
        const next = body[i + 1] ?? '';
        if (/[0-7]/.test(next)) {
            bytes.push(parseInt(body.slice(i + 1, i + 4), 8));
            i += 3;
        }
        else {
            bytes.push(ESCAPES[next] ?? next.charCodeAt(0));
            i += 1;
        }
    }
    return Buffer.from(bytes).toString('utf8');
}

// EXTERNAL MODULE: external "node:child_process"
var external_node_child_process_ = __webpack_require__(1421);
// EXTERNAL MODULE: external "node:string_decoder"
var external_node_string_decoder_ = __webpack_require__(6193);
;// CONCATENATED MODULE: ./lib/git/run.js
/** Spawning git: one streaming process for the miner, small buffered calls for the rest. */


/** git failed or is missing: says which command and what git printed. */
class GitError extends Error {
    args;
    code;
    constructor(args, code, stderr) {
        const detail = stderr.trim().split('\n').slice(-3).join(' / ');
        super(`git ${args.join(' ')} failed${code === null ? '' : ` (exit ${code})`}${detail ? `: ${detail}` : ''}`);
        this.args = args;
        this.code = code;
        this.name = 'GitError';
    }
}
// Options that keep output machine-readable whatever the user's config says.
const BASE_CONFIG = ['-c', 'core.quotepath=off', '-c', 'log.showSignature=false', '-c', 'color.ui=false'];
const STDERR_LIMIT = 16_384;
function gitArgs(repo, args) {
    return ['-C', repo, ...BASE_CONFIG, ...args];
}
/**
 * Run git once and stream its stdout as decoded text chunks (UTF-8 safe across chunk
 * boundaries). Throws GitError after the stream if git exits non-zero.
 */
async function* streamGit(repo, args) {
    const child = (0,external_node_child_process_.spawn)('git', gitArgs(repo, args), { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (s) => {
        if (stderr.length < STDERR_LIMIT)
            stderr += s;
    });
    const exited = new Promise((resolve, reject) => {
        child.once('error', reject);
        child.once('close', (code) => resolve(code));
    });
    // Surface spawn errors (git missing) instead of an unhandled rejection.
    exited.catch(() => undefined);
    const decoder = new external_node_string_decoder_.StringDecoder('utf8');
    try {
        for await (const chunk of child.stdout) {
            const text = decoder.write(chunk);
            if (text)
                yield text;
        }
        const tail = decoder.end();
        if (tail)
            yield tail;
        let code;
        try {
            code = await exited;
        }
        catch (err) {
            throw new GitError(args, null, err.message);
        }
        if (code !== 0)
            throw new GitError(args, code, stderr);
    }
    finally {
        if (child.exitCode === null && child.signalCode === null)
            child.kill();
    }
}
/** Run git to completion and return stdout. */
async function runGit(repo, args) {
    let out = '';
    for await (const text of streamGit(repo, args))
        out += text;
    return out;
}

;// CONCATENATED MODULE: ./lib/git/mine.js
/**
 * `mineCommits`: one streaming pass over `git log` from the root commit, yielding the
 * change metrics of every non-merge commit (or only those in a range).
 */




/** Accepts `BASE..HEAD` (either side may be empty, meaning HEAD). Throws with what was expected. */
function parseRange(range) {
    const parts = range.split('..');
    if (parts.length !== 2 || parts[1].startsWith('.') || range.includes('...')) {
        throw new Error(`--range "${range}" must look like BASE..HEAD (two dots, no symmetric "..." ranges)`);
    }
    const [base, head] = parts.map((p) => p.trim() || 'HEAD');
    for (const rev of [base, head]) {
        if (rev.startsWith('-') || /\s/.test(rev))
            throw new Error(`--range "${range}": "${rev}" is not a revision`);
    }
    return { base, head };
}
/**
 * Arguments of the single `git log` run. --date-order with --reverse: parents always
 * come before children, otherwise commits go by commit date. -z keeps paths raw; -M
 * follows renames for every path; --summary reports created and deleted files.
 */
function logArgs(head) {
    return [
        'log',
        '-z',
        '--reverse',
        '--date-order',
        '--no-merges',
        '-M',
        '--numstat',
        '--summary',
        '--no-textconv',
        '--no-ext-diff',
        `--format=${LOG_FORMAT}`,
        '--end-of-options',
        head,
        '--'
    ];
}
async function revisionsIn(repo, range) {
    const out = await runGit(repo, ['rev-list', '--no-merges', '--end-of-options', `${range.base}..${range.head}`, '--']);
    return new Set(out.split('\n').filter((l) => l !== ''));
}
/** Is the repository a shallow clone (history metrics would be computed from a truncated history)? */
async function isShallow(repo) {
    return (await runGit(repo, ['rev-parse', '--is-shallow-repository'])).trim() === 'true';
}
async function* mineCommits(opts) {
    const range = opts.range === undefined ? undefined : parseRange(opts.range);
    const wanted = range ? await revisionsIn(opts.repo, range) : undefined;
    if (wanted && wanted.size === 0)
        return;
    const state = new HistoryState((0,ignore/* compileIgnore */.Mh)(opts.ignore ?? ignore/* DEFAULT_IGNORE */.pA));
    const parser = new LogParser();
    const batch = [];
    let replayed = 0;
    let remaining = wanted?.size ?? Infinity;
    for await (const chunk of streamGit(opts.repo, logArgs(range?.head ?? 'HEAD'))) {
        parser.push(chunk, batch);
        for (const raw of batch) {
            const row = state.apply(raw);
            replayed += 1;
            opts.onProgress?.(replayed, state);
            if (!wanted || wanted.has(raw.hash)) {
                yield row;
                remaining -= 1;
            }
        }
        batch.length = 0;
        // Everything asked for is out: stop git instead of replaying the rest.
        if (remaining === 0)
            return;
    }
    for (const raw of parser.end(batch)) {
        const row = state.apply(raw);
        replayed += 1;
        opts.onProgress?.(replayed, state);
        if (!wanted || wanted.has(raw.hash))
            yield row;
    }
}
/** Convenience for callers that want all rows at once (e.g. the action's commit mode over a PR range). */
async function mineAll(opts) {
    const rows = [];
    for await (const row of mineCommits(opts))
        rows.push(row);
    return rows;
}

;// CONCATENATED MODULE: ./lib/git/csv.js
const METRIC_COLUMNS = ['ns', 'nd', 'nf', 'entropy', 'la', 'ld', 'lt', 'fix', 'ndev', 'age', 'nuc', 'exp', 'rexp', 'sexp'];
/** `files` is the touched paths joined with ';' (ignored paths left out). */
const COMMIT_COLUMNS = ['commit', 'author', 'date', 'subject', ...METRIC_COLUMNS, 'files'];
const FILES_SEPARATOR = ';';
// Text cells starting with = + - @ tab or CR get a leading ' so spreadsheets do not run them
// as formulas (numbers are written as they are). Quoting follows RFC 4180, as papaparse reads it.
const FORMULA = /^[=+\-@\t\r]/;
const csv_NEEDS_QUOTES = /[",\r\n]|^\s|\s$/;
function textCell(value) {
    const guarded = FORMULA.test(value) ? `'${value}` : value;
    return csv_NEEDS_QUOTES.test(guarded) ? `"${guarded.replace(/"/g, '""')}"` : guarded;
}
function commitCsvHeader() {
    return COMMIT_COLUMNS.join(',') + '\n';
}
function commitCsvLine(m) {
    return (`${m.commit},${textCell(m.author)},${m.date},${textCell(m.subject)},` +
        `${m.ns},${m.nd},${m.nf},${m.entropy},${m.la},${m.ld},${m.lt},${m.fix},${m.ndev},${m.age},${m.nuc},${m.exp},${m.rexp},${m.sexp},` +
        `${textCell(m.files.join(FILES_SEPARATOR))}\n`);
}
/** CSV lines (each newline-terminated) for a batch of rows. */
function commitCsvRows(rows) {
    let out = '';
    for (const m of rows)
        out += commitCsvLine(m);
    return out;
}
/** Undo the formula guard on a text cell read back from our own CSV. */
function unescapeFormula(cell) {
    return /^'[=+\-@\t\r]/.test(cell) ? cell.slice(1) : cell;
}

;// CONCATENATED MODULE: ./lib/git/szz.js
/**
 * SZZ: the commits that introduced the lines a fix commit deleted or modified.
 * Spawns git per fix (one diff) and per touched file (one blame), unlike the miner.
 */




// Line-comment and block-comment markers by file extension; unknown extensions only skip blank lines.
const C_LIKE = ['//', '/*', '*', '*/'];
const szz_HASH = ['#'];
const COMMENT_PREFIXES = {};
for (const ext of [
    'c',
    'h',
    'cc',
    'cpp',
    'cxx',
    'hpp',
    'hh',
    'm',
    'mm',
    'java',
    'js',
    'jsx',
    'mjs',
    'cjs',
    'ts',
    'tsx',
    'mts',
    'cts',
    'go',
    'rs',
    'cs',
    'kt',
    'kts',
    'swift',
    'scala',
    'dart',
    'php',
    'groovy',
    'gradle',
    'proto',
    'css',
    'scss',
    'less',
    'zig'
]) {
    COMMENT_PREFIXES[ext] = C_LIKE;
}
for (const ext of [
    'py',
    'sh',
    'bash',
    'zsh',
    'rb',
    'pl',
    'pm',
    'r',
    'yaml',
    'yml',
    'toml',
    'cmake',
    'mk',
    'ps1',
    'tf',
    'nix',
    'conf',
    'cfg',
    'ini'
]) {
    COMMENT_PREFIXES[ext] = szz_HASH;
}
for (const ext of ['sql', 'lua', 'hs', 'elm', 'ada', 'adb', 'ads'])
    COMMENT_PREFIXES[ext] = ['--'];
for (const ext of ['lisp', 'el', 'clj', 'cljs', 'scm', 'asm', 's'])
    COMMENT_PREFIXES[ext] = [';'];
for (const ext of ['html', 'htm', 'xml', 'svg', 'vue'])
    COMMENT_PREFIXES[ext] = ['<!--'];
const BASENAME_PREFIXES = { makefile: szz_HASH, dockerfile: szz_HASH, 'cmakelists.txt': szz_HASH };
function commentPrefixes(path) {
    const base = path.slice(path.lastIndexOf('/') + 1).toLowerCase();
    const byName = BASENAME_PREFIXES[base];
    if (byName)
        return byName;
    const dot = base.lastIndexOf('.');
    return dot < 0 ? [] : (COMMENT_PREFIXES[base.slice(dot + 1)] ?? []);
}
/** Whitespace-only lines and lines that are only a comment (by the file's extension) carry no behaviour. */
function isTrivialLine(path, content) {
    const t = content.trim();
    if (t === '')
        return true;
    return commentPrefixes(path).some((p) => t.startsWith(p));
}
const HUNK = /^@@ -(\d+)(?:,(\d+))? \+\d+(?:,\d+)? @@/;
function diffPath(raw, prefix) {
    const p = unquotePath(raw.replace(/\t$/, ''));
    if (p === '/dev/null')
        return undefined;
    return p.startsWith(prefix) ? p.slice(prefix.length) : p;
}
/** Parse `git diff -U0` output into the parent-side lines each file lost (trivial lines dropped). */
function parseDeletedLines(patch) {
    const result = [];
    let current;
    let oldPath;
    let oldLine = 0;
    for (const line of patch.split('\n')) {
        if (line.startsWith('diff --git ')) {
            current = undefined;
            oldPath = undefined;
        }
        else if (line.startsWith('--- ') && current === undefined) {
            oldPath = diffPath(line.slice(4), 'a/');
        }
        else if (line.startsWith('+++ ') && current === undefined) {
            const newPath = diffPath(line.slice(4), 'b/') ?? oldPath;
            if (oldPath !== undefined && newPath !== undefined) {
                current = { oldPath, newPath, lines: [] };
                result.push(current);
            }
        }
        else if (line.startsWith('@@')) {
            const m = HUNK.exec(line);
            if (m)
                oldLine = Number(m[1]);
        }
        else if (current && line.startsWith('-')) {
            if (!isTrivialLine(current.oldPath, line.slice(1)))
                current.lines.push(oldLine);
            oldLine += 1;
        }
    }
    return result.filter((f) => f.lines.length > 0);
}
/** Collapse ascending line numbers into `-L a,b` ranges. */
function lineRanges(lines) {
    const ranges = [];
    for (const n of lines) {
        const last = ranges[ranges.length - 1];
        if (last && n === last[1] + 1)
            last[1] = n;
        else
            ranges.push([n, n]);
    }
    return ranges;
}
/** Parse `git blame --porcelain`: the commit and its author time for every blamed line. */
function parseBlame(porcelain) {
    const times = new Map();
    const lines = porcelain.split('\n');
    let hash;
    for (const line of lines) {
        if (line.startsWith('\t')) {
            hash = undefined;
            continue;
        }
        if (hash === undefined) {
            const m = /^([0-9a-f]{40,64}) \d+ \d+/.exec(line);
            if (m) {
                hash = m[1];
                if (!times.has(hash))
                    times.set(hash, NaN);
            }
            continue;
        }
        if (line.startsWith('author-time '))
            times.set(hash, Number(line.slice(12)));
    }
    return times;
}
/** The repository's .git-blame-ignore-revs (at the top of the work tree), if any. */
async function findIgnoreRevsFile(repo) {
    let top;
    try {
        top = (await runGit(repo, ['rev-parse', '--show-toplevel'])).trim();
    }
    catch {
        return undefined; // bare repository: no work tree, no file
    }
    const file = (0,external_node_path_.join)(top, '.git-blame-ignore-revs');
    return (0,external_node_fs_.existsSync)(file) ? file : undefined;
}
const ZERO = /^0+$/;
/**
 * Commits that introduced lines the fix deleted or modified, dated strictly before the fix.
 * A root commit (no parent) has nothing to blame.
 */
async function findIntroducers(repo, fix, ignoreRevsFile) {
    const parents = (await runGit(repo, ['rev-list', '--parents', '-n', '1', '--end-of-options', fix.commit, '--'])).trim().split(' ');
    const parent = parents[1];
    const found = new Set();
    if (parent === undefined)
        return found;
    const patch = await runGit(repo, [
        'diff',
        '-U0',
        '-M',
        '--no-color',
        '--no-ext-diff',
        '--no-textconv',
        '--src-prefix=a/',
        '--dst-prefix=b/',
        parent,
        fix.commit,
        '--'
    ]);
    for (const file of parseDeletedLines(patch)) {
        if (fix.files && !fix.files.has(file.newPath) && !fix.files.has(file.oldPath))
            continue;
        const args = ['blame', '--porcelain', '-w'];
        if (ignoreRevsFile)
            args.push('--ignore-revs-file', ignoreRevsFile);
        for (const [a, b] of lineRanges(file.lines))
            args.push('-L', `${a},${b}`);
        args.push(parent, '--', file.oldPath);
        for (const [hash, time] of parseBlame(await runGit(repo, args))) {
            if (!ZERO.test(hash) && time < fix.date)
                found.add(hash);
        }
    }
    return found;
}
/** Map each introducing commit to the fixes that changed its lines. */
async function szz(fixes, opts) {
    const ignoreRevsFile = await findIgnoreRevsFile(opts.repo);
    const fixedBy = new Map();
    const perFix = new Array(fixes.length);
    let next = 0;
    let done = 0;
    const worker = async () => {
        while (next < fixes.length) {
            const i = next++;
            perFix[i] = await findIntroducers(opts.repo, fixes[i], ignoreRevsFile);
            done += 1;
            opts.onProgress?.(done, fixes.length);
        }
    };
    await Promise.all(Array.from({ length: Math.max(1, opts.concurrency ?? 4) }, worker));
    // Fill in input order so fixed_by lists are deterministic.
    fixes.forEach((fix, i) => {
        for (const hash of perFix[i]) {
            const list = fixedBy.get(hash);
            if (list)
                list.push(fix.commit);
            else
                fixedBy.set(hash, [fix.commit]);
        }
    });
    return fixedBy;
}

;// CONCATENATED MODULE: ./lib/git/table.js
/**
 * Mined commits as a PatchTable, so they are scored like a patch file: the rows
 * are laid out with the CSV columns of `patch-risk mine` and validated against
 * the model's features by the same reader, with the same errors.
 */


/** The cells `patch-risk mine` would write for each row (without its formula guard: nothing here is a spreadsheet). */
function commitsToRaw(rows) {
    return {
        columns: [...COMMIT_COLUMNS],
        rows: rows.map((m) => COMMIT_COLUMNS.map((column) => (column === 'files' ? m.files.join(FILES_SEPARATOR) : String(m[column])))),
        // The line each row would have in the mined CSV (header on line 1).
        lines: Int32Array.from(rows, (_, i) => i + 2)
    };
}
/**
 * Validate mined rows against `features` and build the table, ids from the
 * `commit` column. A feature the miner does not produce is a missing column,
 * exactly as when a CSV lacks it.
 */
function commitsToTable(rows, options) {
    return tableFromRaw(options.source ?? 'mined commits', commitsToRaw(rows), { features: options.features, idColumn: 'commit' });
}

;// CONCATENATED MODULE: ./lib/git/index.js
/** Commit mode: change metrics mined from git history, and SZZ labels. */









;// CONCATENATED MODULE: ./lib/model/promote.js
/**
 * Promotion: score a candidate version and the folder's champion on the same
 * labelled holdout and make the candidate the champion only when every gate
 * passes. Evaluating never writes; recordPromotion is the only write, and a
 * blocked promotion never reaches it.
 */






/** Holdout metrics of one version from its scores; the holdout must hold both classes. */
function holdoutMetrics(version, scores, labels, threshold, holdout) {
    const positives = labels.reduce((sum, label) => sum + label, 0);
    if (positives === 0 || positives === labels.length) {
        throw new InputError(holdout, 'the holdout has only one class; judging a model needs rows labelled 0 and 1');
    }
    const confusion = confusionAt(scores, labels, threshold);
    return {
        version,
        roc_auc: rocAuc(scores, labels),
        f1: confusion.f1,
        precision: confusion.precision,
        recall: confusion.recall,
        threshold,
        rows: labels.length,
        positives
    };
}
/** Every gate's verdict for a candidate against the champion (pure). */
function checkGates(candidate, champion, gates) {
    const results = [
        {
            gate: 'min_roc_auc',
            limit: gates.min_roc_auc,
            value: candidate.roc_auc,
            passed: candidate.roc_auc >= gates.min_roc_auc,
            text: `ROC-AUC ${fmt(candidate.roc_auc)}, needs >= ${gates.min_roc_auc}`
        },
        {
            gate: 'min_f1',
            limit: gates.min_f1,
            value: candidate.f1,
            passed: candidate.f1 >= gates.min_f1,
            text: `F1 ${fmt(candidate.f1)} at threshold ${candidate.threshold}, needs >= ${gates.min_f1}`
        }
    ];
    if (champion === undefined) {
        results.push({ gate: 'max_auc_drop', limit: gates.max_auc_drop, value: null, passed: true, text: 'no champion to compare with' });
    }
    else {
        const drop = champion.roc_auc - candidate.roc_auc;
        results.push({
            gate: 'max_auc_drop',
            limit: gates.max_auc_drop,
            value: drop,
            // A rounding hair above the tolerance is not a drop.
            passed: drop <= gates.max_auc_drop + 1e-12,
            text: `ROC-AUC change vs champion ${champion.version} ${drop > 0 ? '-' : '+'}${fmt(Math.abs(drop))}, drop allowed <= ${gates.max_auc_drop}`
        });
    }
    return results;
}
function fmt(value) {
    return value.toFixed(4);
}
/** Score one loaded version on the holdout (read against its own card's features). */
async function evaluateOnHoldout(model, holdout) {
    const card = model.card;
    const table = tableFromRaw(holdout.name, holdout.raw, {
        features: card.features,
        idColumn: card.id_column,
        label: card.label,
        requireLabel: true
    });
    const scores = await scoreFeatures(model, table.features, table.ids.length);
    return holdoutMetrics(card.version, scores, table.labels, card.thresholds.high, holdout.name);
}
/**
 * The version the candidate must beat: the registry's champion, or (a folder
 * with no registry.json yet) the newest version other than the candidate.
 */
function championFor(dir, candidateVersion, registry) {
    if (registry)
        return registry.champion;
    const others = listVersions(dir).filter((version) => version !== candidateVersion);
    return others[others.length - 1];
}
/** Judge a loaded candidate against the folder's champion; writes nothing. */
async function evaluatePromotion(dir, candidate, holdout, overrides = {}) {
    const registry = readRegistry(dir);
    const version = candidate.card.version;
    const championVersion = championFor(dir, version, registry);
    if (championVersion === version)
        throw new ModelError(`${dir}: ${version} is already the champion`);
    const gates = { ...(registry?.gates ?? DEFAULT_GATES), ...definedOnly(overrides) };
    const candidateMetrics = await evaluateOnHoldout(candidate, holdout);
    const champion = championVersion === undefined
        ? undefined
        : await evaluateOnHoldout(await loadModel(external_node_path_.join(dir, `${championVersion}.onnx`)), holdout);
    const results = checkGates(candidateMetrics, champion, gates);
    return {
        dir,
        holdout: holdout.name,
        gates,
        candidate: candidateMetrics,
        champion,
        hadRegistry: registry !== undefined,
        results,
        promoted: results.every((result) => result.passed)
    };
}
function definedOnly(gates) {
    return Object.fromEntries(Object.entries(gates).filter(([, value]) => value !== undefined));
}
function entryMetrics(metrics, holdout) {
    return {
        roc_auc: metrics.roc_auc,
        f1: metrics.f1,
        precision: metrics.precision,
        recall: metrics.recall,
        threshold: metrics.threshold,
        rows: metrics.rows,
        holdout
    };
}
/** Default history reason: what the gates saw. */
function promotionReason(promotion) {
    return `gates passed on ${promotion.holdout}: ${promotion.results.map((result) => result.text).join('; ')}`;
}
/**
 * The registry after a passed promotion (pure): the candidate becomes the
 * champion; a folder's first registry also records the version it served
 * before as the 'initial' entry. The folder's stored gates are kept (flags
 * only override them for one run).
 */
function promotedRegistry(previous, promotion, reason, now) {
    if (!promotion.promoted)
        throw new Error('promotedRegistry: the promotion was blocked');
    const date = now.toISOString();
    const history = previous ? [...previous.history] : [];
    if (!previous && promotion.champion) {
        history.push({
            version: promotion.champion.version,
            date,
            metrics: entryMetrics(promotion.champion, promotion.holdout),
            reason: 'served before the first promotion (the newest version then)',
            action: 'initial'
        });
    }
    history.push({
        version: promotion.candidate.version,
        date,
        metrics: entryMetrics(promotion.candidate, promotion.holdout),
        reason,
        action: 'promoted'
    });
    return { champion: promotion.candidate.version, gates: previous?.gates ?? { ...DEFAULT_GATES }, history };
}
/** Write the new registry for a passed promotion (atomically). */
function recordPromotion(promotion, reason = promotionReason(promotion), now = new Date()) {
    const registry = promotedRegistry(readRegistry(promotion.dir), promotion, reason, now);
    writeRegistry(promotion.dir, registry);
    return registry;
}
/** `promote DIR vNNN`: evaluate the version against the champion and record it when every gate passes. */
async function promoteVersion(dir, version, holdout, options = {}) {
    const versions = listVersions(dir);
    if (!versions.includes(version)) {
        throw new ModelError(`${dir}: version ${version} does not exist (have: ${versions.join(', ') || 'none'})`);
    }
    const candidate = await loadModel(external_node_path_.join(dir, `${version}.onnx`));
    const promotion = await evaluatePromotion(dir, candidate, holdout, options.gates);
    if (promotion.promoted)
        recordPromotion(promotion, options.reason ?? promotionReason(promotion), options.now);
    return promotion;
}
/** A plain-text table of both versions' holdout metrics and each gate's result. */
function renderPromotion(promotion) {
    const rows = [
        ['', 'candidate ' + promotion.candidate.version, promotion.champion ? 'champion ' + promotion.champion.version : 'champion (none)']
    ];
    const metric = (label, pick, digits = 4) => {
        rows.push([label, pick(promotion.candidate).toFixed(digits), promotion.champion ? pick(promotion.champion).toFixed(digits) : '-']);
    };
    metric('ROC-AUC', (m) => m.roc_auc);
    metric('F1', (m) => m.f1);
    metric('precision', (m) => m.precision);
    metric('recall', (m) => m.recall);
    metric('threshold', (m) => m.threshold);
    metric('rows', (m) => m.rows, 0);
    const lines = [`holdout: ${promotion.holdout}`, ...alignColumns(rows), '', 'gates:'];
    for (const result of promotion.results)
        lines.push(`  ${result.passed ? 'PASS' : 'FAIL'}  ${result.gate.padEnd(13)} ${result.text}`);
    return lines.join('\n') + '\n';
}
/** Left-aligned columns separated by two spaces. */
function alignColumns(rows) {
    const widths = rows[0].map((_, c) => Math.max(...rows.map((row) => (row[c] ?? '').length)));
    return rows.map((row) => row
        .map((cell, c) => cell.padEnd(widths[c]))
        .join('  ')
        .trimEnd());
}

;// CONCATENATED MODULE: ./lib/model/drift.js


/** An empty bin's share in PSI (keeps ln(a/e) finite). */
const PSI_EPSILON = 1e-4;
const DEFAULT_DRIFT_THRESHOLDS = Object.freeze({
    psi: { warn: 0.1, alert: 0.25 },
    ks: { warn: 0.15, alert: 0.3 },
    highShare: { warn: 0.05, alert: 0.15 },
    aucDrop: { warn: 0.05, alert: 0.1 },
    f1Drop: { warn: 0.1, alert: 0.2 },
    minRows: 30
});
/** Population stability index of new shares against expected shares (same bins). */
function psi(expected, actual, epsilon = PSI_EPSILON) {
    if (expected.length !== actual.length)
        throw new RangeError(`psi: ${expected.length} expected bins but ${actual.length} actual bins`);
    let sum = 0;
    for (let i = 0; i < expected.length; i++) {
        const e = Math.max(expected[i], epsilon);
        const a = Math.max(actual[i], epsilon);
        sum += (a - e) * Math.log(a / e);
    }
    return sum;
}
/** Baseline CDF at x from quantiles q[k] at probability k/(len−1), linear between; `strict` gives the left limit P(X < x). */
function quantileCdf(quantiles, x, strict = false) {
    const last = quantiles.length - 1;
    const below = (q) => (strict ? q < x : q <= x);
    if (!below(quantiles[0]))
        return 0;
    if (!strict && x >= quantiles[last])
        return 1;
    if (strict && x > quantiles[last])
        return 1;
    let k = 0;
    while (k + 1 <= last && below(quantiles[k + 1]))
        k++;
    // q[k] is below x and q[k+1] is not, so q[k+1] > q[k] and the fraction is in [0, 1].
    const fraction = (x - quantiles[k]) / (quantiles[k + 1] - quantiles[k]);
    return (k + Math.min(1, Math.max(0, fraction))) / last;
}
/**
 * KS statistic between the sample's ECDF and the baseline's piecewise-linear
 * quantile CDF. Between two sample values the ECDF is flat and the baseline
 * CDF rises, so the supremum is reached at a sample value (right side) or
 * just below one (left limits); checking both at each distinct value is exact.
 */
function ksAgainstQuantiles(values, quantiles) {
    const n = values.length;
    if (n === 0)
        return NaN;
    const sorted = Float64Array.from(values).sort();
    let d = 0;
    let i = 0;
    while (i < n) {
        const x = sorted[i];
        let j = i;
        while (j < n && sorted[j] === x)
            j++;
        d = Math.max(d, Math.abs(j / n - quantileCdf(quantiles, x)), Math.abs(i / n - quantileCdf(quantiles, x, true)));
        i = j;
    }
    return d;
}
function levelOf(value, edges) {
    if (!(value < edges.alert))
        return 'alert';
    if (value >= edges.warn)
        return 'warn';
    return 'ok';
}
const RANK = { 'n/a': -1, ok: 0, warn: 1, alert: 2 };
function worst(levels) {
    let result = 'ok';
    for (const level of levels)
        if (level !== 'n/a' && RANK[level] > RANK[result])
            result = level;
    return result;
}
function column(table, feature) {
    const width = table.featureNames.length;
    const values = new Float64Array(table.ids.length);
    for (let r = 0; r < values.length; r++)
        values[r] = table.features[r * width + feature];
    return values;
}
function mean(values) {
    let sum = 0;
    for (let i = 0; i < values.length; i++)
        sum += values[i];
    return values.length === 0 ? NaN : sum / values.length;
}
function valueCheck(baseline, now, drop, edges, judged) {
    const change = now - baseline;
    const judgedValue = drop ? -change : Math.abs(change);
    return { baseline, now, change, level: judged ? levelOf(judgedValue, edges) : 'n/a' };
}
/**
 * Drift of scored rows against the card's baseline (pure). `table` must hold
 * the card's features (read against the card); `scores` the model's scores
 * for its rows, in order.
 */
function driftReport(card, table, scores, thresholds = {}) {
    const t = { ...DEFAULT_DRIFT_THRESHOLDS, ...thresholds };
    const n = table.ids.length;
    if (scores.length !== n)
        throw new RangeError(`driftReport: ${scores.length} scores for ${n} rows`);
    const judged = n >= t.minRows;
    const ksCritical = 1.36 / Math.sqrt(Math.max(1, n));
    const features = card.features.map((spec) => {
        const index = table.featureNames.indexOf(spec.name);
        const baseline = card.baseline.features[spec.name];
        if (index < 0)
            throw new RangeError(`driftReport: the table has no column for the card's feature "${spec.name}"`);
        if (!baseline)
            throw new RangeError(`driftReport: the card has no baseline for the feature "${spec.name}"`);
        const values = column(table, index);
        const featurePsi = psi(baseline.decile_shares, binShares(values, baseline.quantiles));
        const ks = ksAgainstQuantiles(values, baseline.quantiles);
        return {
            feature: spec.name,
            psi: featurePsi,
            psi_level: judged ? levelOf(featurePsi, t.psi) : 'n/a',
            ks,
            ks_level: !judged ? 'n/a' : ks < ksCritical ? 'ok' : levelOf(ks, t.ks),
            baseline_mean: baseline.mean,
            mean: mean(values)
        };
    });
    let high = 0;
    for (let i = 0; i < n; i++)
        if (scores[i] >= card.thresholds.high)
            high++;
    const baseShare = card.baseline.high_share;
    const shareNow = n === 0 ? 0 : high / n;
    const standardError = Math.sqrt((baseShare * (1 - baseShare)) / Math.max(1, n));
    const shareCheck = valueCheck(baseShare, shareNow, false, t.highShare, judged);
    if (shareCheck.level !== 'n/a' && Math.abs(shareCheck.change) < 2 * standardError)
        shareCheck.level = 'ok';
    let performance;
    const labels = table.labels;
    if (labels) {
        const positives = labels.reduce((sum, label) => sum + label, 0);
        if (positives > 0 && positives < labels.length) {
            performance = {
                roc_auc: valueCheck(card.metrics.roc_auc, rocAuc(scores, labels), true, t.aucDrop, judged),
                f1: valueCheck(card.metrics.f1, confusionAt(scores, labels, card.thresholds.high).f1, true, t.f1Drop, judged)
            };
        }
    }
    const levels = [
        ...features.flatMap((f) => [f.psi_level, f.ks_level]),
        shareCheck.level,
        ...(performance ? [performance.roc_auc.level, performance.f1.level] : [])
    ];
    const level = worst(levels);
    const performanceWorse = performance !== undefined && worst([performance.roc_auc.level, performance.f1.level]) !== 'ok';
    const retrain = level === 'alert' || performanceWorse;
    return {
        model: { name: card.name, version: card.version },
        rows: n,
        features,
        high_share: shareCheck,
        performance,
        level,
        retrain_recommended: retrain,
        verdict: verdictText(judged, n, t.minRows, level, retrain, features, shareCheck, performance)
    };
}
function verdictText(judged, n, minRows, level, retrain, features, share, performance) {
    if (!judged)
        return `too few rows to judge drift (${n} < ${minRows}): no retraining signal`;
    const flagged = [
        ...features.filter((f) => f.psi_level !== 'ok' || f.ks_level !== 'ok').map((f) => f.feature),
        ...(share.level === 'ok' ? [] : ['high-risk share']),
        ...(performance && performance.roc_auc.level !== 'ok' ? ['ROC-AUC'] : []),
        ...(performance && performance.f1.level !== 'ok' ? ['F1'] : [])
    ];
    if (level === 'ok')
        return 'no drift beyond warn: retraining not needed';
    return `${retrain ? 'retrain recommended' : 'retraining not needed yet'}: ${level} on ${flagged.join(', ')}`;
}

;// CONCATENATED MODULE: ./lib/model/drift-render.js

const MARK = { ok: 'ok', warn: '⚠️ warn', alert: '🚨 alert', 'n/a': 'n/a' };
function f4(value) {
    return Number.isFinite(value) ? value.toFixed(4) : String(value);
}
function signed(value) {
    return `${value >= 0 ? '+' : ''}${f4(value)}`;
}
function checkRows(report) {
    return [
        { name: 'high-risk share', check: report.high_share },
        ...(report.performance
            ? [
                { name: 'ROC-AUC (labels)', check: report.performance.roc_auc },
                { name: 'F1 (labels)', check: report.performance.f1 }
            ]
            : [])
    ];
}
function renderDriftText(report) {
    const featureRows = [
        ['feature', 'PSI', 'level', 'KS', 'level', 'mean (baseline)', 'mean (now)'],
        ...report.features.map((f) => [f.feature, f4(f.psi), f.psi_level, f4(f.ks), f.ks_level, f4(f.baseline_mean), f4(f.mean)])
    ];
    const otherRows = [
        ['check', 'baseline', 'now', 'change', 'level'],
        ...checkRows(report).map(({ name, check }) => [name, f4(check.baseline), f4(check.now), signed(check.change), check.level])
    ];
    return ([
        `drift of ${report.rows} rows against ${report.model.name} ${report.model.version}`,
        '',
        ...alignColumns(featureRows),
        '',
        ...alignColumns(otherRows),
        '',
        `overall: ${report.level} — ${report.verdict}`
    ].join('\n') + '\n');
}
function renderDriftMarkdown(report) {
    const lines = [
        `### Drift against ${report.model.name} ${report.model.version}`,
        '',
        `**${MARK[report.level]}** — ${report.verdict} (${report.rows} rows)`,
        '',
        '| feature | PSI | | KS | | mean (baseline) | mean (now) |',
        '|---|---:|---|---:|---|---:|---:|',
        ...report.features.map((f) => `| ${f.feature} | ${f4(f.psi)} | ${MARK[f.psi_level]} | ${f4(f.ks)} | ${MARK[f.ks_level]} | ${f4(f.baseline_mean)} | ${f4(f.mean)} |`),
        '',
        '| check | baseline | now | change | |',
        '|---|---:|---:|---:|---|',
        ...checkRows(report).map(({ name, check }) => `| ${name} | ${f4(check.baseline)} | ${f4(check.now)} | ${signed(check.change)} | ${MARK[check.level]} |`)
    ];
    return lines.join('\n') + '\n';
}

// EXTERNAL MODULE: external "node:os"
var external_node_os_ = __webpack_require__(8161);
;// CONCATENATED MODULE: ./lib/model/retrain.js
/**
 * Retraining: order the data in time, train the next version on the older
 * part, judge it against the champion on the newest part, and add it to the
 * folder only when the promotion gates pass (a blocked candidate is never
 * written into the folder).
 */









const retrain_NUMBER_TEXT = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
/**
 * Rows sorted oldest first by a time column: numbers (e.g. epoch seconds)
 * when every cell is one, else dates Date.parse understands (ISO 8601).
 * Stable: rows with the same time keep their file order.
 */
function sortByTime(raw, column, file) {
    const index = raw.columns.indexOf(column);
    if (index < 0)
        throw new InputError(file, `no time column "${column}" (columns: ${raw.columns.join(', ')})`);
    const cells = raw.rows.map((row) => row[index].trim());
    const numeric = cells.every((cell) => retrain_NUMBER_TEXT.test(cell));
    const times = cells.map((cell, r) => {
        const time = numeric ? Number(cell) : Date.parse(cell);
        if (!Number.isFinite(time)) {
            throw new InputError(file, `expected a date (e.g. 2024-05-01T12:00:00Z) or a number, found ${JSON.stringify(cell)} (line ${raw.lines[r]})`, {
                row: r + 1,
                column
            });
        }
        return time;
    });
    const order = raw.rows.map((_, r) => r).sort((a, b) => times[a] - times[b] || a - b);
    return { columns: raw.columns, rows: order.map((r) => raw.rows[r]), lines: Int32Array.from(order, (r) => raw.lines[r]) };
}
/** The older rows (training) and the newest `fraction` of rows (holdout), in order. */
function splitNewest(raw, fraction) {
    const n = raw.rows.length;
    const cut = n - Math.max(1, Math.round(n * fraction));
    const part = (start, end) => ({
        columns: raw.columns,
        rows: raw.rows.slice(start, end),
        lines: raw.lines.slice(start, end)
    });
    return { older: part(0, cut), newest: part(cut, n) };
}
/** A numeric time column (e.g. epoch seconds of mined commits) orders the rows; it is never a feature. */
function withoutColumn(schema, column) {
    return column === undefined ? schema : { ...schema, features: schema.features.filter((feature) => feature.name !== column) };
}
/** Retrain the folder's model on `raw` (from `file`) and promote the candidate through the gates. */
async function retrainModel(dir, raw, file, options) {
    const ordered = options.timeColumn ? sortByTime(raw, options.timeColumn, file) : raw;
    const { older, newest } = splitNewest(ordered, options.holdoutFraction);
    if (older.rows.length < 20)
        throw new InputError(file, `only ${older.rows.length} rows to train on after holding out the newest ${newest.rows.length}; retraining needs more data`);
    const championName = championVersion(dir);
    const championCard = championName === undefined ? undefined : await readModelCard(external_node_path_.join(dir, `${championName}.card.json`));
    const schema = championCard
        ? {
            features: championCard.features,
            label: championCard.label,
            idColumn: championCard.id_column,
            controllable: championCard.controllable
        }
        : withoutColumn(chooseSchema(older, file, options.label, options.idColumn), options.timeColumn);
    const table = tableFromRaw(file, older, {
        features: schema.features,
        idColumn: schema.idColumn,
        label: schema.label,
        requireLabel: true
    });
    const version = nextVersion(dir);
    const name = championCard?.name ?? external_node_path_.basename(external_node_path_.resolve(dir));
    const dataName = external_node_path_.basename(file);
    const candidate = trainModel(table, schema, {
        name,
        description: championCard?.description,
        validationFraction: 0.2,
        split: 'time',
        seed: options.seed,
        data: dataName,
        provenance: `patch-risk retrain ${dataName} --dir ${dir}: trained on the ${older.rows.length} oldest rows${options.timeColumn ? ` by ${options.timeColumn}` : ' in file order'}, judged on the newest ${newest.rows.length} (seed ${options.seed})`,
        controllable: schema.controllable
    }, version, options.now);
    // The candidate is judged from a scratch folder, so a blocked one never enters the model folder.
    const scratch = await (0,promises_.mkdtemp)(external_node_path_.join((0,external_node_os_.tmpdir)(), 'patch-risk-retrain-'));
    try {
        const written = await writeModelVersion(scratch, candidate);
        const promotion = await evaluatePromotion(dir, await loadModel(written.onnxPath), { raw: newest, name: `${dataName} (newest ${newest.rows.length} rows)` }, options.gates);
        if (promotion.promoted) {
            await writeModelVersion(dir, candidate);
            recordPromotion(promotion, `retrained on the ${older.rows.length} oldest rows of ${dataName}; ${promotionReason(promotion)}`, options.now);
        }
        return { candidate, trainRows: older.rows.length, holdoutRows: newest.rows.length, promotion };
    }
    finally {
        await (0,promises_.rm)(scratch, { recursive: true, force: true });
    }
}

;// CONCATENATED MODULE: ./lib/model/shadow.js
/** 1-based ranks with ties sharing their average rank. */
function averageRanks(values) {
    const n = values.length;
    const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => values[a] - values[b] || a - b);
    const ranks = new Float64Array(n);
    let i = 0;
    while (i < n) {
        let j = i;
        while (j + 1 < n && values[order[j + 1]] === values[order[i]])
            j++;
        const rank = (i + j) / 2 + 1;
        for (let k = i; k <= j; k++)
            ranks[order[k]] = rank;
        i = j + 1;
    }
    return ranks;
}
/** Spearman's rho: the Pearson correlation of the average ranks; null when undefined. */
function spearman(a, b) {
    if (a.length !== b.length)
        throw new RangeError(`spearman: ${a.length} values against ${b.length}`);
    const n = a.length;
    if (n < 2)
        return null;
    const ra = averageRanks(a);
    const rb = averageRanks(b);
    const mean = (n + 1) / 2;
    let cov = 0;
    let va = 0;
    let vb = 0;
    for (let i = 0; i < n; i++) {
        cov += (ra[i] - mean) * (rb[i] - mean);
        va += (ra[i] - mean) ** 2;
        vb += (rb[i] - mean) ** 2;
    }
    return va === 0 || vb === 0 ? null : cov / Math.sqrt(va * vb);
}
function modelOf(summary) {
    return { name: summary.name, version: summary.version, threshold: summary.threshold };
}
/** Compare the challenger's scores and decisions with the champion's on the same patches (same rows, same order). */
function compareChallenger(champion, challenger) {
    const a = champion.plan.patches;
    const b = challenger.plan.patches;
    if (a.length !== b.length)
        throw new RangeError(`compareChallenger: the champion scored ${a.length} patches but the challenger ${b.length}`);
    const differing = [];
    for (let i = 0; i < a.length; i++) {
        if (a[i].high_risk !== b[i].high_risk) {
            differing.push({
                id: a[i].id,
                champion_score: a[i].risk_score,
                champion_high_risk: a[i].high_risk,
                challenger_score: b[i].risk_score,
                challenger_high_risk: b[i].high_risk
            });
        }
    }
    return {
        champion: modelOf(champion.model),
        challenger: modelOf(challenger.model),
        patches: a.length,
        agreement: a.length === 0 ? 1 : (a.length - differing.length) / a.length,
        spearman: spearman(champion.scores, challenger.scores),
        differing
    };
}
function describe(model) {
    return `${model.name} ${model.version}`;
}
function rho(comparison) {
    return comparison.spearman === null ? 'n/a' : comparison.spearman.toFixed(4);
}
/** Plain text (stderr beside CSV output); lists at most `limit` differing patches. */
function renderChallengerText(comparison, limit = 20) {
    const lines = [
        `challenger ${describe(comparison.challenger)} (shadow; the decision is ${describe(comparison.champion)}'s):`,
        `  decision agreement ${(comparison.agreement * 100).toFixed(1)}% of ${comparison.patches} patches, Spearman rank correlation ${rho(comparison)}`
    ];
    if (comparison.differing.length === 0)
        lines.push('  no patch has a different decision');
    else {
        lines.push(`  ${comparison.differing.length} patch(es) decided differently (id: champion score/high → challenger score/high):`);
        for (const d of comparison.differing.slice(0, limit)) {
            lines.push(`    ${d.id}: ${d.champion_score.toFixed(4)}/${d.champion_high_risk} → ${d.challenger_score.toFixed(4)}/${d.challenger_high_risk}`);
        }
        if (comparison.differing.length > limit)
            lines.push(`    … and ${comparison.differing.length - limit} more`);
    }
    return lines.join('\n') + '\n';
}
/** A Markdown section for reports, PR comments and job summaries. */
function renderChallengerMarkdown(comparison, limit = 20) {
    const lines = [
        `### Challenger ${describe(comparison.challenger)} (shadow)`,
        '',
        `The gate's decision is the champion's (${describe(comparison.champion)}); the challenger is only compared.`,
        '',
        `- Decision agreement: **${(comparison.agreement * 100).toFixed(1)}%** of ${comparison.patches} patches`,
        `- Spearman rank correlation of scores: **${rho(comparison)}**`,
        ''
    ];
    if (comparison.differing.length === 0)
        lines.push('No patch has a different decision.');
    else {
        lines.push('| patch | champion score | champion high risk | challenger score | challenger high risk |', '|---|---:|---:|---:|---:|');
        for (const d of comparison.differing.slice(0, limit)) {
            lines.push(`| ${d.id.replace(/\|/g, '\\|')} | ${d.champion_score.toFixed(4)} | ${d.champion_high_risk} | ${d.challenger_score.toFixed(4)} | ${d.challenger_high_risk} |`);
        }
        if (comparison.differing.length > limit)
            lines.push('', `… and ${comparison.differing.length - limit} more.`);
    }
    return lines.join('\n') + '\n';
}

;// CONCATENATED MODULE: ./lib/model/shap-path.js
function createPathBuffer(size) {
    return { feature: new Int32Array(size), zero: new Float64Array(size), one: new Float64Array(size), weight: new Float64Array(size) };
}
/** Slots needed for the recursion on trees of at most `maxDepth` (root = depth 0). */
function pathBufferSize(maxDepth) {
    const levels = maxDepth + 3;
    return (levels * (levels + 1)) / 2;
}
/** Append (zero, one, feature) at position `depth` of the path at `start` and update the permutation weights. */
function extendPath(p, start, depth, zero, one, feature) {
    const w = p.weight;
    p.feature[start + depth] = feature;
    p.zero[start + depth] = zero;
    p.one[start + depth] = one;
    w[start + depth] = depth === 0 ? 1 : 0;
    const n = depth + 1;
    for (let i = depth - 1; i >= 0; i--) {
        w[start + i + 1] += (one * w[start + i] * (i + 1)) / n;
        w[start + i] = (zero * w[start + i] * (depth - i)) / n;
    }
}
/** Remove element `index` from the path (inverse of extendPath); the path then has `depth` - 1 as its last position. */
function unwindPath(p, start, depth, index) {
    const w = p.weight;
    const one = p.one[start + index];
    const zero = p.zero[start + index];
    const n = depth + 1;
    let nextOne = w[start + depth];
    for (let i = depth - 1; i >= 0; i--) {
        if (one !== 0) {
            const kept = w[start + i];
            w[start + i] = (nextOne * n) / ((i + 1) * one);
            nextOne = kept - (w[start + i] * zero * (depth - i)) / n;
        }
        else {
            w[start + i] = (w[start + i] * n) / (zero * (depth - i));
        }
    }
    for (let i = index; i < depth; i++) {
        p.feature[start + i] = p.feature[start + i + 1];
        p.zero[start + i] = p.zero[start + i + 1];
        p.one[start + i] = p.one[start + i + 1];
    }
}
/** Total permutation weight the path would have without element `index` (unwindPath without changing the path). */
function unwoundPathSum(p, start, depth, index) {
    const w = p.weight;
    const one = p.one[start + index];
    const zero = p.zero[start + index];
    const n = depth + 1;
    let nextOne = w[start + depth];
    let total = 0;
    for (let i = depth - 1; i >= 0; i--) {
        if (one !== 0) {
            const part = (nextOne * n) / ((i + 1) * one);
            total += part;
            nextOne = w[start + i] - (part * zero * (depth - i)) / n;
        }
        else {
            total += (w[start + i] / zero) * (n / (depth - i));
        }
    }
    return total;
}
/** Share of the parent's cover that goes to the child; 0 under a node training never reached. */
function coverRatio(child, parent) {
    return parent > 0 ? child / parent : 0;
}

;// CONCATENATED MODULE: ./lib/model/shap-recursive.js

/** Add the tree's SHAP values for the row at state.xOffset into state.phi (at state.phiOffset). */
function addTreeShapRecursive(state) {
    recurse(state, 0, 0, 0, 1, 1, -1);
}
function recurse(s, node, depth, parentStart, zero, one, feature) {
    // Every coalition gives this subtree weight 0: nothing to attribute (and unwinding it would divide by 0).
    if (zero === 0 && one === 0)
        return;
    const p = s.path;
    const start = depth === 0 ? parentStart : parentStart + depth + 1;
    if (depth > 0) {
        p.feature.copyWithin(start, parentStart, parentStart + depth);
        p.zero.copyWithin(start, parentStart, parentStart + depth);
        p.one.copyWithin(start, parentStart, parentStart + depth);
        p.weight.copyWithin(start, parentStart, parentStart + depth);
    }
    extendPath(p, start, depth, zero, one, feature);
    const tree = s.tree;
    const split = tree.feature[node];
    if (split < 0) {
        const value = tree.value[node];
        // Position 0 is the root's placeholder (feature -1, fractions 1): a null player.
        for (let i = 1; i <= depth; i++) {
            const w = unwoundPathSum(p, start, depth, i);
            s.phi[s.phiOffset + p.feature[start + i]] += w * (p.one[start + i] - p.zero[start + i]) * value;
        }
        return;
    }
    const goLeft = s.x[s.xOffset + split] <= tree.threshold[node];
    const hot = goLeft ? tree.left[node] : tree.right[node];
    const cold = goLeft ? tree.right[node] : tree.left[node];
    const cover = tree.cover[node];
    let inZero = 1;
    let inOne = 1;
    let d = depth;
    for (let i = 1; i <= d; i++) {
        if (p.feature[start + i] === split) {
            inZero = p.zero[start + i];
            inOne = p.one[start + i];
            unwindPath(p, start, d, i);
            d--;
            break;
        }
    }
    recurse(s, hot, d + 1, start, coverRatio(tree.cover[hot], cover) * inZero, inOne, split);
    recurse(s, cold, d + 1, start, coverRatio(tree.cover[cold], cover) * inZero, 0, split);
}

;// CONCATENATED MODULE: ./lib/model/shap-table.js

function leafPaths(tree) {
    const out = [];
    const walk = (node, nodes, lefts) => {
        if (tree.feature[node] < 0) {
            out.push({ leaf: node, nodes: nodes.slice(), lefts: lefts.slice() });
            return;
        }
        nodes.push(node);
        lefts.push(true);
        walk(tree.left[node], nodes, lefts);
        lefts[lefts.length - 1] = false;
        walk(tree.right[node], nodes, lefts);
        nodes.pop();
        lefts.pop();
    };
    walk(0, [], []);
    return out;
}
/** Distinct features on a path (first-seen order) with their merged zero fractions, and each step's position among them. */
function distinctFeatures(tree, path) {
    const features = [];
    const zeros = [];
    const positions = [];
    path.nodes.forEach((node, k) => {
        const child = path.lefts[k] ? tree.left[node] : tree.right[node];
        const ratio = coverRatio(tree.cover[child], tree.cover[node]);
        let j = features.indexOf(tree.feature[node]);
        if (j < 0) {
            j = features.length;
            features.push(tree.feature[node]);
            zeros.push(1);
        }
        zeros[j] *= ratio;
        positions.push(j);
    });
    return { features, zeros, positions };
}
/** Doubles the tables would take; callers compare it with their memory budget before building. */
function leafTableSize(tree) {
    let total = 0;
    for (const path of leafPaths(tree)) {
        const d = new Set(path.nodes.map((node) => tree.feature[node])).size;
        total += 2 ** d * d;
    }
    return total;
}
function buildLeafTables(tree) {
    const paths = leafPaths(tree);
    const info = paths.map((path) => distinctFeatures(tree, path));
    const nLeaves = paths.length;
    const dims = new Int32Array(nLeaves);
    const featureStart = new Int32Array(nLeaves + 1);
    const tableStart = new Float64Array(nLeaves + 1);
    for (let l = 0; l < nLeaves; l++) {
        const d = info[l].features.length;
        dims[l] = d;
        featureStart[l + 1] = featureStart[l] + d;
        tableStart[l + 1] = tableStart[l] + 2 ** d * d;
    }
    const features = new Int32Array(featureStart[nLeaves]);
    const bit = new Int32Array(tree.feature.length);
    const leafOf = new Int32Array(tree.feature.length).fill(-1);
    const tables = new Float64Array(tableStart[nLeaves]);
    let maxD = 0;
    for (const d of dims)
        maxD = Math.max(maxD, d);
    const path = createPathBuffer(pathBufferSize(maxD));
    for (let l = 0; l < nLeaves; l++) {
        const { features: fs, zeros, positions } = info[l];
        features.set(fs, featureStart[l]);
        leafOf[paths[l].leaf] = l;
        paths[l].nodes.forEach((node, k) => (bit[node] = 1 << positions[k]));
        fillLeafTable(path, Float64Array.from(zeros), tree.value[paths[l].leaf], tables, tableStart[l]);
    }
    return { bit, leafOf, dims, featureStart, features, tableStart, tables };
}
/**
 * One leaf's table: for every mask, the path with feature j's one fraction = bit j of the mask. The
 * masks are enumerated as a binary tree over the features, so masks sharing their first j bits share
 * the path extended that far (each level works on its own slice of the path buffer, as the recursion).
 */
function fillLeafTable(path, zeros, value, tables, start) {
    const d = zeros.length;
    extendPath(path, 0, 0, 1, 1, -1);
    const extend = (j, parentStart, mask) => {
        if (j === d) {
            const base = start + mask * d;
            for (let i = 0; i < d; i++)
                tables[base + i] = unwoundPathSum(path, parentStart, d, i + 1) * (((mask >> i) & 1) - zeros[i]) * value;
            return;
        }
        // Slices: level j (path length j + 1) starts after the slices of levels 0 .. j - 1.
        const levelStart = parentStart + j + 1;
        for (let one = 0; one <= 1; one++) {
            // A feature absent from the row's branch with no training cover zeroes every coalition: the entries stay 0.
            if (one === 0 && zeros[j] === 0)
                continue;
            path.feature.copyWithin(levelStart, parentStart, parentStart + j + 1);
            path.zero.copyWithin(levelStart, parentStart, parentStart + j + 1);
            path.one.copyWithin(levelStart, parentStart, parentStart + j + 1);
            path.weight.copyWithin(levelStart, parentStart, parentStart + j + 1);
            extendPath(path, levelStart, j + 1, zeros[j], one, j);
            extend(j + 1, levelStart, mask | (one << j));
        }
    };
    extend(0, 0, 0);
}

;// CONCATENATED MODULE: ./lib/model/shap-ranks.js
function thresholdRanks(trees, nf) {
    const sets = Array.from({ length: nf }, () => new Set());
    for (const tree of trees) {
        // + 0 makes -0 and 0 one threshold (x <= -0 and x <= 0 agree for every x).
        for (let node = 0; node < tree.feature.length; node++)
            if (tree.feature[node] >= 0)
                sets[tree.feature[node]].add(tree.threshold[node] + 0);
    }
    return { thresholds: sets.map((set) => Float64Array.from(set).sort()) };
}
/** How many of the ascending thresholds x does not satisfy (x <= t is false for the first ones only). */
function rankOf(thresholds, x) {
    let lo = 0;
    let hi = thresholds.length;
    while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (x <= thresholds[mid])
            hi = mid;
        else
            lo = mid + 1;
    }
    return lo;
}
/** The rank of a split's threshold among its feature's. */
function splitRank(ranks, tree, node) {
    return rankOf(ranks.thresholds[tree.feature[node]], tree.threshold[node]);
}
/** Ranks of nRows rows of X (row-major, nf columns), column-major: out[f * nRows + r]. */
function rankColumns(ranks, X, nRows, nf) {
    const out = new Int32Array(nRows * nf);
    for (let f = 0; f < nf; f++) {
        const t = ranks.thresholds[f];
        for (let r = 0; r < nRows; r++)
            out[f * nRows + r] = rankOf(t, X[r * nf + f]);
    }
    return out;
}

;// CONCATENATED MODULE: ./lib/model/shap-subtree.js


/** Most state combinations one subtree table may have. */
const STATE_LIMIT = 4096;
/** Rows explained together; a block's table offsets stay in L1. */
const BLOCK_ROWS = 256;
/** An upper bound no rank reaches (a small integer, so the bounds stay integers for V8). */
const ANY_RANK = 0x7fffffff;
function featureState(feature, onPath, lo, hi) {
    return { feature, onPath, lo, hi, cuts: [], radix: 1 };
}
function rankedTree(tree, ranks) {
    const rank = new Int32Array(tree.feature.length);
    for (let node = 0; node < rank.length; node++)
        if (tree.feature[node] >= 0)
            rank[node] = splitRank(ranks, tree, node);
    return { tree, rank };
}
/** The subtree at root below a path (its features with their bounds: FeatureState with empty cuts). */
function subtreeAt(t, root, path) {
    const { tree, rank } = t;
    const features = path.map((fs) => featureState(fs.feature, true, fs.lo, fs.hi));
    const stack = [root];
    while (stack.length > 0) {
        const node = stack.pop();
        const f = tree.feature[node];
        if (f < 0)
            continue;
        let fs = features.find((x) => x.feature === f);
        if (!fs) {
            fs = featureState(f, false, -1, ANY_RANK);
            features.push(fs);
        }
        if (!fs.cuts.includes(rank[node]))
            fs.cuts.push(rank[node]);
        stack.push(tree.right[node], tree.left[node]);
    }
    let states = 1;
    for (const fs of features) {
        fs.cuts.sort((a, b) => a - b);
        fs.radix = (fs.onPath ? 2 : 1) * (fs.cuts.length + 1);
        states *= fs.radix;
    }
    return { root, features, onPath: path.length, states };
}
/** The path below node (as subtreeAt takes it): the node's split taken left or right added to the bounds. */
function childPath(t, s, left) {
    const f = t.tree.feature[s.root];
    const rank = t.rank[s.root];
    const path = s.features.slice(0, s.onPath);
    const at = path.findIndex((fs) => fs.feature === f);
    const bound = at >= 0 ? path[at] : { lo: -1, hi: ANY_RANK };
    const next = left ? featureState(f, true, bound.lo, Math.min(bound.hi, rank)) : featureState(f, true, Math.max(bound.lo, rank), bound.hi);
    if (at >= 0)
        path[at] = next;
    else
        path.push(next);
    return path;
}
/** The highest subtrees with at most STATE_LIMIT states (or single leaves): every leaf is in exactly one. */
function subtrees(t) {
    const out = [];
    const walk = (s) => {
        if (t.tree.feature[s.root] < 0 || s.states <= STATE_LIMIT) {
            out.push(s);
            return;
        }
        walk(subtreeAt(t, t.tree.left[s.root], childPath(t, s, true)));
        walk(subtreeAt(t, t.tree.right[s.root], childPath(t, s, false)));
    };
    walk(subtreeAt(t, 0, []));
    return out;
}
/** Size of the subtree tables: table entries (doubles) and look-up entries (ints); callers compare it with their memory budget before building. */
function subtreeTableSize(tree, ranks) {
    let entries = 0;
    let lookups = 0;
    for (const s of subtrees(rankedTree(tree, ranks))) {
        entries += s.states * s.features.length;
        for (const fs of s.features)
            lookups += ranks.thresholds[fs.feature].length + 1;
    }
    return { entries, lookups };
}
function buildSubtreeTables(tree, ranks, leafTables = buildLeafTables(tree)) {
    const ranked = rankedTree(tree, ranks);
    const list = subtrees(ranked).filter((s) => s.features.length > 0);
    const featureStart = new Int32Array(list.length + 1);
    let nLookups = 0;
    let nEntries = 0;
    list.forEach((s, k) => {
        featureStart[k + 1] = featureStart[k] + s.features.length;
        for (const fs of s.features)
            nLookups += ranks.thresholds[fs.feature].length + 1;
        nEntries += s.states * s.features.length;
    });
    const features = new Int32Array(featureStart[list.length]);
    const lookupStart = new Int32Array(features.length + 1);
    const lookups = new Int32Array(nLookups);
    const tables = new Float64Array(nEntries);
    let tableStart = 0;
    list.forEach((s, k) => {
        const width = s.features.length;
        let stride = width;
        s.features.forEach((fs, u) => {
            const i = featureStart[k] + u;
            features[i] = fs.feature;
            const n = ranks.thresholds[fs.feature].length + 1;
            lookupStart[i + 1] = lookupStart[i] + n;
            for (let rank = 0; rank < n; rank++)
                lookups[lookupStart[i] + rank] = (u === 0 ? tableStart : 0) + stateOf(fs, rank) * stride;
            stride *= fs.radix;
        });
        fillSubtreeTable(ranked, leafTables, s, tables.subarray(tableStart, tableStart + s.states * width));
        tableStart += s.states * width;
    });
    return { featureStart, features, lookupStart, lookups, tables };
}
/** A feature's state for a row of that rank: (satisfies the path's splits) x (cuts.length + 1) + cuts it fails. */
function stateOf(fs, rank) {
    let failed = 0;
    while (failed < fs.cuts.length && rank > fs.cuts[failed])
        failed++;
    return fs.onPath && fs.lo < rank && rank <= fs.hi ? fs.cuts.length + 1 + failed : failed;
}
/**
 * Fill the table of subtree s (states x features, as in SubtreeTables; out starts zeroed). A leaf's is
 * its leaf table: its features are its path's, each with the two states "split not satisfied /
 * satisfied", so the state offset is the leaf table's mask. An inner node's entries are its
 * children's, each looked up at the states the child sees.
 */
function fillSubtreeTable(t, leafTables, s, out) {
    const node = s.root;
    if (t.tree.feature[node] < 0) {
        out.set(leafTable(leafTables, node));
        return;
    }
    for (const left of [true, false]) {
        const child = subtreeAt(t, left ? t.tree.left[node] : t.tree.right[node], childPath(t, s, left));
        let table;
        if (t.tree.feature[child.root] < 0)
            table = leafTable(leafTables, child.root);
        else {
            table = new Float64Array(child.states * child.features.length);
            fillSubtreeTable(t, leafTables, child, table);
        }
        addChildRows(s, child, t.tree.feature[node], t.rank[node], left, table, out);
    }
}
function leafTable(leafTables, node) {
    const l = leafTables.leafOf[node];
    return leafTables.tables.subarray(leafTables.tableStart[l], leafTables.tableStart[l + 1]);
}
/**
 * Add the child's table rows to every entry of the parent's table (out), looked up at the states the
 * child sees: per parent feature, the child's part of the offset for each of its states (0 when the
 * child does not split on it), summed as the parent's states are counted through.
 */
function addChildRows(s, child, split, rank, left, table, out) {
    const width = s.features.length;
    // slot[j]: the parent's position of the child's feature j; part[partStart[u] + state]: see above.
    const slot = new Int32Array(child.features.length);
    const radix = Int32Array.from(s.features, (fs) => fs.radix);
    const partStart = new Int32Array(width + 1);
    for (let u = 0; u < width; u++)
        partStart[u + 1] = partStart[u] + radix[u];
    const part = new Int32Array(partStart[width]);
    let stride = child.features.length;
    child.features.forEach((fc, j) => {
        const u = s.features.findIndex((fp) => fp.feature === fc.feature);
        slot[j] = u;
        const fp = s.features[u];
        const parentCuts = fp.cuts.length + 1;
        const position = fc.feature === split ? fp.cuts.indexOf(rank) : -1;
        for (let state = 0; state < fp.radix; state++) {
            const failed = state % parentCuts;
            let satisfied = !fp.onPath || state >= parentCuts;
            if (position >= 0)
                satisfied &&= failed <= position === left;
            // The child's cuts are among the parent's: it fails those among the parent's first `failed`.
            let childFailed = 0;
            while (failed > 0 && childFailed < fc.cuts.length && fc.cuts[childFailed] <= fp.cuts[failed - 1])
                childFailed++;
            part[partStart[u] + state] = (fc.onPath && satisfied ? fc.cuts.length + 1 + childFailed : childFailed) * stride;
        }
        stride *= fc.radix;
    });
    addRowsAtStates(out, width, radix, part, partStart, table, slot);
}
/** The counting loop of addChildRows, on typed arrays only (it runs millions of times). */
function addRowsAtStates(out, width, radix, part, partStart, table, slot) {
    const digit = new Int32Array(width);
    const childWidth = slot.length;
    let at = 0;
    for (let u = 0; u < width; u++)
        at += part[partStart[u]];
    for (let to = 0; to < out.length; to += width) {
        for (let j = 0; j < childWidth; j++)
            out[to + slot[j]] += table[at + j];
        // Next combination: the first feature's state counts fastest (it has stride 1 in the offset).
        for (let u = 0; u < width; u++) {
            const was = digit[u];
            const next = was + 1 < radix[u] ? was + 1 : 0;
            digit[u] = next;
            at += part[partStart[u] + next] - part[partStart[u] + was];
            if (next > 0)
                break;
        }
    }
}
/**
 * Add one tree's SHAP values for nRows rows into phi. ranks (rankColumns) and phi are column-major,
 * column[f * nRows + r], so every loop over a block reads and writes consecutive values.
 */
function addTreeShapTables(t, ranks, phi, nRows, at) {
    const nSub = t.featureStart.length - 1;
    for (let first = 0; first < nRows; first += BLOCK_ROWS) {
        const count = Math.min(BLOCK_ROWS, nRows - first);
        for (let s = 0; s < nSub; s++) {
            const f0 = t.featureStart[s];
            const f1 = t.featureStart[s + 1];
            setOffsets(t.lookups, t.lookupStart[f0], ranks, t.features[f0] * nRows + first, at, count);
            for (let i = f0 + 1; i < f1; i++)
                addOffsets(t.lookups, t.lookupStart[i], ranks, t.features[i] * nRows + first, at, count);
            for (let i = f0; i < f1; i++)
                addColumn(t.tables, at, i - f0, phi, t.features[i] * nRows + first, count);
        }
    }
}
/** Scratch for addTreeShapTables. */
function createOffsets() {
    return new Int32Array(BLOCK_ROWS);
}
// Each loop is a function of its own: V8 compiles a hot loop on its own (OSR) before later loops of
// the same function have run, and code without feedback for those deoptimises.
function setOffsets(lookups, from, ranks, column, at, count) {
    for (let r = 0; r < count; r++)
        at[r] = lookups[from + ranks[column + r]];
}
function addOffsets(lookups, from, ranks, column, at, count) {
    for (let r = 0; r < count; r++)
        at[r] += lookups[from + ranks[column + r]];
}
function addColumn(tables, at, j, phi, column, count) {
    for (let r = 0; r < count; r++)
        phi[column + r] += tables[at[r] + j];
}

;// CONCATENATED MODULE: ./lib/model/shap.js
/**
 * Exact path-dependent TreeSHAP for a TreeEnsemble, in margin (log-odds)
 * units: for every row, expected + sum of its SHAP values = its margin.
 * "Path-dependent" means an absent feature is integrated out by following
 * both branches of its splits in proportion to the training cover, as
 * xgboost's pred_contribs and shap's TreeExplainer(feature_perturbation=
 * "tree_path_dependent") do.
 *
 * Two exact algorithms give the same values: Algorithm 2 of Lundberg et al.
 * (shap-recursive.ts), used for few rows, and precomputed tables per subtree
 * (shap-subtree.ts, from the leaf tables of shap-table.ts) looked up for
 * blocks of rows, used when enough rows amortise the tables.
 */






/** One tree's tables may take at most this many doubles (128 MiB) while built; larger trees use the recursion. */
const TABLE_BUDGET = 1 << 24;
/** Tables kept between calls, per ensemble: at most this many doubles (32 MiB, look-ups counted as half a double); the rest are built per call. */
const KEEP_BUDGET = 1 << 22;
const preparedFor = new WeakMap();
function treeDepth(tree, node = 0) {
    if (tree.feature[node] < 0)
        return 0;
    return 1 + Math.max(treeDepth(tree, tree.left[node]), treeDepth(tree, tree.right[node]));
}
/** The tree's mean output over its training cover. */
function treeExpectation(tree, node = 0) {
    if (tree.feature[node] < 0)
        return tree.value[node];
    const cover = tree.cover[node];
    return (coverRatio(tree.cover[tree.left[node]], cover) * treeExpectation(tree, tree.left[node]) +
        coverRatio(tree.cover[tree.right[node]], cover) * treeExpectation(tree, tree.right[node]));
}
function expectedMargin(ensemble) {
    let sum = ensemble.baseScore;
    for (const tree of ensemble.trees)
        sum += treeExpectation(tree);
    return sum;
}
/** Refuse trees SHAP cannot explain, naming the tree and node. */
function checkExplainable(ensemble) {
    ensemble.trees.forEach((tree, t) => {
        const n = tree.feature.length;
        for (let node = 0; node < n; node++) {
            const where = `tree ${t}, node ${node}`;
            if (!(tree.cover[node] >= 0 && Number.isFinite(tree.cover[node]))) {
                throw new ModelError(`${where}: cover (training hessian sum) is ${tree.cover[node]}; TreeSHAP needs a finite cover >= 0 on every node ` +
                    '(for an ONNX model without nodes_hitrates, compute it from representative rows with coverFromData)');
            }
            const f = tree.feature[node];
            if (f < 0)
                continue;
            if (f >= ensemble.nFeatures)
                throw new ModelError(`${where}: splits on feature ${f} but the model has ${ensemble.nFeatures} features`);
            for (const child of [tree.left[node], tree.right[node]]) {
                if (!(child >= 0 && child < n && child !== node))
                    throw new ModelError(`${where}: child ${child} is not another node of the tree`);
            }
        }
    });
}
/** SHAP values of nRows rows of X (row-major, ensemble.nFeatures columns). */
function shapValues(ensemble, X, nRows, algorithm = 'auto') {
    const nf = ensemble.nFeatures;
    if (X.length < nRows * nf)
        throw new RangeError(`X has ${X.length} values, expected ${nRows} rows x ${nf} features`);
    checkExplainable(ensemble);
    const values = new Float64Array(nRows * nf);
    let maxDepth = 0;
    for (const tree of ensemble.trees)
        maxDepth = Math.max(maxDepth, treeDepth(tree));
    const state = {
        tree: ensemble.trees[0],
        x: X,
        xOffset: 0,
        phi: values,
        phiOffset: 0,
        path: createPathBuffer(pathBufferSize(maxDepth))
    };
    let prepared = preparedFor.get(ensemble);
    if (!prepared) {
        prepared = { thresholds: thresholdRanks(ensemble.trees, nf), tables: [], kept: 0 };
        preparedFor.set(ensemble, prepared);
    }
    // Trees explained with tables add into column-major values (rankColumns' layout), moved into `values` at the end.
    let columns;
    ensemble.trees.forEach((tree, t) => {
        const tables = tablesFor(prepared, tree, t, nRows, algorithm);
        if (tables) {
            columns ??= { ranks: rankColumns(prepared.thresholds, X, nRows, nf), phi: new Float64Array(nRows * nf), at: createOffsets() };
            addTreeShapTables(tables, columns.ranks, columns.phi, nRows, columns.at);
        }
        else {
            state.tree = tree;
            for (let r = 0; r < nRows; r++) {
                state.xOffset = r * nf;
                state.phiOffset = r * nf;
                addTreeShapRecursive(state);
            }
        }
    });
    if (columns) {
        const phi = columns.phi;
        for (let f = 0; f < nf; f++)
            for (let r = 0; r < nRows; r++)
                values[r * nf + f] += phi[f * nRows + r];
    }
    return { values, expected: expectedMargin(ensemble) };
}
/** Tree t's tables: kept ones, or built when the algorithm (or for 'auto', the row count) calls for them; null = use the recursion. */
function tablesFor(prepared, tree, t, nRows, algorithm) {
    if (algorithm === 'recursive')
        return null;
    const kept = prepared.tables[t];
    if (kept)
        return kept;
    if (algorithm === 'auto') {
        const leafDoubles = leafTableSize(tree);
        const { entries, lookups } = subtreeTableSize(tree, prepared.thresholds);
        if (leafDoubles + entries + lookups / 2 > TABLE_BUDGET)
            return null;
        // Building costs ~depth operations per leaf-table entry and a few per subtree-table or look-up entry, the recursion
        // ~leaves x depth^2 per row; the factor 3 is measured (firmware model, first call in a process: equal at ~300 rows).
        const depth = Math.max(1, treeDepth(tree));
        let leaves = 0;
        for (let node = 0; node < tree.feature.length; node++)
            if (tree.feature[node] < 0)
                leaves++;
        if (nRows * leaves * depth * depth < 3 * (leafDoubles * depth + 4 * entries + lookups))
            return null;
    }
    const tables = buildSubtreeTables(tree, prepared.thresholds);
    const size = tables.tables.length + tables.lookups.length / 2;
    if (prepared.kept + size <= KEEP_BUDGET) {
        prepared.tables[t] = tables;
        prepared.kept += size;
    }
    return tables;
}
/** Global importance: mean |SHAP value| of each feature over the rows. */
function meanAbsShap(values, nRows, nFeatures) {
    const out = new Float64Array(nFeatures);
    for (let r = 0; r < nRows; r++)
        for (let f = 0; f < nFeatures; f++)
            out[f] += Math.abs(values[r * nFeatures + f]);
    if (nRows > 0)
        for (let f = 0; f < nFeatures; f++)
            out[f] /= nRows;
    return out;
}
const INTEGER_FORMAT = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const LARGE_FORMAT = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 });
const SMALL_FORMAT = new Intl.NumberFormat('en-US', { maximumSignificantDigits: 3 });
/** A feature value for people: thousands separators, at most 2 decimals (3 significant digits below 1), yes/no for booleans. */
function formatFeatureValue(value, type) {
    if (type === 'boolean')
        return value ? 'yes' : 'no';
    if (Number.isInteger(value))
        return INTEGER_FORMAT.format(value);
    return Math.abs(value) >= 1 ? LARGE_FORMAT.format(value) : SMALL_FORMAT.format(value);
}
/** A signed log-odds contribution: one decimal from 1 up, two below. */
function formatContribution(contribution) {
    const digits = Math.abs(contribution) >= 1 ? 1 : 2;
    const text = Math.abs(contribution).toFixed(digits);
    return `${contribution < 0 ? '-' : '+'}${text}`;
}
/**
 * The k features with the largest |SHAP value| in a row (ties: input
 * order), skipping features that contributed nothing. `features` are names,
 * or specs so booleans read yes/no; rawValues has the layout of values.
 */
function topReasons(values, row, features, rawValues, k = 3) {
    const nf = features.length;
    const order = [];
    for (let f = 0; f < nf; f++)
        if (values[row * nf + f] !== 0)
            order.push(f);
    order.sort((a, b) => Math.abs(values[row * nf + b]) - Math.abs(values[row * nf + a]) || a - b);
    return order.slice(0, k).map((f) => {
        const spec = features[f];
        const name = typeof spec === 'string' ? spec : spec.name;
        const value = rawValues[row * nf + f];
        const contribution = values[row * nf + f];
        const shown = formatFeatureValue(value, typeof spec === 'string' ? undefined : spec.type);
        return { feature: name, value, contribution, text: `${name} = ${shown} (${formatContribution(contribution)})` };
    });
}
/** Top reasons for every row of a read patch table, in row order. */
function explainRows(ensemble, table, options = {}) {
    const nf = table.featureNames.length;
    if (ensemble.nFeatures !== nf) {
        throw new ModelError(`the tree model has ${ensemble.nFeatures} features but the table has ${nf} (${table.featureNames.join(', ')})`);
    }
    const nRows = table.ids.length;
    const { values } = shapValues(ensemble, table.features, nRows);
    const features = options.features ?? table.featureNames;
    const out = new Array(nRows);
    for (let r = 0; r < nRows; r++)
        out[r] = topReasons(values, r, features, table.features, options.k ?? 3);
    return out;
}

;// CONCATENATED MODULE: ./lib/model/whatif.js
/**
 * "What would lower the risk" for a High patch: the smallest split into k
 * equal patches, and the smallest size reduction, of the features an author
 * controls (the model card's `controllable`), found by re-scoring the changed
 * patch with the tree ensemble. Splitting scales every controllable size
 * feature by 1/k (whole numbers round up: a part has at most that many);
 * features the author cannot change keep their values.
 */



const DEFAULT_MAX_PARTS = 10;
/** Reductions tried, smallest first: keep 95%, 90%, …, 5% of the controllable sizes. */
const KEEP_SHARES = Array.from({ length: 19 }, (_, i) => (95 - 5 * i) / 100);
/** How a size reads after "≤ 16,000": the feature's unit from the card, else its name. */
function sizeText(value, spec) {
    return `≤ ${formatFeatureValue(Math.fround(value))} ${spec.unit ?? spec.name}`;
}
function scaled(value, spec, parts, keep) {
    if (spec.type === 'integer')
        return parts > 1 ? Math.ceil(value / parts) : Math.ceil(value * keep);
    return parts > 1 ? value / parts : value * keep;
}
/**
 * Counterfactuals for one patch (row of X at offset row * features.length);
 * undefined when the model has no controllable size feature.
 */
function whatIf(ensemble, X, row, options) {
    const nf = options.features.length;
    if (ensemble.nFeatures !== nf)
        throw new ModelError(`the tree model has ${ensemble.nFeatures} features but ${nf} were given`);
    // In the card's order of controllable features: the first one names the size in the text.
    const sizes = options.controllable
        .map((name) => ({
        spec: options.features.find((spec) => spec.name === name),
        index: options.features.findIndex((spec) => spec.name === name)
    }))
        .filter((size) => size.spec !== undefined && size.spec.type !== 'boolean');
    if (sizes.length === 0)
        return undefined;
    const x = X.subarray(row * nf, row * nf + nf);
    const maxParts = options.maxParts ?? DEFAULT_MAX_PARTS;
    const candidates = [];
    for (let parts = 2; parts <= maxParts; parts++)
        candidates.push({ parts, keep: 1 / parts });
    for (const keep of KEEP_SHARES)
        candidates.push({ parts: 1, keep });
    const rows = new Float32Array(candidates.length * nf);
    candidates.forEach(({ parts, keep }, c) => {
        rows.set(x, c * nf);
        for (const { spec, index } of sizes)
            rows[c * nf + index] = scaled(x[index], spec, parts, keep);
    });
    const scores = predictProbabilities(ensemble, rows, candidates.length);
    const found = (c) => {
        const { parts, keep } = candidates[c];
        const changes = sizes.map(({ spec, index }) => ({ feature: spec.name, from: x[index], to: rows[c * nf + index] }));
        const bucket = scores[c] >= options.mediumThreshold ? 'Medium' : 'Low';
        const main = sizes[0];
        const size = sizeText(rows[c * nf + main.index], main.spec);
        const text = parts > 1
            ? `split into ${parts} patches of ${size} → ${bucket}`
            : `reduce to ${size} (-${Math.round((1 - keep) * 100)}%) → ${bucket}`;
        return { kind: parts > 1 ? 'split' : 'reduce', parts, factor: keep, changes, score: scores[c], bucket, text };
    };
    let split;
    let reduce;
    for (let c = 0; c < candidates.length; c++) {
        if (scores[c] >= options.highThreshold)
            continue;
        if (candidates[c].parts > 1)
            split ??= found(c);
        else
            reduce ??= found(c);
    }
    const names = sizes.map(({ spec }) => spec.name).join(', ');
    const text = split?.text ?? reduce?.text ?? `no split into ≤ ${maxParts} patches or smaller ${names} brings it below High`;
    return { ...(split ? { split } : {}), ...(reduce ? { reduce } : {}), text };
}
/** Counterfactuals for the High rows of a scored table (undefined for the others). */
function whatIfRows(ensemble, table, scores, options) {
    return table.ids.map((_, row) => (scores[row] >= options.highThreshold ? whatIf(ensemble, table.features, row, options) : undefined));
}

;// CONCATENATED MODULE: ./lib/model/explain.js
/**
 * Reasons (TreeSHAP) for scored rows and, for High patches, what would lower
 * the risk (re-scoring splits and reductions). The tree ensemble is read from
 * the model's own .onnx file, so any TreeEnsemble ONNX model with cover
 * (nodes_hitrates) can be explained; other models get no reasons.
 */








const AUTO_EXPLAIN_ALL_ROWS = 20000;
const ensembles = new WeakMap();
/**
 * The model's tree ensemble when it can be explained (tree model with stored
 * cover), else undefined. Read once per loaded model, from the same verified
 * bytes onnxruntime runs (the file is checked against the card's sha256 again).
 */
function explainableEnsemble(model) {
    if (ensembles.has(model))
        return ensembles.get(model);
    const bytes = (0,external_node_fs_.readFileSync)(model.onnxPath);
    if (sha256Hex(bytes) !== model.card.sha256)
        throw new ModelError(`${model.onnxPath}: the model file changed after it was loaded (sha256 differs from its card)`);
    const parsed = onnxToEnsemble(bytes);
    const ensemble = parsed.coverSource === 'hitrates' && parsed.postTransform === 'LOGISTIC' ? parsed.ensemble : undefined;
    ensembles.set(model, ensemble);
    return ensemble;
}
function wantedBuckets(mode, rows) {
    if (mode === 'all' || (mode === 'auto' && rows <= AUTO_EXPLAIN_ALL_ROWS))
        return ['Low', 'Medium', 'High'];
    return mode === 'risky' ? ['Medium', 'High'] : [];
}
/**
 * For a file of `rows` rows, a RowExplainer for the model — or undefined when
 * the mode asks for nothing there or the model cannot be explained.
 */
function explainerFactory(model, mode) {
    return (rows) => {
        const buckets = wantedBuckets(mode, rows);
        const ensemble = buckets.length === 0 ? undefined : explainableEnsemble(model);
        return ensemble && explainerFor(ensemble, model, buckets);
    };
}
function explainerFor(ensemble, model, buckets) {
    const features = model.card.features;
    return {
        wants: (bucket) => buckets.includes(bucket),
        explain: (X, nRows) => {
            const { values } = shapValues(ensemble, X, nRows);
            return Array.from({ length: nRows }, (_, r) => topReasons(values, r, features, X, 3));
        }
    };
}
/** Add reasons and, for High patches, what-if suggestions to an in-memory result. */
async function explainScored(result, model, mode = 'auto') {
    const ensemble = mode === 'none' ? undefined : explainableEnsemble(model);
    if (!ensemble)
        return result;
    const buckets = wantedBuckets(mode, result.table.ids.length);
    const explainer = buckets.length === 0 ? undefined : explainerFor(ensemble, model, buckets);
    const { table, plan } = result;
    const reasons = explainer
        ? explainTable(explainer, table, plan.patches.map((patch) => patch.risk_bucket))
        : undefined;
    const high = plan.patches.filter((patch) => patch.high_risk === 1).map((patch) => patch.index);
    const counterfactuals = whatIfRows(ensemble, selectRows(table, high), high.map((row) => result.scores[row]), {
        features: model.card.features,
        controllable: model.card.controllable,
        highThreshold: plan.thresholds.high,
        mediumThreshold: plan.thresholds.medium
    });
    const whatIf = table.ids.map(() => undefined);
    high.forEach((row, k) => (whatIf[row] = counterfactuals[k]?.text));
    return { ...result, ...(reasons ? { reasons } : {}), whatIf };
}

;// CONCATENATED MODULE: ./lib/model/evaluate.js


/** Curves keep at most this many points: enough for a smooth picture of any size of data. */
const MAX_CURVE_POINTS = 400;
/** One point per distinct score (descending), as predicting positive for score >= threshold. */
function cumulativeCounts(scores, labels) {
    const out = [];
    forEachThreshold(scores, labels, (threshold, tp, fp) => out.push({ tp, fp, threshold }));
    return out;
}
/** Every k-th point plus the last, so a curve keeps its ends and at most max points. */
function thinPoints(points, max = MAX_CURVE_POINTS) {
    if (points.length <= max)
        return points;
    const step = (points.length - 1) / (max - 1);
    return Array.from({ length: max }, (_, k) => points[Math.round(k * step)]);
}
function rocCurve(scores, labels) {
    const counts = cumulativeCounts(scores, labels);
    const pos = counts.length > 0 ? counts[counts.length - 1].tp : 0;
    const neg = counts.length > 0 ? counts[counts.length - 1].fp : 0;
    const points = [{ fpr: 0, tpr: 0, threshold: Infinity }];
    for (const c of counts)
        points.push({ fpr: neg > 0 ? c.fp / neg : 0, tpr: pos > 0 ? c.tp / pos : 0, threshold: c.threshold });
    return thinPoints(points);
}
function prCurve(scores, labels) {
    const counts = cumulativeCounts(scores, labels);
    const pos = counts.length > 0 ? counts[counts.length - 1].tp : 0;
    return thinPoints(counts.map((c) => ({ recall: pos > 0 ? c.tp / pos : 0, precision: c.tp / (c.tp + c.fp), threshold: c.threshold })));
}
/** Equal-width bins over [0, 1]; empty bins are left out. ECE = sum over bins of share x |predicted - observed|. */
function calibration(scores, labels, nBins = 10) {
    const count = new Float64Array(nBins);
    const sumScore = new Float64Array(nBins);
    const sumLabel = new Float64Array(nBins);
    for (let i = 0; i < scores.length; i++) {
        const b = Math.min(nBins - 1, Math.max(0, Math.floor(scores[i] * nBins)));
        count[b]++;
        sumScore[b] += scores[i];
        sumLabel[b] += labels[i];
    }
    const bins = [];
    let ece = 0;
    for (let b = 0; b < nBins; b++) {
        if (count[b] === 0)
            continue;
        const predicted = sumScore[b] / count[b];
        const observed = sumLabel[b] / count[b];
        ece += (count[b] / scores.length) * Math.abs(predicted - observed);
        bins.push({ lower: b / nBins, upper: (b + 1) / nBins, count: count[b], predicted, observed });
    }
    return { bins, ece };
}
function scoreHistogram(scores, labels, nBins = 20) {
    const bins = Array.from({ length: nBins }, (_, b) => ({
        lower: b / nBins,
        upper: (b + 1) / nBins,
        negatives: 0,
        positives: 0
    }));
    for (let i = 0; i < scores.length; i++) {
        const bin = bins[Math.min(nBins - 1, Math.max(0, Math.floor(scores[i] * nBins)))];
        if (labels[i] === 1)
            bin.positives++;
        else
            bin.negatives++;
    }
    return bins;
}
/** Features by mean |SHAP| (largest first). */
function importanceOf(featureNames, meanAbs) {
    return featureNames.map((feature, f) => ({ feature, meanAbsShap: meanAbs[f] })).sort((a, b) => b.meanAbsShap - a.meanAbsShap);
}
/** Everything the report shows; `importance` comes from the caller's SHAP values. */
function evaluateScores(scores, labels, threshold, importance) {
    if (scores.length !== labels.length)
        throw new RangeError(`scores has ${scores.length} values but labels has ${labels.length}`);
    if (scores.length === 0)
        throw new RangeError('nothing to evaluate: no rows');
    let positives = 0;
    for (let i = 0; i < labels.length; i++)
        positives += labels[i] === 1 ? 1 : 0;
    const { bins, ece } = calibration(scores, labels);
    return {
        rows: scores.length,
        positives,
        baseRate: positives / scores.length,
        threshold,
        rocAuc: rocAuc(scores, labels),
        prAuc: prAuc(scores, labels),
        brier: brier(scores, labels),
        logLoss: logLoss(scores, labels),
        ece,
        confusion: confusionAt(scores, labels, threshold),
        roc: rocCurve(scores, labels),
        pr: prCurve(scores, labels),
        calibration: bins,
        histogram: scoreHistogram(scores, labels),
        importance
    };
}
/** Evaluate a labelled table's scores, with importance from the ensemble's TreeSHAP values on the same rows. */
function evaluateTable(ensemble, table, scores, threshold) {
    if (!table.labels)
        throw new RangeError(`${table.file}: no labels to evaluate against`);
    const nRows = table.ids.length;
    const { values } = shapValues(ensemble, table.features, nRows);
    const importance = importanceOf(table.featureNames, meanAbsShap(values, nRows, table.featureNames.length));
    return evaluateScores(scores, table.labels, threshold, importance);
}

;// CONCATENATED MODULE: ./lib/index.js
/**
 * patch-risk-gate's public API: the only entry the CLI and the action use.
 *
 *   import { scorePatches } from 'patch-risk-gate';
 *   const result = await scorePatches('patches.csv', { model: 'firmware' });
 *   console.log(result.plan.totals.high, result.plan.patches[0].risk_bucket);
 */




















/** models/ shipped with the package (one level above lib/, dist/ or src/). */
const BUILTIN_MODELS_DIR = external_node_path_.resolve(external_node_path_.dirname((0,external_node_url_.fileURLToPath)(import.meta.url)), '..', 'models');
/** Load a model by name or path (verifying its card and sha256). */
async function loadModelByName(ref, modelsDir = BUILTIN_MODELS_DIR) {
    return loadModel(resolveModel(ref, modelsDir).onnxPath);
}
/** Read, validate, score and plan a CSV/JSON patch file: what `patch-risk score` does. */
async function scorePatches(file, options = {}) {
    const model = typeof options.model === 'object' ? options.model : await loadModelByName(options.model ?? 'firmware', options.modelsDir);
    return scoreFile(file, model, options);
}
/** `<dir>/<name>.scored.csv` beside the input file. */
function defaultScoredPath(file) {
    const parsed = external_node_path_.parse(file);
    return external_node_path_.join(parsed.dir, `${parsed.name}.scored.csv`);
}
















/***/ })

};
