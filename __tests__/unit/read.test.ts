import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import Papa from 'papaparse';
import { FIRMWARE_SCHEMA, InputError, parsePatchText, readPatchFile, type ReadOptions } from '../../src/index.js';
import { parseCell } from '../../src/core/schema.js';
import { guessDelimiter, parseCsvFile, parseCsvText, type CsvChunkHandlers } from '../../src/core/csv.js';
import { plainDelimiter } from '../../src/core/csv-plain.js';
import { ByteOutput, planCells, planValues, round, writePlanCells } from '../../src/core/output.js';
import { DEFAULT_PLAN_OPTIONS, planColumns, plannedPatch } from '../../src/core/plan.js';

const options: ReadOptions = { features: FIRMWARE_SCHEMA.features, idColumn: 'patch_id', label: 'high_risk_flag' };
const HEADER = 'patch_id,code_churn_score,patch_size_mb,lines_changed,files_changed,avg_device_age_days,is_hotfix,patch_security';

function csv(...rows: string[]): string {
  return [HEADER, ...rows].join('\n') + '\n';
}

function errorOf(run: () => unknown): InputError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return error as InputError;
  }
  throw new Error('expected an InputError');
}

describe('parseCell', () => {
  const integer = { name: 'lines_changed', type: 'integer' as const, min: 0 };
  const bool = { name: 'is_hotfix', type: 'boolean' as const };
  it('accepts 3.0 but not 3.5 for integers', () => {
    expect(parseCell(integer, '3.0')).toEqual({ ok: true, value: 3 });
    expect(parseCell(integer, '3.5').ok).toBe(false);
  });
  it('refuses negative, non-numeric, NaN, Infinity and 1e309', () => {
    for (const raw of ['-1', 'abc', 'NaN', 'Infinity', '1e309', '', '0x10', '1,000']) expect(parseCell(integer, raw).ok).toBe(false);
  });
  it('reads booleans case-insensitively', () => {
    for (const raw of ['1', 'TRUE', 'Yes', 'true', 'yes']) expect(parseCell(bool, raw)).toEqual({ ok: true, value: 1 });
    for (const raw of ['0', 'False', 'NO']) expect(parseCell(bool, raw)).toEqual({ ok: true, value: 0 });
    expect(parseCell(bool, 'maybe').ok).toBe(false);
    expect(parseCell(bool, '2').ok).toBe(false);
  });
});

