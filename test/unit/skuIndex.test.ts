import * as assert from 'assert';
import * as v8 from 'v8';
import * as vm from 'vm';
import { SkuIndex, SkuLocation } from '../../src/core/skuIndex';
import { scanSkus, scanWithJsonc, mayContainSku, kindOfKey, SkuOccurrence } from '../../src/core/skuScanner';

/** A realistic catalog: items, currency, packages, and a bundle referencing SKUs. */
const CATALOG = `{
  "virtual_items": [
    {
      "sku": "com.xsolla.sword_1",
      "name": {"en": "Sword"},
      "prices": [{"amount": "9.99", "currency": "USD"}],
      "vc_prices": [{"sku": "gold", "amount": 100}],
      "groups": ["weapons"]
    },
    {
      "name": {"en": "Shield"},
      "sku": "com.xsolla.shield_1",
      "attributes": [{"external_id": "size", "values": [{"sku": "not-a-definition"}]}]
    }
  ],
  "virtual_currency": [
    {"sku": "gold", "name": {"en": "Gold"}, "is_hard": false}
  ],
  "virtual_currency_package": [
    {"sku": "gold_pack_100", "content": [{"sku": "gold", "quantity": 100}]}
  ],
  "bundles": [
    {
      "sku": "starter_bundle",
      "content": [
        {"sku": "com.xsolla.sword_1", "quantity": 1},
        {"sku": "gold", "quantity": 50}
      ]
    }
  ],
  "meta": {"sku": "nested-not-a-definition"}
}
`;

/** 0-based line and UTF-16 character of `offset`, counted by hand (CRLF, LF and lone CR). */
function positionAt(text: string, offset: number): { line: number; character: number } {
  let line = 0;
  let lineStart = 0;
  for (let i = 0; i < offset; i++) {
    const c = text[i];
    if (c === '\n' || (c === '\r' && text[i + 1] !== '\n')) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, character: offset - lineStart };
}

function assertExactRange(text: string, occ: SkuOccurrence, raw: string): void {
  assert.strictEqual(text.substr(occ.offset, occ.length), raw);
  assert.strictEqual(text[occ.offset - 1], '"');
  assert.strictEqual(text[occ.offset + occ.length], '"');
  assert.deepStrictEqual(occ.start, positionAt(text, occ.offset));
  assert.deepStrictEqual(occ.end, positionAt(text, occ.offset + occ.length));
}

function skus(list: readonly SkuOccurrence[]): string[] {
  return list.map((o) => o.sku);
}

