import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { parseTree, ParseError } from 'jsonc-parser';
import {
  analyseFile, CatalogProblem, IMPORT_FILE_LIMIT_BYTES, Range, summarise,
  validateAnalyses, validateFile, validateWorkspace,
} from '../../src/core/catalogRules';
import { scanSkus } from '../../src/core/skuScanner';

const FIXTURES = path.resolve(__dirname, '../../../test/fixtures');
const RULES = path.join(FIXTURES, 'rules');

function read(rel: string): string {
  return fs.readFileSync(path.join(RULES, rel), 'utf8');
}

/** Offset of a position, counted by hand (CRLF, LF and lone CR), independent of the module. */
function offsetAt(text: string, pos: { line: number; character: number }): number {
  let line = 0;
  let i = 0;
  while (line < pos.line) {
    if (i >= text.length) throw new Error(`line ${pos.line} out of range`);
    const c = text[i];
    if (c === '\n' || (c === '\r' && text[i + 1] !== '\n')) line++;
    i++;
  }
  return i + pos.character;
}

function textAt(text: string, range: Range): string {
  return text.slice(offsetAt(text, range.start), offsetAt(text, range.end));
}

function applyFix(text: string, p: CatalogProblem): string {
  assert.ok(p.fix, `expected a fix on ${p.code} ${p.message}`);
  return text.slice(0, offsetAt(text, p.fix.range.start)) + p.fix.newText + text.slice(offsetAt(text, p.fix.range.end));
}

