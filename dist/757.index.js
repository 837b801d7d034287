export const id = 757;
export const ids = [757];
export const modules = {

/***/ 757:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  BASELINE_PROBABILITIES: () => (/* reexport */ BASELINE_PROBABILITIES),
  BUILTIN_MODELS_DIR: () => (/* binding */ BUILTIN_MODELS_DIR),
  DEFAULT_GATES: () => (/* reexport */ DEFAULT_GATES),
  DEFAULT_ID_COLUMN: () => (/* reexport */ DEFAULT_ID_COLUMN),
  DEFAULT_PLAN_OPTIONS: () => (/* reexport */ DEFAULT_PLAN_OPTIONS),
  FIRMWARE_SCHEMA: () => (/* reexport */ FIRMWARE_SCHEMA),
  FLEET_AGE_COLUMN: () => (/* reexport */ FLEET_AGE_COLUMN),
  GITHUB_COMMENT_LIMIT: () => (/* reexport */ GITHUB_COMMENT_LIMIT),
  INPUT_NAME: () => (/* reexport */ INPUT_NAME),
  InputError: () => (/* reexport */ InputError),
  MODEL_COLUMNS: () => (/* reexport */ MODEL_COLUMNS),
  ModelError: () => (/* reexport */ errors_ModelError),
  OUTPUT_NAME: () => (/* reexport */ OUTPUT_NAME),
  PLAN_COLUMNS: () => (/* reexport */ PLAN_COLUMNS),
  REASON_COLUMNS: () => (/* reexport */ REASON_COLUMNS),
  REGISTRY_FILE: () => (/* reexport */ REGISTRY_FILE),
  SCORE_BATCH_ROWS: () => (/* reexport */ SCORE_BATCH_ROWS),
  binShares: () => (/* reexport */ binShares),
  blockingPatches: () => (/* reexport */ blockingPatches),
  bucketOf: () => (/* reexport */ bucketOf),
  builtInModelNames: () => (/* reexport */ builtInModelNames),
  cardFeatures: () => (/* reexport */ cardFeatures),
  cardPathFor: () => (/* reexport */ cardPathFor),
  championVersion: () => (/* reexport */ championVersion),
  chooseSchema: () => (/* reexport */ chooseSchema),
  commentMarker: () => (/* reexport */ commentMarker),
  createRandom: () => (/* reexport */ createRandom),
  decodeText: () => (/* reexport */ decodeText),
  defaultScoredPath: () => (/* binding */ defaultScoredPath),
  describeType: () => (/* reexport */ describeType),
  escapeMarkdown: () => (/* reexport */ escapeMarkdown),
  featureBaseline: () => (/* reexport */ train_featureBaseline),
  firmwareRiskLogit: () => (/* reexport */ firmwareRiskLogit),
  formatOf: () => (/* reexport */ formatOf),
  gateDecision: () => (/* reexport */ gateDecision),
  gateOutcome: () => (/* reexport */ gateOutcome),
  generateFirmwarePatches: () => (/* reexport */ generateFirmwarePatches),
  listVersions: () => (/* reexport */ listVersions),
  loadModel: () => (/* reexport */ loadModel),
  loadModelByName: () => (/* binding */ loadModelByName),
  modelCardSchema: () => (/* reexport */ modelCardSchema),
  modelSummary: () => (/* reexport */ modelSummary),
  monitoringPriority: () => (/* reexport */ monitoringPriority),
  neutraliseCell: () => (/* reexport */ neutraliseCell),
  nextVersion: () => (/* reexport */ nextVersion),
  parseCell: () => (/* reexport */ parseCell),
  parseLabel: () => (/* reexport */ parseLabel),
  parseModelCard: () => (/* reexport */ parseModelCard),
  parsePatchText: () => (/* reexport */ parsePatchText),
  parseRawText: () => (/* reexport */ parseRawText),
  planOptionsFor: () => (/* reexport */ planOptionsFor),
  planPatches: () => (/* reexport */ planPatches),
  predictMargins: () => (/* reexport */ predictMargins),
  predictProbabilities: () => (/* reexport */ predictProbabilities),
  quantile: () => (/* reexport */ quantile),
  readModelCard: () => (/* reexport */ readModelCard),
  readPatchFile: () => (/* reexport */ readPatchFile),
  readRawTable: () => (/* reexport */ readRawTable),
  readRegistry: () => (/* reexport */ readRegistry),
  registryPath: () => (/* reexport */ registryPath),
  renderReport: () => (/* reexport */ renderReport),
  resolveModel: () => (/* reexport */ resolveModel),
  round: () => (/* reexport */ round),
  scoreFeatures: () => (/* reexport */ scoreFeatures),
  scoreFile: () => (/* reexport */ scoreFile),
  scorePatches: () => (/* binding */ scorePatches),
  scoreTable: () => (/* reexport */ scoreTable),
  scoredCsv: () => (/* binding */ scoredCsv),
  scoredRows: () => (/* reexport */ scoredRows),
  sha256Hex: () => (/* reexport */ sha256Hex),
  sigmoid: () => (/* reexport */ sigmoid),
  splitRows: () => (/* reexport */ splitRows),
  subset: () => (/* reexport */ subset),
  tableFromRaw: () => (/* reexport */ tableFromRaw),
  tierOf: () => (/* reexport */ tierOf),
  toCsv: () => (/* reexport */ toCsv),
  toJsonRows: () => (/* reexport */ toJsonRows),
  trainModel: () => (/* reexport */ trainModel),
  treeLeafValue: () => (/* reexport */ treeLeafValue),
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
function bucketOf(score, high, medium) {
    if (score >= high)
        return 'High';
    if (score >= medium)
        return 'Medium';
    return 'Low';
}
function monitoringPriority(risk, ageDays, options) {
    if (ageDays === undefined)
        return risk;
    const age = Math.min(1, Math.max(0, ageDays) / options.fleetAgeScaleDays);
    return options.riskWeight * risk + options.ageWeight * age;
}
function tierOf(priority, options) {
    if (priority >= options.immediateEdge)
        return 'Immediate Monitoring';
    if (priority >= options.enhancedEdge)
        return 'Enhanced Monitoring';
    return 'Standard Monitoring';
}
function planPatches(input, options) {
    validateOptions(options);
    const n = input.scores.length;
    const high = options.highThreshold;
    const medium = Math.min(options.mediumThreshold, high);
    const baseRate = options.baseRate > 0 ? options.baseRate : 1;
    const patches = new Array(n);
    for (let i = 0; i < n; i++) {
        const risk = input.scores[i];
        const priority = monitoringPriority(risk, input.fleetAgeDays?.[i], options);
        patches[i] = {
            index: i,
            id: input.ids[i],
            risk_score: risk,
            high_risk: risk >= high ? 1 : 0,
            risk_bucket: bucketOf(risk, high, medium),
            qa_rank: 0,
            regression_potential: risk / baseRate,
            qa_hours: 0,
            monitoring_priority: priority,
            monitoring_tier: tierOf(priority, options)
        };
    }
    const byRank = rankOrder(patches);
    byRank.forEach((index, rank) => (patches[index].qa_rank = rank + 1));
    allocateQaHours(patches, options);
    return { patches, byRank, totals: totalsOf(patches, options), thresholds: { high, medium } };
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
function rankOrder(patches) {
    return patches
        .map((patch) => patch.index)
        .sort((a, b) => patches[b].risk_score - patches[a].risk_score ||
        patches[b].monitoring_priority - patches[a].monitoring_priority ||
        a - b);
}
/**
 * Every High patch first gets min(minHighHours, capacity / #High); what is
 * left is shared by all patches in proportion to regression potential.
 * Hours are rounded to 0.1 h with the largest-remainder method so that they
 * add up to the capacity exactly.
 */
function allocateQaHours(patches, options) {
    const capacity = options.qaCapacityHours;
    if (patches.length === 0 || capacity === 0)
        return;
    const highCount = patches.filter((patch) => patch.high_risk === 1).length;
    const floor = highCount === 0 ? 0 : Math.min(options.minHighHours, capacity / highCount);
    const rest = capacity - floor * highCount;
    const weight = patches.reduce((sum, patch) => sum + patch.regression_potential, 0);
    const raw = patches.map((patch) => (patch.high_risk ? floor : 0) + (weight > 0 ? (rest * patch.regression_potential) / weight : rest / patches.length));
    const tenths = largestRemainder(raw.map((hours) => hours * 10), Math.round(capacity * 10));
    patches.forEach((patch, i) => (patch.qa_hours = tenths[i] / 10));
}
/** Integers proportional to `values` that add up to `total` (ties go to the earlier index). */
function largestRemainder(values, total) {
    const floors = values.map(Math.floor);
    let left = total - floors.reduce((sum, value) => sum + value, 0);
    const order = values.map((_, i) => i).sort((a, b) => values[b] - floors[b] - (values[a] - floors[a]) || a - b);
    for (let k = 0; left > 0 && k < order.length; k++, left--)
        floors[order[k]] += 1;
    return floors;
}
function totalsOf(patches, options) {
    const totals = {
        patches: patches.length,
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
    for (const patch of patches) {
        if (patch.risk_bucket === 'High')
            totals.high++;
        else if (patch.risk_bucket === 'Medium')
            totals.medium++;
        else
            totals.low++;
        if (patch.monitoring_tier === 'Immediate Monitoring')
            totals.immediate++;
        else if (patch.monitoring_tier === 'Enhanced Monitoring')
            totals.enhanced++;
        else
            totals.standard++;
        totals.max_risk = Math.max(totals.max_risk, patch.risk_score);
        totals.expected_regressions += patch.risk_score;
        totals.qa_hours += patch.qa_hours;
    }
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
// EXTERNAL MODULE: ./node_modules/papaparse/papaparse.js
var papaparse = __webpack_require__(8728);
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
        super(`${parts.join(', ')}: ${message}`);
        this.name = 'InputError';
        this.file = file;
        this.row = where.row;
        this.column = where.column;
    }
}
/** A model that cannot be trusted: wrong checksum, wrong inputs, unreadable card, bad output. */
class errors_ModelError extends Error {
    constructor(message) {
        super(message);
        this.name = 'ModelError';
    }
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
        { name: 'patch_size_mb', type: 'number', min: 0, description: 'size of the firmware patch image in MB' },
        { name: 'lines_changed', type: 'integer', min: 0, description: 'lines added + deleted' },
        { name: 'files_changed', type: 'integer', min: 0, description: 'files touched' },
        { name: 'avg_device_age_days', type: 'number', min: 0, description: 'mean age of the devices that receive the patch' },
        { name: 'is_hotfix', type: 'boolean', description: 'shipped as a hotfix (0/1, true/false, yes/no)' },
        { name: 'patch_security', type: 'boolean', description: 'security patch (0/1, true/false, yes/no)' }
    ]
};
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
/** Decode UTF-8 strictly (a BOM is dropped); UTF-16 and other encodings are refused with a clear message. */
function decodeText(bytes, file) {
    if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
        throw new InputError(file, 'the file is UTF-16 encoded; save it as UTF-8');
    }
    let text;
    try {
        text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    }
    catch {
        throw new InputError(file, 'the file is not valid UTF-8 text (save it as UTF-8)');
    }
    if (text.charCodeAt(0) === 0xfeff)
        text = text.slice(1);
    return text;
}
function parsePatchText(text, file, format, options) {
    return tableFromRaw(file, parseRawText(text, file, format), options);
}
/** Header and text cells of a CSV/JSON file, before any validation. */
async function readRawTable(file) {
    let bytes;
    try {
        bytes = await (0,promises_.readFile)(file);
    }
    catch (error) {
        const code = error.code;
        const reason = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory, not a file' : String(error.message);
        throw new InputError(file, `cannot read the file: ${reason}`);
    }
    return parseRawText(decodeText(bytes, file), file, formatOf(file));
}
function parseRawText(text, file, format) {
    return format === 'json' ? tabulateJson(text, file) : tabulateCsv(text, file);
}
function tabulateCsv(text, file) {
    if (text.trim() === '')
        throw new InputError(file, 'the file is empty: expected a header row and at least one patch row');
    const parsed = papaparse.parse(text, { header: false, skipEmptyLines: true });
    const quoteError = parsed.errors.find((error) => error.type === 'Quotes');
    const data = parsed.data;
    const lines = recordStartLines(text, data.length);
    if (quoteError) {
        const row = quoteError.row ?? 0;
        throw new InputError(file, `malformed quoted field (${quoteError.message})`, { row: row > 0 ? row : undefined });
    }
    const columns = data[0].map((name) => name.trim());
    const rows = data.slice(1);
    if (rows.length === 0)
        throw new InputError(file, 'the file has a header row but no patch rows');
    for (let i = 0; i < rows.length; i++) {
        if (rows[i].length !== columns.length) {
            throw new InputError(file, `expected ${columns.length} fields as in the header, found ${rows[i].length} (line ${lines[i + 1]})`, {
                row: i + 1
            });
        }
    }
    return { columns, rows, lines: lines.subarray(1) };
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
function tabulateJson(text, file) {
    if (text.trim() === '')
        throw new InputError(file, 'the file is empty: expected a JSON array of patch objects');
    let value;
    try {
        value = JSON.parse(text);
    }
    catch (error) {
        throw new InputError(file, `not valid JSON (${error.message})`);
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
/** Validate raw cells against the features (and label) and build the columnar table. */
function tableFromRaw(file, raw, options) {
    const { columns, rows, lines } = raw;
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
    const nFeatures = options.features.length;
    const featureColumns = options.features.map((feature) => position.get(feature.name));
    const features = new Float32Array(rows.length * nFeatures);
    for (let r = 0; r < rows.length; r++) {
        const row = rows[r];
        for (let f = 0; f < nFeatures; f++) {
            const spec = options.features[f];
            const raw = row[featureColumns[f]];
            const cell = parseCell(spec, raw);
            if (!cell.ok)
                throw cellError(file, r, lines[r], spec.name, cell.expected, raw);
            features[r * nFeatures + f] = cell.value;
        }
    }
    const idColumn = position.get(options.idColumn);
    const ids = rows.map((row, r) => {
        if (idColumn === undefined)
            return String(r + 1);
        const id = row[idColumn].trim();
        if (id === '')
            throw cellError(file, r, lines[r], options.idColumn, 'a patch id', row[idColumn]);
        return id;
    });
    const table = {
        file,
        columns,
        rows,
        lines,
        ids,
        idFromColumn: idColumn !== undefined,
        featureNames: options.features.map((feature) => feature.name),
        features
    };
    const labelColumn = options.label === undefined ? undefined : position.get(options.label);
    if (labelColumn !== undefined && options.label !== undefined) {
        const labels = new Uint8Array(rows.length);
        for (let r = 0; r < rows.length; r++) {
            const cell = parseLabel(rows[r][labelColumn]);
            if (!cell.ok)
                throw cellError(file, r, lines[r], options.label, 'a label of 0 or 1', rows[r][labelColumn]);
            labels[r] = cell.value;
        }
        table.labels = labels;
    }
    return table;
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
// EXTERNAL MODULE: ./node_modules/onnxruntime-node/dist/index.js
var dist = __webpack_require__(701);
// EXTERNAL MODULE: ./node_modules/zod/v4/classic/schemas.js + 17 modules
var schemas = __webpack_require__(8816);
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
    description: schemas/* string */.YjP().optional()
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
        throw new errors_ModelError(`${cardPath}: the model card is missing (every .onnx needs its <name>.card.json beside it)`);
    }
    let json;
    try {
        json = JSON.parse(text);
    }
    catch (error) {
        throw new errors_ModelError(`${cardPath}: the model card is not valid JSON (${error.message})`);
    }
    try {
        return parseModelCard(json, cardPath);
    }
    catch (error) {
        throw new errors_ModelError(error.message);
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
        throw new errors_ModelError(`${onnxPath}: cannot read the model file`);
    }
    const digest = sha256Hex(bytes);
    if (digest !== card.sha256) {
        throw new errors_ModelError(`${onnxPath}: sha256 ${digest} does not match the card's ${card.sha256}; the model file was changed or corrupted`);
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
        throw new errors_ModelError(`${onnxPath}: onnxruntime cannot load the model (${firstLine(error.message)})`);
    }
    checkSignature(session, card, onnxPath);
    return { card, onnxPath, cardPath, session };
}
function firstLine(text) {
    return text.split('\n')[0];
}
function checkSignature(session, card, onnxPath) {
    if (session.inputNames.length !== 1 || session.inputNames[0] !== card.input_name) {
        throw new errors_ModelError(`${onnxPath}: the model's inputs (${session.inputNames.join(', ')}) do not match the card's input "${card.input_name}"`);
    }
    if (!session.outputNames.includes(card.output_name)) {
        throw new errors_ModelError(`${onnxPath}: the model has no output "${card.output_name}" named by its card (outputs: ${session.outputNames.join(', ')})`);
    }
    const input = session.inputMetadata[0];
    if (input.isTensor) {
        const width = input.shape[1];
        if (input.type !== 'float32' || (typeof width === 'number' && width !== card.features.length)) {
            throw new errors_ModelError(`${onnxPath}: the model expects ${input.type}[${input.shape.join(', ')}] but its card lists ${card.features.length} float features`);
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
            throw new errors_ModelError(`${model.onnxPath}: expected one probability per row, got ${data.length} values for ${count} rows`);
        }
        for (let i = 0; i < count; i++) {
            const p = data[i];
            if (!(p >= 0 && p <= 1)) {
                throw new errors_ModelError(`${model.onnxPath}: the model returned ${p} for row ${start + i + 1}, not a probability; refusing to score`);
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
/** Fleet age per row from the table's fleet-age column, when it has one. */
function fleetAges(table) {
    const column = table.columns.indexOf(FLEET_AGE_COLUMN);
    if (column < 0)
        return undefined;
    const featureIndex = table.featureNames.indexOf(FLEET_AGE_COLUMN);
    const ages = new Float64Array(table.rows.length);
    for (let r = 0; r < ages.length; r++) {
        ages[r] = featureIndex >= 0 ? table.features[r * table.featureNames.length + featureIndex] : Number(table.rows[r][column]);
        if (!Number.isFinite(ages[r]))
            ages[r] = 0;
    }
    return ages;
}
/** Score an already-read table with a loaded model and plan QA and monitoring. */
async function scoreTable(table, model, options = {}) {
    const scores = await scoreFeatures(model, table.features, table.ids.length);
    const plan = planPatches({ ids: table.ids, scores, fleetAgeDays: fleetAges(table) }, planOptionsFor(model.card, options));
    return { table, scores, plan, model: modelSummary(model.card, options.threshold) };
}
/** Read a CSV/JSON patch file, validate it against the model's card, score and plan it. */
async function scoreFile(file, model, options = {}) {
    const table = await readPatchFile(file, {
        features: model.card.features,
        idColumn: options.idColumn ?? model.card.id_column,
        label: model.card.label
    });
    return scoreTable(table, model, options);
}

// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
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
        throw new errors_ModelError(`${file}: not valid JSON (${error.message})`);
    }
    const result = registrySchema.safeParse(json);
    if (!result.success) {
        const problems = result.error.issues.map((issue) => `${issue.path.join('.') || '(registry)'}: ${issue.message}`);
        throw new errors_ModelError(`${file}: not a valid registry: ${problems.join('; ')}`);
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
            throw new errors_ModelError(`model file not found: ${ref}`);
        return { onnxPath: ref };
    }
    const [name, pinned] = ref.split('@');
    const isPath = name.includes('/') || name.includes(external_node_path_.sep) || name.startsWith('.');
    const dir = isPath ? name : external_node_path_.join(modelsDir, name);
    if (!isPath && !/^[A-Za-z0-9_-]+$/.test(name))
        throw unknownModel(ref, modelsDir);
    if (!(0,external_node_fs_.existsSync)(dir) || !(0,external_node_fs_.statSync)(dir).isDirectory()) {
        if (isPath)
            throw new errors_ModelError(`model folder not found: ${name}`);
        throw unknownModel(ref, modelsDir);
    }
    const version = pinned ?? championVersion(dir);
    if (version === undefined)
        throw new errors_ModelError(`${dir}: no model versions (vNNN.onnx) in this folder`);
    const onnxPath = external_node_path_.join(dir, `${version}.onnx`);
    if (!(0,external_node_fs_.existsSync)(onnxPath))
        throw new errors_ModelError(`${dir}: version ${version} does not exist (have: ${listVersions(dir).join(', ')})`);
    return { onnxPath, dir, version };
}
function unknownModel(ref, modelsDir) {
    const names = builtInModelNames(modelsDir);
    return new errors_ModelError(`unknown model "${ref}": use a built-in name (${names.join(', ') || 'none installed'}) or a path to an .onnx file with its .card.json beside it`);
}

;// CONCATENATED MODULE: ./lib/core/output.js
/**
 * Writing scored patches: the auditable scored CSV (every input column, then
 * the plan columns and the model that made them) and JSON rows. Cells are
 * neutralised against spreadsheet formula injection.
 */

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
/** All input columns (except those the plan overwrites), then plan, reasons and model columns; input order. */
function scoredRows(result) {
    const added = new Set([...PLAN_COLUMNS, ...REASON_COLUMNS, ...MODEL_COLUMNS]);
    const kept = result.table.columns.map((name, i) => ({ name, i })).filter(({ name }) => !added.has(name));
    const withReasons = result.reasons !== undefined;
    const header = [
        ...kept.map(({ name }) => name),
        ...PLAN_COLUMNS,
        ...(withReasons ? REASON_COLUMNS : []),
        ...MODEL_COLUMNS
    ];
    const rows = result.plan.patches.map((patch) => {
        const source = result.table.rows[patch.index];
        const reasons = withReasons ? REASON_COLUMNS.map((_, k) => result.reasons?.[patch.index]?.[k]?.text ?? '') : [];
        return [
            ...kept.map(({ i }) => source[i]),
            ...planValues(patch),
            ...reasons,
            result.model.name,
            result.model.version
        ];
    });
    return { header, rows };
}
function toCsv(output) {
    const safe = output.rows.map((row) => row.map((cell) => (typeof cell === 'string' ? neutraliseCell(cell) : cell)));
    return papaparse.unparse({ fields: output.header.map(neutraliseCell), data: safe }, { newline: '\n' }) + '\n';
}
function toJsonRows(output) {
    return output.rows.map((row) => Object.fromEntries(output.header.map((name, i) => [name, row[i]])));
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
const ZWJ = '\u200d';
/** Extra (non-feature) columns shown in the table, and the width of user-written cells. */
const MAX_EXTRA_COLUMNS = 3;
const MAX_CELL = 60;
const MAX_REASON = 80;
const MAX_LISTED = 20;
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
        plain = `${chars.slice(0, maxLength - 1).join('').trimEnd()}…`;
    return plain
        .replace(/&/g, '&amp;')
        .replace(/</g, '&lt;')
        .replace(/>/g, '&gt;')
        .replace(/[\\`*_[\]|~]/g, '\\$&')
        .replace(/([@#])/g, `$1${ZWJ}`)
        .replace(/(g)(h-)/gi, `$1${ZWJ}$2`)
        .replace(/:(?=[:/])/g, `:${ZWJ}`);
}
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
    const head = [
        ...(context.commentKey === undefined ? [] : [commentMarker(context.commentKey)]),
        ...verdictSection(result, failOn, outcome),
        ...(outcome === 'overridden' && context.override ? overrideSection(result, failOn, context.override) : []),
        ...totalsSection(result.plan.totals),
        '### Patches by QA rank',
        ''
    ];
    const table = patchTable(result, context.idColumn ?? 'patch_id');
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
    return (`> **${total - kept} of ${total} rows left out** (the lowest-risk ones) to stay within GitHub's ` +
        `${(context.maxChars ?? GITHUB_COMMENT_LIMIT).toLocaleString('en-US')}-character limit. The full report is in ${where}${run}.`);
}
function verdictSection(result, failOn, outcome) {
    const { totals } = result.plan;
    const level = failOn === 'medium' ? 'Medium or High' : 'High';
    const reached = failOn === 'medium' ? totals.high + totals.medium : totals.high;
    const count = `${reached} of ${totals.patches} ${plural(totals.patches, 'patch', 'patches')}`;
    const failOnText = `fail-on: \`${failOn}\``;
    switch (outcome) {
        case 'pass':
            return ['## ✅ Patch risk gate: PASS', '', `No patch is ${level} risk (${failOnText}).`, ''];
        case 'overridden':
            return ['## ⚠️ Patch risk gate: OVERRIDDEN', '', `**${count} ${reached === 1 ? 'is' : 'are'} ${level} risk**, but the override label let the gate pass (${failOnText}).`, ''];
        case 'fail': {
            const effect = failOn === 'never' ? 'Report only: the check stays green.' : 'The check fails.';
            return ['## 🚨 Patch risk gate: FAIL', '', `**${count} ${reached === 1 ? 'is' : 'are'} ${level} risk** (${failOnText}). ${effect}`, ''];
        }
    }
}
function overrideSection(result, failOn, override) {
    const through = blockingPatches(result, failOn);
    const by = override.by ? ` (applied by ${escapeMarkdown(override.by, MAX_CELL)})` : '';
    const listed = through.slice(0, MAX_LISTED).map((patch) => `- ${escapeMarkdown(patch.id, MAX_CELL)}: risk ${patch.risk_score.toFixed(3)}, ${patch.risk_bucket}`);
    const more = through.length > MAX_LISTED ? [`- … and ${through.length - MAX_LISTED} more (see the scored file)`] : [];
    return [
        '### Override audit',
        '',
        `The label **${escapeMarkdown(override.label, MAX_CELL)}**${by} turned a failing gate into a pass. Patches it let through:`,
        '',
        ...listed,
        ...more,
        ''
    ];
}
function totalsSection(totals) {
    return [
        '| Patches | 🔴 High | 🟠 Medium | 🟢 Low | Max risk | Expected regressions |',
        '|---:|---:|---:|---:|---:|---:|',
        `| ${totals.patches} | ${totals.high} | ${totals.medium} | ${totals.low} | ${totals.max_risk.toFixed(3)} | ${totals.expected_regressions.toFixed(2)} |`,
        ''
    ];
}
const BUCKET_ICON = { High: '🔴', Medium: '🟠', Low: '🟢' };
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
            ...(withReasons ? [(result.reasons?.[index] ?? []).slice(0, 3).map((reason) => escapeMarkdown(reason.text, MAX_REASON)).join('; ')] : [])
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
        `Patches: ${escapeMarkdown(context.patchesFile, 200)}${run}`
    ];
}
/** A link target we built ourselves; still percent-encode what would end the Markdown link. */
function safeUrl(url) {
    if (!/^https?:\/\//i.test(url))
        return '#';
    return url.replace(/[\s()<>[\]|`]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
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
    let z = -3.9;
    // Risk rises with size, but saturates: huge patches are usually mechanical.
    z += 2.4 * Math.tanh((size - 2.2) / 1.1) + 0.6;
    // Rework of unstable code is risky, more so when the change is spread over many files.
    z += 2.2 * Math.max(0, patch.code_churn_score - 0.45) * (1 + 0.35 * spread);
    // Hotfixes skip the full test cycle: risky when they are not small.
    z += patch.is_hotfix ? (size > 2.3 ? 1.5 : -0.3) : 0;
    // Security patches touch privileged code: risky on old fleets with big images.
    z += patch.patch_security ? (oldFleet && patch.patch_size_mb > 4 ? 1.6 : 0.25) : 0;
    // Old devices (little free flash, old bootloaders) fail on large images.
    z += oldFleet * (0.3 + 0.9 * Math.tanh(patch.patch_size_mb / 6));
    return z;
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
    // Label noise: a logistic draw around the rule, plus 2% of labels flipped (mislabelled triage).
    let label = random.bernoulli(generate_sigmoid(firmwareRiskLogit(features) + random.normal(0, 0.6)));
    if (random.next() < 0.02)
        label = label ? 0 : 1;
    return { patch_id: `FW-${String(index + 1).padStart(6, '0')}`, ...features, high_risk_flag: label };
}
function generateFirmwarePatches(rows, seed) {
    const random = createRandom(seed);
    return Array.from({ length: rows }, (_, i) => firmwarePatch(random, i));
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
    for (let f = 0; f < nFeatures; f++) {
        for (let i = 0; i < nRows; i++)
            column[i] = X[i * nFeatures + f];
        const sorted = column.slice().sort();
        const t = featureThresholds(sorted, maxBins);
        thresholds.push(t);
        binCount[f] = t.length + 1;
        for (let i = 0; i < nRows; i++)
            bins[i * nFeatures + f] = binOf(t, column[i]);
    }
    return { bins, thresholds, binCount };
}

;// CONCATENATED MODULE: ./lib/model/gbdt-tree.js
// xgboost's kRtEps: a split must improve the loss by more than rounding noise.
const MIN_GAIN = 1e-6;
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
function buildHist(ctx, rows, start, end, features, hist) {
    const { binIndex, nFeatures, grad, hess } = ctx;
    const nSel = features.length;
    if (nSel === nFeatures) {
        for (let i = start; i < end; i++) {
            const r = rows[i];
            const g = grad[r];
            const h = hess[r];
            const base = r * nFeatures;
            for (let f = 0; f < nFeatures; f++) {
                const k = binIndex[base + f] << 1;
                hist[k] += g;
                hist[k + 1] += h;
            }
        }
        return;
    }
    for (let i = start; i < end; i++) {
        const r = rows[i];
        const g = grad[r];
        const h = hess[r];
        const base = r * nFeatures;
        for (let j = 0; j < nSel; j++) {
            const k = binIndex[base + features[j]] << 1;
            hist[k] += g;
            hist[k + 1] += h;
        }
    }
}
function findSplit(ctx, p, c, features) {
    const hist = c.hist;
    const { stride, binCount } = ctx;
    const { lambda, minChildWeight } = p;
    const parentScore = (c.g * c.g) / (c.h + lambda);
    c.gain = 0;
    c.feature = -1;
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
            if (gain > c.gain) {
                c.gain = gain;
                c.feature = f;
                c.bin = b;
                c.gl = gl;
                c.hl = hl;
            }
        }
    }
    if (c.gain <= Math.max(p.minSplitGain, MIN_GAIN))
        c.feature = -1;
}
/** Stable in-place partition of rows[start, end): rows with bin <= splitBin first. Returns the split point. */
function partition(ctx, rows, scratch, c) {
    const column = ctx.columnBins.subarray(c.feature * ctx.nRows, (c.feature + 1) * ctx.nRows);
    const bin = c.bin;
    let nl = c.start;
    let nr = 0;
    for (let i = c.start; i < c.end; i++) {
        const r = rows[i];
        if (column[r] <= bin)
            rows[nl++] = r;
        else
            scratch[nr++] = r;
    }
    rows.set(scratch.subarray(0, nr), nl);
    return nl;
}
/**
 * Grows a tree on rows[0, nRows) (reordered in place so each leaf owns a
 * contiguous range). Leaf values are -G / (H + lambda) * learningRate, rounded
 * to float32 so the exported model is exactly the trained one.
 */
function growTree(ctx, p, rows, nRows, features, scratch) {
    const pool = new HistPool(ctx.nFeatures * ctx.stride * 2);
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
    let g0 = 0;
    let h0 = 0;
    for (let i = 0; i < nRows; i++) {
        g0 += ctx.grad[rows[i]];
        h0 += ctx.hess[rows[i]];
    }
    const root = { node: addNode(0, nRows, h0), depth: 0, start: 0, end: nRows, g: g0, h: h0, hist: null, gain: 0, feature: -1, bin: 0, gl: 0, hl: 0 };
    const open = [];
    const finished = [];
    if (p.maxDepth > 0) {
        root.hist = pool.take();
        buildHist(ctx, rows, 0, nRows, features, root.hist);
        findSplit(ctx, p, root, features);
    }
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
        const l = { node: addNode(c.start, mid, c.hl), depth: childDepth, start: c.start, end: mid, g: c.gl, h: c.hl, hist: null, gain: 0, feature: -1, bin: 0, gl: 0, hl: 0 };
        const hr = c.h - c.hl;
        const r = { node: addNode(mid, c.end, hr), depth: childDepth, start: mid, end: c.end, g: c.g - c.gl, h: hr, hist: null, gain: 0, feature: -1, bin: 0, gl: 0, hl: 0 };
        t.feature[c.node] = c.feature;
        t.splitBin[c.node] = c.bin;
        t.left[c.node] = l.node;
        t.right[c.node] = r.node;
        leaves++;
        const parentHist = c.hist;
        if (childDepth < p.maxDepth) {
            const [small, large] = mid - c.start <= c.end - mid ? [l, r] : [r, l];
            small.hist = pool.take();
            buildHist(ctx, rows, small.start, small.end, features, small.hist);
            for (let j = 0; j < features.length; j++) {
                const from = features[j] * ctx.stride * 2;
                const to = from + ctx.binCount[features[j]] * 2;
                for (let k = from; k < to; k++)
                    parentHist[k] -= small.hist[k];
            }
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
    for (const c of finished)
        t.value[c.node] = leafValue(c.g, c.h);
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
/** Mean logloss at the margins: log(1 + e^m) - y*m, computed stably. */
function meanLogLoss(margins, y) {
    let sum = 0;
    for (let i = 0; i < margins.length; i++) {
        const m = margins[i];
        sum += Math.log1p(Math.exp(-Math.abs(m))) + Math.max(m, 0) - y[i] * m;
    }
    return sum / margins.length;
}
/** Logistic-loss gradients and hessians at the margins; returns the mean logloss there (one exp per row). */
function gradientsAndLoss(margins, y, grad, hess) {
    let sum = 0;
    for (let i = 0; i < margins.length; i++) {
        const m = margins[i];
        const e = Math.exp(-Math.abs(m));
        const prob = m >= 0 ? 1 / (1 + e) : e / (1 + e);
        grad[i] = prob - y[i];
        hess[i] = Math.max(prob * (1 - prob), 1e-16);
        sum += Math.log1p(e) + Math.max(m, 0) - y[i] * m;
    }
    return sum / margins.length;
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
    const binIndex = nFeatures * stride <= 65536 ? new Uint16Array(nRows * nFeatures) : new Uint32Array(nRows * nFeatures);
    const columnBins = new Uint8Array(nRows * nFeatures);
    for (let k = 0; k < binIndex.length; k++) {
        const f = k % nFeatures;
        binIndex[k] = f * stride + binned.bins[k];
        columnBins[f * nRows + (k - f) / nFeatures] = binned.bins[k];
    }
    const grad = new Float64Array(nRows);
    const hess = new Float64Array(nRows);
    const ctx = { binIndex, columnBins, nRows, nFeatures, stride, binCount: binned.binCount, grad, hess };
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
        const lossBefore = gradientsAndLoss(margins, y, grad, hess);
        if (round > 0)
            history.train.push(lossBefore);
        const features = sampleFeatures(nFeatures, p.colsampleByTree, rand);
        const nSampled = sampleRows(nRows, p.subsample, rand, rows, inSample);
        const bt = growTree(ctx, p, rows, nSampled, features, scratch);
        const tree = toTree(bt, binned.thresholds);
        trees.push(tree);
        // Sampled rows: each leaf owns a contiguous range of `rows`.
        for (let node = 0; node < bt.feature.length; node++) {
            if (bt.feature[node] >= 0)
                continue;
            const v = bt.value[node];
            for (let i = bt.rowStart[node]; i < bt.rowEnd[node]; i++)
                margins[rows[i]] += v;
        }
        if (nSampled < nRows) {
            for (let i = 0; i < nRows; i++)
                if (!inSample[i])
                    margins[i] += treeLeafValue(tree, train.X, i * nFeatures);
        }
        if (validation && valMargins && history.validation) {
            for (let i = 0; i < validation.nRows; i++)
                valMargins[i] += treeLeafValue(tree, validation.X, i * nFeatures);
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
    history.train.push(meanLogLoss(margins, y));
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
    const n = scores.length;
    const pos = countPositives(labels);
    if (pos === 0)
        return NaN;
    const order = orderDescending(scores);
    let tp = 0;
    let fp = 0;
    let ap = 0;
    let prevRecall = 0;
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
        const recall = tp / pos;
        ap += (recall - prevRecall) * (tp / (tp + fp));
        prevRecall = recall;
    }
    return ap;
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
    const order = orderDescending(scores);
    let best = confusionFromCounts(Infinity, 0, 0, pos, n);
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
        const c = confusionFromCounts(s, tp, fp, pos, n);
        if (c.f1 > best.f1)
            best = c;
    }
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

// EXTERNAL MODULE: ./node_modules/protobufjs/index.js
var protobufjs = __webpack_require__(1853);
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
const onnx_schema_DTYPE = { FLOAT: 1, INT64: 7, DOUBLE: 11 };
function encodeModel(model) {
    const message = MODEL_PROTO.fromObject(model);
    return MODEL_PROTO.encode(message).finish();
}
/** Throws protobufjs' error when the bytes are not a protobuf message. */
function onnx_schema_decodeModel(bytes) {
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
 * Cover: taken from nodes_hitrates when present (our export writes the
 * training hessian sums there, as float32). Otherwise cover is NaN and
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
    const t = { feature: [], threshold: [], left: [], right: [], value: [], cover: [] };
    // Depth-first, preorder: children get indices after their parent.
    const visit = (e) => {
        const index = t.feature.length;
        if (index > entries.length)
            throw new ModelError(`tree ${treeId}: node ${raw.nodeIds[e]} is reached twice (the tree has a cycle)`);
        const mode = raw.modes[e];
        t.feature.push(-1);
        t.threshold.push(0);
        t.left.push(-1);
        t.right.push(-1);
        t.value.push(0);
        t.cover.push(useHitrates ? raw.hitrates[e] : NaN);
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
    if (t.feature.length !== entries.length)
        throw new ModelError(`tree ${treeId}: ${entries.length - t.feature.length} nodes are not reachable from the root`);
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
    const useHitrates = raw.hitrates.length === raw.treeIds.length;
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
        type: { tensor_type: { elem_type: onnx_schema_DTYPE.FLOAT, shape: { dim: [{ dim_param: 'N' }, { dim_value: cols }] } } }
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
        throw new errors_ModelError('cannot export an ensemble without trees');
    ensemble.trees.forEach((tree, t) => {
        for (let i = 0; i < tree.feature.length; i++) {
            const f = tree.feature[i];
            if (f >= ensemble.nFeatures)
                throw new errors_ModelError(`tree ${t}, node ${i}: feature ${f} is outside 0..${ensemble.nFeatures - 1}`);
            if (f >= 0 && !(tree.left[i] > i && tree.right[i] > i && tree.left[i] < tree.feature.length && tree.right[i] < tree.feature.length)) {
                throw new errors_ModelError(`tree ${t}, node ${i}: children ${tree.left[i]}, ${tree.right[i]} are not later nodes of the tree`);
            }
        }
    });
}
function ensembleToOnnx(ensemble, opts) {
    checkEnsemble(ensemble);
    const margin = 'margin';
    const names = new Set([opts.inputName, opts.outputName, margin]);
    if (names.size !== 3 || !opts.inputName || !opts.outputName) {
        throw new errors_ModelError(`ONNX input and output names must be non-empty, different, and not "${margin}" (got "${opts.inputName}", "${opts.outputName}")`);
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
                { input: [opts.inputName], output: [margin], name: 'trees', op_type: 'TreeEnsembleRegressor', domain: 'ai.onnx.ml', attribute: treeAttributes(ensemble) },
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
 * The features to train on: the firmware schema when the data has all its
 * columns and label (and no explicit list), else the named columns or every
 * numeric column but the id and the label, with types inferred from the data
 * (all 0/1 → boolean, all whole → integer, all ≥ 0 → min 0).
 */
function chooseSchema(raw, file, label, idColumn, names) {
    const firmwareNames = FIRMWARE_SCHEMA.features.map((feature) => feature.name);
    if (!names && label === FIRMWARE_SCHEMA.label && firmwareNames.every((name) => raw.columns.includes(name))) {
        return { ...FIRMWARE_SCHEMA, idColumn };
    }
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
function splitRows(labels, fraction, split, seed) {
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
    const { train, validation } = splitRows(table.labels, options.validationFraction, options.split, options.seed);
    const trainSet = subset(table, train);
    const validationSet = subset(table, validation);
    const params = { ...DEFAULT_GBDT_PARAMS, seed: options.seed, ...options.params };
    const started = performance.now();
    const { ensemble } = trainGbdt(trainSet, params, validationSet);
    const seconds = (performance.now() - started) / 1000;
    const scores = predictProbabilities(ensemble, validationSet.X, validationSet.nRows);
    const baseRate = validationSet.y.reduce((sum, label) => sum + label, 0) / validationSet.nRows;
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
    return { card, onnx, ensemble };
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
/** The auditable scored CSV text for a result. */
function scoredCsv(result) {
    return toCsv(scoredRows(result));
}
/** `<dir>/<name>.scored.csv` beside the input file. */
function defaultScoredPath(file) {
    const parsed = external_node_path_.parse(file);
    return external_node_path_.join(parsed.dir, `${parsed.name}.scored.csv`);
}



/***/ })

};