describe('skuScanner', () => {
  it('tells definitions from references in a realistic catalog', () => {
    const r = scanSkus(CATALOG);
    assert.strictEqual(r.error, undefined);
    assert.deepStrictEqual(skus(r.definitions), ['com.xsolla.sword_1', 'com.xsolla.shield_1', 'gold', 'gold_pack_100', 'starter_bundle']);
    assert.deepStrictEqual(r.definitions.map((d) => d.kind), ['virtual_good', 'virtual_good', 'virtual_currency', 'virtual_currency_packages', 'bundle']);
    assert.deepStrictEqual(r.definitions.map((d) => d.itemKey), ['virtual_items', 'virtual_items', 'virtual_currency', 'virtual_currency_package', 'bundles']);
    assert.deepStrictEqual(skus(r.references), ['gold', 'gold', 'com.xsolla.sword_1', 'gold']);
    assert.deepStrictEqual(r.references.map((d) => d.itemKey), ['virtual_items', 'virtual_currency_package', 'bundles', 'bundles']);
    for (const o of [...r.definitions, ...r.references]) assertExactRange(CATALOG, o, o.sku);
    // Manually counted: `      "sku": "com.xsolla.sword_1",` is line 3, the value starts at column 14.
    assert.deepStrictEqual(r.definitions[0].start, { line: 3, character: 14 });
    assert.deepStrictEqual(r.definitions[0].end, { line: 3, character: 32 });
    assert.deepStrictEqual(scanWithJsonc(CATALOG), r);
    assert.deepStrictEqual(scanSkus(Buffer.from(CATALOG)), r);
  });

  it('maps top-level keys to kinds', () => {
    assert.strictEqual(kindOfKey('virtual_items'), 'virtual_good');
    assert.strictEqual(kindOfKey('virtual_item'), 'virtual_good');
    assert.strictEqual(kindOfKey('virtual_goods'), 'virtual_good');
    assert.strictEqual(kindOfKey('virtual_currency'), 'virtual_currency');
    assert.strictEqual(kindOfKey('virtual_currency_package'), 'virtual_currency_packages');
    assert.strictEqual(kindOfKey('virtual_currency_packages'), 'virtual_currency_packages');
    assert.strictEqual(kindOfKey('bundle'), 'bundle');
    assert.strictEqual(kindOfKey('bundles'), 'bundle');
    assert.strictEqual(kindOfKey('items'), 'unknown');
  });

  it('decodes escapes, keeps the raw range, and counts UTF-16 columns after an emoji', () => {
    const text = '{"bundle": [{"name": "\u{1F600}\u00e9", "sku": "com.\\u0041-\\/x"}], "x": [{"sk\\u0075": "esc_key"}]}';
    for (const r of [scanSkus(text), scanSkus(Buffer.from(text)), scanWithJsonc(text)]) {
      assert.deepStrictEqual(skus(r.definitions), ['com.A-/x', 'esc_key']);
      const d = r.definitions[0];
      assertExactRange(text, d, 'com.\\u0041-\\/x');
      // '{"bundle": [{"name": "' is 22 units, the emoji 2, é 1, '", "sku": "' 11.
      assert.deepStrictEqual(d.start, { line: 0, character: 36 });
      assert.strictEqual(d.length, 14);
      assert.strictEqual(d.kind, 'bundle');
      assert.strictEqual(r.definitions[1].kind, 'unknown');
    }
  });

  it('counts CRLF and lone CR as one line break each', () => {
    const text = '{\r\n"virtual_items": [\r\n  {"sku": "a"},\r\r\n  {"sku": "b"}\r\n]\r\n}\r\n';
    for (const r of [scanSkus(text), scanSkus(Buffer.from(text)), scanWithJsonc(text)]) {
      assert.deepStrictEqual(skus(r.definitions), ['a', 'b']);
      assert.deepStrictEqual(r.definitions[0].start, { line: 2, character: 11 });
      assert.deepStrictEqual(r.definitions[1].start, { line: 4, character: 11 });
      for (const o of r.definitions) assertExactRange(text, o, o.sku);
    }
  });

  it('ignores sku outside definition positions, and lets the last duplicate key win', () => {
    const cases: Array<[string, string[]]> = [
      ['[{"sku": "a"}]', []],
      ['"sku"', []],
      ['{"items": {"sku": "a"}}', []],
      ['{"items": [[{"sku": "a"}]]}', []],
      ['{"items": [{"x": {"sku": "a"}}]}', []],
      ['{"items": [{"sku": 5}]}', []],
      ['{"items": [{"sku": "a", "sku": "b"}]}', ['b']],
      ['{"items": [{"sku": "a", "sku": null}]}', []],
      ['{"items": [{"sku": "a", "sku": ["b"]}]}', []],
      ['{"items": [{"sku": "", "other": 1}]}', ['']],
    ];
    for (const [text, expected] of cases) {
      assert.deepStrictEqual(skus(scanSkus(text).definitions), expected, text);
      assert.deepStrictEqual(scanSkus(text), scanWithJsonc(text), text);
    }
  });

  it('reports invalid JSON with no occurrences', () => {
    const bad = ['', '   ', '{"a": [1,]}', '{"a": [1}', '{"a": [{"sku": "x"}]', '{"a": tru}', '{"a": "x\ny"}', '{"a": "\\q"}',
      '// c\n{}', '{} {}', '{"a": 01}', '{"a": "\t"}', '\ufeff{}', '{"a": 1.}', '{"a",}', '{"a": "\\u12"}'];
    for (const text of bad) {
      const fast = scanSkus(text);
      assert.ok(fast.error, `expected an error for ${JSON.stringify(text)}`);
      assert.deepStrictEqual(fast.definitions, []);
      assert.ok(scanWithJsonc(text).error, `jsonc should reject ${JSON.stringify(text)}`);
      assert.ok(scanSkus(Buffer.from(text)).error);
    }
  });

  it('mayContainSku checks for the bytes "sku"', () => {
    assert.strictEqual(mayContainSku(Buffer.from('{"sku": 1}')), true);
    assert.strictEqual(mayContainSku('{"sku": 1}'), true);
    assert.strictEqual(mayContainSku('{"skus": 1, "name": "a sku", "sk\\u0075": "x"}'), false);
  });
});