describe('parsePatchText (CSV)', () => {
  it('reads any column order, keeps extra columns, tolerates BOM-free CRLF and quoted fields', () => {
    const text =
      'owner,is_hotfix,patch_security,lines_changed,files_changed,patch_size_mb,code_churn_score,avg_device_age_days,patch_id\r\n' +
      '"Smith, J",yes,FALSE,120,3.0,1.5,0.4,300,FW-1\r\n' +
      '"multi\nline",0,1,5,1,0.1,0.2,10,FW-2\r\n';
    const table = parsePatchText(text, 'p.csv', 'csv', options);
    expect(table.ids).toEqual(['FW-1', 'FW-2']);
    expect(table.columns[0]).toBe('owner');
    expect(table.rows[0][0]).toBe('Smith, J');
    expect(Array.from(table.features.subarray(0, 7))).toEqual([0.4, 1.5, 120, 3, 300, 1, 0].map(Math.fround));
    expect(Array.from(table.lines)).toEqual([2, 3]);
    expect(table.labels).toBeUndefined();
  });

  it('uses the 1-based row number as id when the id column is absent', () => {
    const text = csv('a,0.1,1,10,1,100,0,0', 'b,0.1,1,10,1,100,0,0').replace(/^patch_id,/, 'name,');
    const table = parsePatchText(text, 'p.csv', 'csv', options);
    expect(table.ids).toEqual(['1', '2']);
    expect(table.idColumn).toBeUndefined();
  });

  it('lists every missing column', () => {
    const error = errorOf(() => parsePatchText('patch_id,lines_changed\nA,3\n', 'p.csv', 'csv', options));
    expect(error.message).toBe(
      'p.csv: missing required columns: code_churn_score, patch_size_mb, files_changed, avg_device_age_days, is_hotfix, patch_security'
    );
  });

  it('names the file, row, column and what was expected', () => {
    const error = errorOf(() => parsePatchText(csv('A,0.1,1,10,1,100,0,0', 'B,0.1,1,3.5,1,100,0,0'), 'p.csv', 'csv', options));
    expect(error.message).toBe('p.csv, row 2, column "lines_changed": expected a whole number >= 0, found "3.5" (line 3)');
    expect(error.row).toBe(2);
    expect(error.column).toBe('lines_changed');
  });

  it('refuses negative and non-numeric values and empty cells', () => {
    expect(errorOf(() => parsePatchText(csv('A,-0.1,1,10,1,100,0,0'), 'p.csv', 'csv', options)).message).toMatch(
      /row 1, column "code_churn_score": expected a number >= 0, found "-0.1"/
    );
    expect(errorOf(() => parsePatchText(csv('A,0.1,big,10,1,100,0,0'), 'p.csv', 'csv', options)).message).toMatch(
      /column "patch_size_mb": expected a number >= 0, found "big"/
    );
    expect(errorOf(() => parsePatchText(csv('A,0.1,1,10,1,,0,0'), 'p.csv', 'csv', options)).message).toMatch(
      /column "avg_device_age_days": expected a number >= 0, found an empty cell/
    );
  });

  it('refuses an empty file, a header-only file and ragged rows', () => {
    expect(errorOf(() => parsePatchText('', 'p.csv', 'csv', options)).message).toMatch(/p.csv: the file is empty/);
    expect(errorOf(() => parsePatchText(`${HEADER}\n`, 'p.csv', 'csv', options)).message).toMatch(/header row but no patch rows/);
    expect(errorOf(() => parsePatchText(csv('A,0.1,1,10,1,100,0'), 'p.csv', 'csv', options)).message).toMatch(
      /row 1: expected 8 fields as in the header, found 7/
    );
  });

  it('reads labels when present and checks them', () => {
    const text = `${HEADER},high_risk_flag\nA,0.1,1,10,1,100,0,0,1\nB,0.1,1,10,1,100,0,0,0\n`;
    expect(Array.from(parsePatchText(text, 'p.csv', 'csv', options).labels ?? [])).toEqual([1, 0]);
    expect(errorOf(() => parsePatchText(text.replace(',0,0,1\n', ',0,0,7\n'), 'p.csv', 'csv', options)).message).toMatch(
      /row 1, column "high_risk_flag": expected a label of 0 or 1/
    );
  });
});

describe('parsePatchText (JSON)', () => {
  it('reads an array of objects with booleans and numbers', () => {
    const text = JSON.stringify(
      [
        {
          patch_id: 'J1',
          code_churn_score: 0.3,
          patch_size_mb: 2,
          lines_changed: 40,
          files_changed: 2,
          avg_device_age_days: 50,
          is_hotfix: true,
          patch_security: 'no'
        }
      ],
      null,
      2
    );
    const table = parsePatchText(text, 'p.json', 'json', options);
    expect(table.ids).toEqual(['J1']);
    expect(table.features[5]).toBe(1);
    expect(table.lines[0]).toBe(2);
  });
  it('refuses non-arrays and nested values with row and column', () => {
    expect(errorOf(() => parsePatchText('{"a":1}', 'p.json', 'json', options)).message).toMatch(
      /expected a JSON array of patch objects, found an object/
    );
    expect(errorOf(() => parsePatchText('[{"patch_id":"x","lines_changed":[1]}]', 'p.json', 'json', options)).message).toMatch(
      /p.json, row 1, column "lines_changed": expected a number, boolean or text/
    );
    expect(errorOf(() => parsePatchText('[1,2', 'p.json', 'json', options)).message).toMatch(/not valid JSON/);
  });
});