function assertStrictJson(text: string): void {
  const errors: ParseError[] = [];
  parseTree(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  assert.deepStrictEqual(errors, []);
  JSON.parse(text);
}

function ofCode(problems: CatalogProblem[], code: string | number): CatalogProblem[] {
  return problems.filter((p) => p.code === code);
}

describe('catalogRules', () => {
  describe('rule 1817: empty SKU', () => {
    it('flags the empty SKU at its "" token, and nothing else', () => {
      const text = read('empty-sku.json');
      const problems = validateFile('empty-sku.json', text);
      assert.strictEqual(problems.length, 1);
      const [p] = problems;
      assert.strictEqual(p.code, 1817);
      assert.strictEqual(p.severity, 'error');
      assert.strictEqual(p.file, 'empty-sku.json');
      assert.match(p.message, /SKU can't be empty/);
      assert.strictEqual(textAt(text, p.range), '""');
      assert.deepStrictEqual(p.range, { start: { line: 7, character: 13 }, end: { line: 7, character: 15 } });
    });

    it('two empty SKUs are two 1817 errors, not duplicates', () => {
      const text = read('empty-sku.json');
      const other = text.replace('ok.item', 'other.item');
      const problems = validateWorkspace(new Map([['a.json', text], ['b.json', other]]));
      assert.deepStrictEqual(problems.map((p) => [p.file, p.code]), [['a.json', 1817], ['b.json', 1817]]);
    });
  });

  describe('rule sku-invalid-chars / sku-too-long', () => {
    const file = 'invalid-sku.json';
    const text = read(file);

    it('flags invalid characters with an exact UTF-16 range and a fix to "_"', () => {
      const problems = ofCode(validateFile(file, text), 'sku-invalid-chars');
      assert.deepStrictEqual(problems.map((p) => textAt(text, p.range)), ['épée sword', 'a/b']);
      const [accents, slash] = problems;
      // Line 2 holds a non-BMP emoji (2 UTF-16 units) before the SKU.
      const line2 = text.split('\n')[2];
      assert.strictEqual(accents.range.start.line, 2);
      assert.strictEqual(accents.range.start.character, line2.indexOf('épée'));
      assert.strictEqual(accents.severity, 'error');
      assert.match(accents.message, /"é" \(U\+00E9\)/);
      assert.match(accents.message, /" " \(space\)/);
      assert.deepStrictEqual(accents.fix?.newText, '_p_e_sword');
      // "a_b" is already defined: no fix that would create a duplicate.
      assert.strictEqual(slash.fix, undefined);

      const fixed = applyFix(text, accents);
      assertStrictJson(fixed);
      assert.deepStrictEqual(
        ofCode(validateFile(file, fixed), 'sku-invalid-chars').map((p) => textAt(fixed, p.range)), ['a/b']);
    });

    it('withdraws the fix when another file of the workspace defines the result', () => {
      const other = '{"virtual_items": [{"sku": "_p_e_sword"}]}';
      const problems = validateWorkspace(new Map([[file, text], ['other.json', other]]));
      const p = problems.find((x) => x.code === 'sku-invalid-chars' && textAt(text, x.range) === 'épée sword');
      assert.ok(p);
      assert.strictEqual(p.fix, undefined);
      // ...but keeps it when nothing else defines it.
      const alone = validateWorkspace(new Map([[file, text]]));
      assert.strictEqual(alone.find((x) => x.code === 'sku-invalid-chars' && x.range.start.line === 2)?.fix?.newText, '_p_e_sword');
    });

    it('flags a SKU over 255 characters, and accepts 255 and the allowed set (incl. en dash)', () => {
      const problems = validateFile(file, text);
      const long = ofCode(problems, 'sku-too-long');
      assert.strictEqual(long.length, 1);
      assert.strictEqual(textAt(text, long[0].range), 'x'.repeat(256));
      assert.match(long[0].message, /256 characters.*255/);
      assert.ok(!problems.some((p) => textAt(text, p.range) === 'fine-sku_1.0–beta'));

      const ok255 = `{"virtual_items": [{"sku": "${'y'.repeat(255)}"}]}`;
      assert.deepStrictEqual(validateFile('f.json', ok255), []);
    });

    it('counts and replaces characters by code point (a non-BMP emoji is one character)', () => {
      const t = `{"virtual_items": [{"sku": "gem\u{1F48E}"}, {"sku": "${'z'.repeat(254)}\u{1F48E}"}]}`;
      const problems = validateFile('e.json', t);
      assert.deepStrictEqual(problems.map((p) => [p.code, textAt(t, p.range).length]), [
        ['sku-invalid-chars', 5], ['sku-invalid-chars', 256],
      ]);
      assert.strictEqual(problems[0].fix?.newText, 'gem_');
      assert.match(problems[0].message, /U\+1F48E/);
      assertStrictJson(applyFix(t, problems[0]));
    });
  });

  describe('rule sku-duplicate', () => {
    const a = read('duplicates/a.json');
    const b = read('duplicates/b.json');
    const files = new Map([['dup/a.json', a], ['dup/b.json', b]]);

    it('flags each definition, with the others as related information', () => {
      const problems = validateWorkspace(files);
      const dups = ofCode(problems, 'sku-duplicate');
      const text = (f: string): string => (f === 'dup/a.json' ? a : b);
      assert.deepStrictEqual(
        dups.map((p) => [p.file, textAt(text(p.file), p.range), p.range.start.line]),
        [['dup/a.json', 'dup.cross', 2], ['dup/a.json', 'dup.local', 3], ['dup/a.json', 'dup.local', 5], ['dup/b.json', 'dup.cross', 3]],
      );
      for (const p of dups) {
        assert.strictEqual(p.severity, 'error');
        assert.strictEqual(p.related?.length, 1);
        const r = p.related[0];
        assert.strictEqual(textAt(text(r.file), r.range), textAt(text(p.file), p.range));
        assert.notDeepStrictEqual([r.file, r.range], [p.file, p.range]);
      }
      const cross = dups.find((p) => p.file === 'dup/b.json')!;
      assert.strictEqual(cross.related![0].file, 'dup/a.json');
      assert.deepStrictEqual(cross.related![0].range.start, { line: 2, character: 14 });
      assert.match(cross.message, /"dup\.cross" is defined 2 times in the workspace/);
      // unique.a is defined once and referenced from b.json: not a duplicate, not unknown.
      assert.strictEqual(problems.length, 4);
    });

    it('is a workspace rule: validateFile alone reports no duplicates', () => {
      assert.deepStrictEqual(validateFile('dup/a.json', a), []);
    });
  });

  describe('rule 4055: no default price', () => {
    const file = 'default-price.json';
    const text = read(file);

    it('flags paid items whose prices have no is_default: true, at the item SKU', () => {
      const problems = validateFile(file, text);
      assert.ok(problems.every((p) => p.code === 4055 && p.severity === 'error'));
      assert.deepStrictEqual(problems.map((p) => textAt(text, p.range)), [
        'no.default.multi', 'no.default.false', 'no.default.inline', 'no.default.string', 'no.default.free.string',
      ]);
      assert.match(problems[0].message, /Item default price not set/);
    });

    it('each fix sets is_default: true on the first price, keeps valid JSON and clears the rule', () => {
      const problems = validateFile(file, text);
      const expected: Record<string, string> = {
        'no.default.multi': ',\n          "is_default": true',
        'no.default.false': 'true',
        'no.default.inline': ', "is_default": true',
        'no.default.string': 'true',
        'no.default.free.string': 'true',
      };
      for (const p of problems) {
        const sku = textAt(text, p.range);
        assert.strictEqual(p.fix?.newText, expected[sku], sku);
        const fixed = applyFix(text, p);
        assertStrictJson(fixed);
        const item = (JSON.parse(fixed).virtual_items as { sku: string; prices: { is_default?: unknown }[] }[])
          .find((i) => i.sku === sku)!;
        assert.strictEqual(item.prices[0].is_default, true, sku);
        const after = validateFile(file, fixed).map((x) => textAt(fixed, x.range));
        assert.ok(!after.includes(sku), sku);
        assert.strictEqual(after.length, problems.length - 1);
      }
      // All fixes together (applied from the end) clear the file.
      let all = text;
      for (const p of [...problems].reverse()) all = applyFix(all, p);
      assertStrictJson(all);
      assert.deepStrictEqual(validateFile(file, all), []);
    });

    it('keeps CRLF line breaks and the indentation in the inserted line', () => {
      const crlf = text.replace(/\n/g, '\r\n');
      const p = validateFile(file, crlf)[0];
      assert.strictEqual(textAt(crlf, p.range), 'no.default.multi');
      assert.strictEqual(p.fix?.newText, ',\r\n          "is_default": true');
      const fixed = applyFix(crlf, p);
      assertStrictJson(fixed);
      assert.ok(fixed.includes('"currency": "USD",\r\n          "is_default": true\r\n        }'));
    });

    it('inserts into an empty first price object', () => {
      const t = '{"virtual_items": [{"sku": "e", "prices": [{}]}]}';
      const p = validateFile('e.json', t)[0];
      assert.strictEqual(p.code, 4055);
      const fixed = applyFix(t, p);
      assertStrictJson(fixed);
      assert.deepStrictEqual(JSON.parse(fixed).virtual_items[0].prices[0], { is_default: true });
    });
  });

  describe('rule unknown-reference', () => {
    const file = 'references/catalog.json';
    const text = read(file);

    it('warns on references defined nowhere, with "Change to" for close matches', () => {
      const problems = validateWorkspace(new Map([[file, text]]));
      assert.ok(problems.every((p) => p.code === 'unknown-reference' && p.severity === 'warning'));
      assert.deepStrictEqual(
        problems.map((p) => [textAt(text, p.range), p.fix?.title, p.fix?.newText]),
        [
          ['gemz', 'Change to gems', 'gems'],
          ['far.away.sku', undefined, undefined],
          ['gem_pack_10', 'Change to gem_pack_100', 'gem_pack_100'],
        ],
      );
      assert.match(problems[0].message, /"gemz" is not defined.*Did you mean "gems"\?/);
      for (const p of problems.filter((x) => x.fix)) {
        const fixed = applyFix(text, p);
        assertStrictJson(fixed);
        const after = validateWorkspace(new Map([[file, fixed]]));
        assert.strictEqual(after.length, problems.length - 1);
        assert.ok(!after.some((x) => x.range.start.line === p.range.start.line && x.fix?.newText === p.fix!.newText));
      }
    });

    it('resolves references against definitions in other files, and is a workspace rule', () => {
      const defs = '{"virtual_currency": [{"sku": "gemz"}, {"sku": "far.away.sku"}, {"sku": "gem_pack_10"}]}';
      assert.deepStrictEqual(validateWorkspace(new Map([[file, text], ['defs.json', defs]])), []);
      assert.deepStrictEqual(validateFile(file, text), []);
    });

    it('finds the same definitions and references as the SKU scanner', () => {
      for (const rel of ['references/catalog.json', 'default-price.json', 'duplicates/a.json', 'duplicates/b.json', 'invalid-sku.json']) {
        const t = read(rel);
        const a = analyseFile(rel, t);
        const s = scanSkus(t);
        const key = (o: { sku: string; offset: number; length: number }): string => `${o.sku}@${o.offset}+${o.length}`;
        assert.deepStrictEqual(a.definitions.map(key), s.definitions.map(key), rel);
        assert.deepStrictEqual(a.references.map(key), s.references.map(key), rel);
      }
    });

    it('suggests the closest SKU within edit distance 2, lowest in code-unit order on ties', () => {
      const defs = ['com.example.gems', 'com.example.gold', 'com.example.gems_pack_100', 'b', 'ab', 'abcd', 'mges', 'x.sword', 'x.swore'];
      const catalog = JSON.stringify({ virtual_items: defs.map((sku) => ({ sku })) });
      const suggestionFor = (ref: string): string | undefined => {
        const bundle = JSON.stringify({ bundle: [{ sku: 'bb', content: [{ sku: ref }] }] });
        const problems = validateWorkspace(new Map([['defs.json', catalog], ['b.json', bundle]]));
        assert.strictEqual(problems.length, 1, ref);
        return problems[0].fix?.newText;
      };
      assert.strictEqual(suggestionFor('com.example.gemz'), 'com.example.gems'); // substitution
      assert.strictEqual(suggestionFor('com.example.gms'), 'com.example.gems'); // deletion
      assert.strictEqual(suggestionFor('com.example.gemss'), 'com.example.gems'); // insertion
      assert.strictEqual(suggestionFor('com.example.egms'), 'com.example.gems'); // transposition = 2
      assert.strictEqual(suggestionFor('com.example.gems_pack_10'), 'com.example.gems_pack_100');
      assert.strictEqual(suggestionFor('Xcom.example.gold'), 'com.example.gold'); // edit at the start
      assert.strictEqual(suggestionFor('com.example.XXXX'), undefined); // distance 4
      assert.strictEqual(suggestionFor('abcdef'), 'abcd'); // two insertions
      assert.strictEqual(suggestionFor('abcdefg'), undefined); // three
      assert.strictEqual(suggestionFor('x.swor'), 'x.sword'); // tie at 1 with x.swore: lowest wins
      assert.strictEqual(suggestionFor('xb'), 'ab'); // tie at 1 between "ab" and "b": "ab" < "b"
    });
    it('suggestions agree with a brute-force Levenshtein search on random SKUs', () => {
      let seed = 12345;
      const rnd = (n: number): number => {
        seed = (seed * 1103515245 + 12345) & 0x7fffffff;
        return seed % n;
      };
      const word = (): string => {
        let w = '';
        const len = 1 + rnd(7);
        for (let i = 0; i < len; i++) w += 'ab.–'[rnd(4)];
        return w;
      };
      const lev = (a: string, b: string): number => {
        const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...new Array<number>(b.length).fill(0)]);
        for (let j = 1; j <= b.length; j++) d[0][j] = j;
        for (let i = 1; i <= a.length; i++) {
          for (let j = 1; j <= b.length; j++) {
            d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
          }
        }
        return d[a.length][b.length];
      };
      for (let round = 0; round < 20; round++) {
        const defs = [...new Set(Array.from({ length: 5 + rnd(40) }, word))];
        const refs = [...new Set(Array.from({ length: 30 }, word))].filter((r) => !defs.includes(r));
        const files = new Map([
          ['defs.json', JSON.stringify({ virtual_items: defs.map((sku) => ({ sku })) })],
          ['refs.json', JSON.stringify({ bundle: [{ sku: 'zz', content: refs.map((sku) => ({ sku })) }] })],
        ]);
        const problems = validateWorkspace(files);
        assert.strictEqual(problems.length, refs.length);
        problems.forEach((p, k) => {
          const ref = refs[k];
          assert.strictEqual(textAt(files.get('refs.json')!, p.range), ref);
          // Closest; ties: nearest length, shorter first, then code-unit order.
          const rank = (d: string): [number, number, number] => [lev(ref, d), Math.abs(d.length - ref.length), d.length];
          const ranked = [...defs, 'zz'].filter((d) => lev(ref, d) <= 2).sort((x, y) => {
            const [a, b] = [rank(x), rank(y)];
            return a[0] - b[0] || a[1] - b[1] || a[2] - b[2] || (x < y ? -1 : x > y ? 1 : 0);
          });
          assert.strictEqual(p.fix?.newText, ranked[0], `${ref} among ${defs.join(' ')}`);
        });
      }
    });
  });

  describe('rule file-too-large', () => {
    it('warns on the first line when the byte length is over 7 MB, not at exactly 7 MB', () => {
      const text = read('empty-sku.json');
      const over = ofCode(validateFile('big.json', text, IMPORT_FILE_LIMIT_BYTES + 1), 'file-too-large');
      assert.strictEqual(over.length, 1);
      assert.strictEqual(over[0].severity, 'warning');
      assert.match(over[0].message, /over the 7 MB import limit/);
      assert.deepStrictEqual(over[0].range, { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } });
      assert.deepStrictEqual(ofCode(validateFile('big.json', text, IMPORT_FILE_LIMIT_BYTES), 'file-too-large'), []);
    });

    it('measures UTF-8 bytes of the text when no byte length is given', function () {
      this.timeout(30_000);
      // ~5 MB of UTF-16 units but ~7.5 MB of UTF-8 (é is 2 bytes, in names only).
      const item = `{"sku": "ok_item_NNNNNN", "name": {"en": "${'é'.repeat(100)}"}},\n`;
      const count = Math.ceil((IMPORT_FILE_LIMIT_BYTES + 500_000) / Buffer.byteLength(item));
      const parts: string[] = [];
      for (let i = 0; i < count; i++) parts.push(item.replace('NNNNNN', String(i).padStart(6, '0')));
      const text = `{"virtual_items": [\n${parts.join('').slice(0, -2)}\n]}`;
      assert.ok(text.length < IMPORT_FILE_LIMIT_BYTES);
      const problems = validateFile('big.json', text);
      assert.deepStrictEqual(problems.map((p) => p.code), ['file-too-large']);
      assert.strictEqual(textAt(text, problems[0].range), '{"virtual_items": [');
    });
  });

  describe('rule invalid-json', () => {
    it('reports one error at the trailing comma and runs no other rule', () => {
      const text = read('invalid-json.json');
      const problems = validateFile('bad.json', text);
      assert.strictEqual(problems.length, 1);
      const [p] = problems;
      assert.strictEqual(p.code, 'invalid-json');
      assert.strictEqual(p.severity, 'error');
      assert.match(p.message, /trailing comma/);
      assert.deepStrictEqual(p.range.start, { line: 6, character: 6 });
      assert.strictEqual(textAt(text, p.range), ']');
    });

    it('skips workspace rules on the broken file but keeps its SKUs as defined', () => {
      const text = read('invalid-json.json');
      const other = '{"virtual_items": [{"sku": "broken"}], "bundle": [{"sku": "b", "content": [{"sku": "broken"}]}]}';
      const problems = validateWorkspace(new Map([['bad.json', text], ['other.json', other]]));
      assert.deepStrictEqual(problems.map((p) => [p.file, p.code]), [['bad.json', 'invalid-json']]);
    });

    it('reports comments, and a catalog cut short', () => {
      const commented = '{\n  // price list\n  "virtual_items": [{"sku": "a"}]\n}';
      const [c] = validateFile('c.json', commented);
      assert.strictEqual(c.code, 'invalid-json');
      assert.strictEqual(textAt(commented, c.range), '// price list');
      assert.match(c.message, /comments are not allowed/);
      const cut = '{"virtual_items": [{"sku": "a"}, {"sku": "b"';
      const [t] = validateFile('t.json', cut);
      assert.strictEqual(t.code, 'invalid-json');
      assert.deepStrictEqual(t.range.start, { line: 0, character: cut.length });
    });
  });

  describe('non-catalog JSON', () => {
    it('yields no problems for package.json, tsconfig.json or nested skus', () => {
      const files = new Map<string, string>();
      for (const name of fs.readdirSync(path.join(RULES, 'not-catalog'))) {
        const text = read(`not-catalog/${name}`);
        files.set(name, text);
        assert.deepStrictEqual(validateFile(name, text, IMPORT_FILE_LIMIT_BYTES * 2), [], name);
      }
      assert.strictEqual(files.size, 3);
      assert.deepStrictEqual(validateWorkspace(files), []);
      assert.deepStrictEqual(validateFile('empty.json', ''), []);
      assert.deepStrictEqual(validateFile('arr.json', '[{"sku": ""}]'), []);
    });
  });

  describe('sample workspace', () => {
    it('yields the planted 4055 on sword_iron and the gemz reference with "Change to com.example.gems"', () => {
      const dir = path.join(FIXTURES, 'catalog-workspace', 'catalog');
      const files = new Map<string, string>();
      for (const name of fs.readdirSync(dir).sort()) files.set(`catalog/${name}`, fs.readFileSync(path.join(dir, name), 'utf8'));
      files.set('package.json', read('not-catalog/package.json'));
      const problems = validateWorkspace(files);
      assert.deepStrictEqual(
        problems.map((p) => [p.file, p.code, p.severity, textAt(files.get(p.file)!, p.range), p.fix?.newText]),
        [
          ['catalog/currency.json', 'unknown-reference', 'warning', 'com.example.gemz', 'com.example.gems'],
          ['catalog/items.json', 4055, 'error', 'com.example.sword_iron', 'true'],
        ],
      );
      assert.strictEqual(summarise(problems).text, 'Catalog: 1 error, 1 warning in 2 files');

      // Applying both fixes leaves a clean catalog.
      for (const p of problems) files.set(p.file, applyFix(files.get(p.file)!, p));
      for (const t of files.values()) assertStrictJson(t);
      assert.deepStrictEqual(validateWorkspace(files), []);
    });

    it('validateAnalyses on cached analyses gives the same result as validateWorkspace', () => {
      const files = new Map([['a.json', read('duplicates/a.json')], ['r.json', read('references/catalog.json')]]);
      const analyses = [...files].map(([f, t]) => analyseFile(f, t));
      const first = validateAnalyses(analyses);
      assert.deepStrictEqual(first, validateWorkspace(files));
      assert.deepStrictEqual(validateAnalyses(analyses), first); // analyses are not consumed
    });

    it('handles a few hundred files quickly (no quadratic loops)', function () {
      this.timeout(60_000);
      // 300 files × 200 items (60,000 SKUs sharing a long prefix); each item references an item
      // of the next file, every 50th one a near miss (one extra character) of an existing SKU.
      const files = new Map<string, string>();
      for (let f = 0; f < 300; f++) {
        const items: string[] = [];
        for (let i = 0; i < 200; i++) {
          const ref = i % 50 === 0 ? `com.studio.game.sku_${f}_${i}x` : `com.studio.game.sku_${(f + 1) % 300}_${i}`;
          items.push(`    {"sku": "com.studio.game.sku_${f}_${i}", "prices": [{"amount": 1, "currency": "USD", "is_default": true}], "content": [{"sku": "${ref}"}]}`);
        }
        files.set(`f${f}.json`, `{\n  "bundle": [\n${items.join(',\n')}\n  ]\n}\n`);
      }
      // Behaviour only: speed belongs to the benchmarks (a quadratic pass would hit mocha's timeout).
      const problems = validateWorkspace(files);
      assert.strictEqual(problems.length, 300 * 4);
      assert.ok(problems.every((p) => p.code === 'unknown-reference'));
      assert.deepStrictEqual(problems[0].fix?.newText, 'com.studio.game.sku_0_0');
    });
  });

  describe('summarise', () => {
    const r: Range = { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } };
    const p = (file: string, severity: CatalogProblem['severity']): CatalogProblem => ({ file, range: r, severity, code: 'x', message: 'm' });

    it('counts errors, warnings and files with plurals', () => {
      assert.deepStrictEqual(summarise([]), { errors: 0, warnings: 0, infos: 0, files: 0, text: 'Catalog: no problems' });
      const s = summarise([p('a', 'error'), p('a', 'error'), p('b', 'warning')]);
      assert.strictEqual(s.errors, 2);
      assert.strictEqual(s.warnings, 1);
      assert.strictEqual(s.files, 2);
      assert.strictEqual(s.text, 'Catalog: 2 errors, 1 warning in 2 files');
      assert.strictEqual(summarise([p('a', 'warning'), p('a', 'warning')]).text, 'Catalog: 2 warnings in 1 file');
      assert.strictEqual(summarise([p('a', 'info')]).text, 'Catalog: 1 info in 1 file');
    });
  });
});