describe('SkuIndex', () => {
  it('indexes definitions and references with exact ranges', () => {
    const index = new SkuIndex();
    const res = index.setFile('file:///a.json', CATALOG);
    assert.deepStrictEqual(res, { ok: true, definitions: 5 });
    assert.strictEqual(index.size, 5);
    const [sword] = index.lookup('com.xsolla.sword_1');
    assert.strictEqual(sword.file, 'file:///a.json');
    assert.strictEqual(sword.kind, 'virtual_good');
    assertExactRange(CATALOG, sword, 'com.xsolla.sword_1');
    assert.deepStrictEqual(index.lookup('gold').map((l) => l.itemKey), ['virtual_currency']);
    assert.strictEqual(index.references('gold').length, 3);
    assert.strictEqual(index.references('com.xsolla.sword_1').length, 1);
    assert.deepStrictEqual(index.lookup('not-a-definition'), []);
    assert.deepStrictEqual(index.lookup('nested-not-a-definition'), []);
    assert.deepStrictEqual(index.definitionsIn('file:///a.json').map((l) => l.sku), ['com.xsolla.sword_1', 'com.xsolla.shield_1', 'gold', 'gold_pack_100', 'starter_bundle']);
    assert.deepStrictEqual(index.files(), ['file:///a.json']);
  });

  it('accepts Buffers (with a BOM) and gives the same positions as the text', () => {
    const text = '{"virtual_items": [{"name": "\u00fc\u{1F600}", "sku": "s1"}]}';
    const index = new SkuIndex();
    index.setFile('b', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]));
    index.setFile('s', text);
    const [fromBuf, fromText] = index.lookup('s1');
    assert.deepStrictEqual({ ...fromBuf, file: '' }, { ...fromText, file: '' });
    assertExactRange(text, fromText, 's1');
  });

  it('returns every file defining a duplicate SKU', () => {
    const index = new SkuIndex();
    index.setFile('one', '{"virtual_items": [{"sku": "dup"}]}');
    index.setFile('two', '{\n  "bundles": [{"sku": "dup"}]\n}');
    const found = index.lookup('dup');
    assert.deepStrictEqual(found.map((l) => [l.file, l.kind, l.start.line]), [['one', 'virtual_good', 0], ['two', 'bundle', 1]]);
    assert.strictEqual(index.size, 2);
    index.removeFile('one');
    assert.deepStrictEqual(index.lookup('dup').map((l) => l.file), ['two']);
  });

  it('moves ranges on edit and forgets removed items', () => {
    const index = new SkuIndex();
    index.setFile('f', '{"virtual_items": [{"sku": "a"}, {"sku": "b"}]}');
    const edited = '{\n\n"virtual_items": [\n  {"sku": "a"}\n]}';
    index.setFile('f', edited);
    const [a] = index.lookup('a');
    assertExactRange(edited, a, 'a');
    assert.deepStrictEqual(a.start, { line: 3, character: 11 });
    assert.deepStrictEqual(index.lookup('b'), []);
    assert.strictEqual(index.size, 1);
  });

  it('rejects invalid JSON and drops the previous entries', () => {
    const index = new SkuIndex();
    index.setFile('f', '{"virtual_items": [{"sku": "a"}]}');
    const res = index.setFile('f', '{\n"virtual_items": [\n{"sku": "a",}\n]}');
    assert.strictEqual(res.ok, false);
    assert.match((res as { reason: string }).reason, /^not valid JSON at line 3: /);
    assert.deepStrictEqual(index.lookup('a'), []);
    assert.strictEqual(index.size, 0);
    assert.deepStrictEqual(index.definitionsIn('f'), []);
  });

  it('rejects binary content and content over the size cap', () => {
    const index = new SkuIndex({ maxFileBytes: 1024 * 1024 });
    index.setFile('f', '{"virtual_items": [{"sku": "a"}]}');
    assert.deepStrictEqual(index.setFile('f', Buffer.from([0x7b, 0x00, 0x7d])), { ok: false, reason: 'binary' });
    assert.deepStrictEqual(index.lookup('a'), []);
    assert.deepStrictEqual(index.setFile('g', 'x\0y'), { ok: false, reason: 'binary' });
    const big = '{"virtual_items": [{"sku": "a", "pad": "' + 'x'.repeat(2 * 1024 * 1024) + '"}]}';
    const res = index.setFile('big', big);
    assert.strictEqual(res.ok, false);
    assert.match((res as { reason: string }).reason, /^too large \(2\.0 MB\)$/);
    assert.strictEqual(index.setFile('big', Buffer.from(big)).ok, false);
    assert.strictEqual(new SkuIndex().setFile('big', big).ok, true, 'the default cap is 10 MB');
  });

  it('skips re-parsing when the same version is passed again', () => {
    const index = new SkuIndex();
    assert.deepStrictEqual(index.setFile('f', '{"virtual_items": [{"sku": "a"}]}', 1), { ok: true, definitions: 1 });
    // Same version, different content: not re-parsed.
    assert.deepStrictEqual(index.setFile('f', '{"virtual_items": [{"sku": "b"}, {"sku": "c"}]}', 1), { ok: true, definitions: 1 });
    assert.strictEqual(index.lookup('a').length, 1);
    assert.deepStrictEqual(index.setFile('f', '{"virtual_items": [{"sku": "b"}, {"sku": "c"}]}', 2), { ok: true, definitions: 2 });
    assert.deepStrictEqual(index.lookup('a'), []);
    // No version: always parsed.
    index.setFile('f', '{"virtual_items": []}');
    index.setFile('f', '{"virtual_items": [{"sku": "d"}]}');
    assert.strictEqual(index.lookup('d').length, 1);
  });

  it('removeFile, clear and files()', () => {
    const index = new SkuIndex();
    index.setFile('a', '{"virtual_items": [{"sku": "x", "content": [{"sku": "y"}]}]}');
    index.setFile('b', '{"virtual_items": [{"sku": "y"}]}');
    assert.deepStrictEqual(index.files().sort(), ['a', 'b']);
    index.removeFile('a');
    assert.deepStrictEqual(index.files(), ['b']);
    assert.deepStrictEqual(index.lookup('x'), []);
    assert.deepStrictEqual(index.references('y'), []);
    assert.strictEqual(index.size, 1);
    index.clear();
    assert.strictEqual(index.size, 0);
    assert.deepStrictEqual(index.files(), []);
    assert.deepStrictEqual(index.lookup('y'), []);
  });

  it('fires onDidChange after changes, and stops after dispose', () => {
    const index = new SkuIndex();
    let count = 0;
    const sub = index.onDidChange(() => count++);
    index.setFile('a', '{"virtual_items": [{"sku": "x"}]}');
    assert.strictEqual(count, 1);
    index.setFile('a', 'nope');
    assert.strictEqual(count, 2);
    index.removeFile('a');
    assert.strictEqual(count, 3);
    index.removeFile('a');
    assert.strictEqual(count, 3, 'removing an unknown file changes nothing');
    index.setFile('b', '{}');
    index.clear();
    assert.strictEqual(count, 5);
    sub.dispose();
    index.setFile('c', '{}');
    assert.strictEqual(count, 5);
  });

  it('keeps 200,000 SKUs compact', function () {
    this.timeout(60000);
    const files: string[] = [];
    for (let f = 0; f < 50; f++) {
      const items: string[] = [];
      for (let i = 0; i < 4000; i++) items.push(`    {"sku": "com.xsolla.catalog.item_${f}_${i}", "name": {"en": "Item ${i}"}, "prices": [{"amount": "1.99", "currency": "USD"}]}`);
      files.push(`{\n  "virtual_items": [\n${items.join(',\n')}\n  ]\n}\n`);
    }
    v8.setFlagsFromString('--expose-gc');
    const gc = vm.runInNewContext('gc') as (() => void) | undefined;
    gc?.();
    const before = process.memoryUsage().heapUsed;
    const index = new SkuIndex();
    files.forEach((text, f) => index.setFile(`file:///catalog/${f}.json`, Buffer.from(text)));
    files.length = 0;
    gc?.();
    const usedMb = (process.memoryUsage().heapUsed - before) / (1024 * 1024);
    assert.strictEqual(index.size, 200000);
    const hit: SkuLocation = index.lookup('com.xsolla.catalog.item_49_3999')[0];
    assert.strictEqual(hit.file, 'file:///catalog/49.json');
    // Without a callable gc this would measure garbage too, so the bound only holds with one.
    if (gc) assert.ok(usedMb < 60, `index uses ${usedMb.toFixed(1)} MB`);
  });
});