describe('readPatchFile', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'prg-read-'));
  it('drops a UTF-8 BOM and refuses UTF-16 and missing files', async () => {
    const file = path.join(dir, 'bom.csv');
    writeFileSync(file, '\ufeff' + csv('A,0.1,1,10,1,100,0,0'));
    expect((await readPatchFile(file, options)).ids).toEqual(['A']);
    const utf16 = path.join(dir, 'u16.csv');
    writeFileSync(utf16, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(csv('A,0.1,1,10,1,100,0,0'), 'utf16le')]));
    await expect(readPatchFile(utf16, options)).rejects.toThrow(/UTF-16 encoded/);
    await expect(readPatchFile(path.join(dir, 'nope.csv'), options)).rejects.toThrow(/nope.csv: cannot read the file: no such file/);
  });
});

describe('CSV in pieces (bounded memory)', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'prg-pieces-'));
  // Quoted fields with commas, quotes and line breaks, CRLF and LF mixed, blank lines: long enough for many pieces.
  const rows = Array.from({ length: 3000 }, (_, i) => [
    `P-${i}`,
    i % 7 === 0 ? `"multi\nline ""${i}""\r\nnote"` : i % 5 === 0 ? `"a, b"` : `plain${i}`,
    String(i)
  ]);
  const text = `id,note,n\r\n${rows.map((row, i) => row.join(',') + (i % 3 === 0 ? '\r\n' : '\n') + (i % 11 === 0 ? '\n' : '')).join('')}`;

  function collect(parse: (handlers: CsvChunkHandlers) => number) {
    const seen: string[][] = [];
    let header: string[] = [];
    const count = parse({
      header: (columns) => (header = columns),
      rows: (chunk, first) => chunk.forEach((row, k) => (seen[first + k] = row))
    });
    return { header, seen, count };
  }

  it('hands over the same rows as one papaparse call, from text and from a file, whatever the line endings', () => {
    // Line breaks are read as LF everywhere, also inside quoted fields.
    const whole = Papa.parse<string[]>(text.replace(/\r\n?/g, '\n'), { skipEmptyLines: true, newline: '\n' }).data;
    const file = path.join(dir, 'pieces.csv');
    writeFileSync(file, text);
    for (const result of [collect((h) => parseCsvText(text, 'x.csv', h)), collect((h) => parseCsvFile(file, h))]) {
      expect(result.count).toBe(3000);
      expect(result.header).toEqual(whole[0]);
      expect(result.seen).toEqual(whole.slice(1));
    }
  });

  it('names the line of a bad row found while streaming a file', () => {
    const file = path.join(dir, 'ragged.csv');
    writeFileSync(file, `${text}P-x,only two\n`);
    expect(() => parseCsvFile(file, { header: () => undefined, rows: () => undefined })).toThrow(
      new RegExp(`row 3001: expected 3 fields as in the header, found 2 \\(line ${text.split('\n').length}\\)`)
    );
  });
});

describe('problems in row order, and what the messages say', () => {
  it('a bad cell before a ragged row is reported first, in the same words by the reader and the gate’s parser', () => {
    const text = csv('A,0.1,1,10,1,100,0,0', 'B,x,1,10,1,100,0,0', 'C,0.1,1,10');
    expect(errorOf(() => parsePatchText(text, 'p.csv', 'csv', options)).message).toBe(
      'p.csv, row 2, column "code_churn_score": expected a number >= 0, found "x" (line 3)'
    );
    // Header problems come before any row.
    expect(errorOf(() => parsePatchText('patch_id,lines_changed\nA,1,2,3\n', 'p.csv', 'csv', options)).message).toMatch(
      /p.csv: missing required columns: /
    );
  });

  it('refuses a named id column that is missing (listing the columns), but not the card default', () => {
    const text = csv('A,0.1,1,10,1,100,0,0');
    expect(errorOf(() => parsePatchText(text, 'p.csv', 'csv', { ...options, idColumn: 'id', idColumnRequired: true })).message).toBe(
      'p.csv: the id column "id" is not in the file; its columns are "patch_id", "code_churn_score", "patch_size_mb", "lines_changed", ' +
        '"files_changed", "avg_device_age_days", "is_hotfix", "patch_security"'
    );
    expect(parsePatchText(text, 'p.csv', 'csv', { ...options, idColumn: 'id' }).ids).toEqual(['1']);
  });

  it('says a .csv text holding JSON is JSON', () => {
    for (const text of ['[{"patch_id": "A"}]', '  \n{"a": 1}\n']) {
      expect(errorOf(() => parsePatchText(text, 'p.csv', 'csv', options)).message).toMatch(
        /^p\.csv: the file holds JSON, not CSV \(it starts with "[[{]"\): JSON patch files are read as JSON when their name ends in \.json/
      );
    }
  });

  it('adds what to do to a number written with a decimal comma', () => {
    const semicolons = `${HEADER.replace(/,/g, ';')}\nA;0,5;1;10;1;100;0;0\n`;
    expect(errorOf(() => parsePatchText(semicolons, 'p.csv', 'csv', options)).message).toBe(
      'p.csv, row 1, column "code_churn_score": expected a number >= 0, found "0,5" (line 2); decimal commas are not read: write numbers ' +
        'with a dot (0.5, not 0,5) and no thousands separators, e.g. by saving the file with "." as the decimal separator'
    );
    expect(errorOf(() => parsePatchText(csv('A,0.1,1,x,1,100,0,0'), 'p.csv', 'csv', options)).message).not.toMatch(/decimal/);
  });
});

describe('the byte reader’s pieces', () => {
  it('guesses the delimiter as papaparse does for any quote-free start of a file', () => {
    const line = fc
      .array(fc.constantFrom(',', '\t', '|', ';', '\x1e', '\x1f', 'a', ' ', 'é'), { maxLength: 12 })
      .map((cells) => cells.join(''));
    fc.assert(
      fc.property(fc.array(line, { minLength: 1, maxLength: 14 }), fc.constantFrom('\n', '\r\n'), fc.boolean(), (lines, newline, more) => {
        const text = lines.join(newline);
        const bytes = Buffer.from(text, 'utf8');
        const guessed = plainDelimiter(bytes, 0, more);
        if (guessed === undefined) {
          expect(more && lines.length < 11).toBe(true);
          return;
        }
        expect(String.fromCharCode(guessed)).toBe(guessDelimiter(text.replace(/\r\n/g, '\n')));
      }),
      { seed: 14, numRuns: 3000 }
    );
  });

  it('writes numbers as String() writes the plan’s rounded values, and plan cells as planValues gives them', () => {
    const values = [0, 1, 0.5, 0.1, 1e-6, 4e-7, 5e-7, 0.9999995, 2147.483647, 2147.4836475, 1234567.891, 1e21, 3.3333333];
    const random = fc.sample(fc.double({ min: 0, max: 1e4, noNaN: true }), { seed: 3, numRuns: 20000 });
    for (const digits of [1, 3, 4, 6]) {
      let text = '';
      const output = new ByteOutput((chunk) => (text += Buffer.from(chunk as Uint8Array).toString('latin1')), 64);
      const expected: string[] = [];
      for (const value of [...values, ...random]) {
        output.rounded(value, digits);
        output.byte(10);
        expected.push(String(round(value, digits)));
      }
      output.flush();
      expect(text.split('\n').slice(0, -1)).toEqual(expected);
    }
    const scores = Float64Array.from(random.slice(0, 500), (x) => Math.fround((x % 1000) / 1000));
    const plan = planColumns(
      scores,
      Float64Array.from(scores, (x) => x * 3000),
      {
        ...DEFAULT_PLAN_OPTIONS,
        highThreshold: 0.7,
        mediumThreshold: 0.3,
        baseRate: 0.15
      }
    );
    let bytes = '';
    const output = new ByteOutput((chunk) => (bytes += Buffer.from(chunk as Uint8Array).toString('latin1')), 64);
    for (let r = 0; r < scores.length; r++) {
      writePlanCells(output, plan, r);
      output.byte(10);
      expect(planCells(plan, r)).toBe(planValues(plannedPatch(plan, r)).join(','));
    }
    output.flush();
    expect(bytes.split('\n').slice(0, -1)).toEqual(Array.from(scores, (_, r) => planCells(plan, r)));
  });
});
