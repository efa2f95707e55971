/**
 * Differential fuzzing of the fast scanner (`scanSkus`, on strings and on UTF-8 bytes) against the
 * jsonc-parser reference (`scanWithJsonc`), plus an independent model oracle for the semantics.
 *
 * Claimed agreement: on every input, both accept or both reject (strict JSON: no comments, no
 * trailing commas), and on accepted inputs the results are deep-equal. The one known difference,
 * nesting deep enough to overflow jsonc-parser's recursion, is not generated here.
 *
 * FUZZ_RUNS=<n> multiplies the number of runs (long mode), e.g. FUZZ_RUNS=20.
 */
import * as assert from 'assert';
import fc from 'fast-check';
import { seededRandom as prng } from '../random';
import { scanSkus, scanWithJsonc, ScanResult } from '../../src/core/skuScanner';

const MULT = Math.max(1, Number(process.env.FUZZ_RUNS) || 1);

// ----- model -------------------------------------------------------------------------------

type J = null | boolean | number | string | { a: J[] } | { o: Array<[string, J]> };

const CHARS = ['a', 'Z', '0', '9', '_', '-', '\u2013', '.', ' ', '\u00e9', '\u{1F600}', '"', '\\', '/', '\n', '\r', '\t', '\u0001', '\u2028', '\ud800', '\udc00', 'sku'];
const str = fc.array(fc.constantFrom(...CHARS), { maxLength: 6 }).map((a) => a.join(''));
const skuStr = fc.oneof(
  { weight: 3, arbitrary: fc.stringMatching(/^[a-zA-Z0-9_\-\u2013.]{1,20}$/) },
  { weight: 1, arbitrary: str },
);
const ITEM_KEYS = ['virtual_items', 'virtual_item', 'virtual_goods', 'virtual_currency', 'virtual_currency_package', 'virtual_currency_packages', 'bundle', 'bundles', 'items', 'sku', 'content'];
const key = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom('sku', 'content', 'vc_prices', 'name', 'amount', 'Sku', 'skus') },
  { weight: 1, arbitrary: str },
);
const leaf: fc.Arbitrary<J> = fc.oneof(
  fc.constant(null), fc.boolean(), fc.integer({ min: -1e6, max: 1e6 }),
  fc.double({ noNaN: true, noDefaultInfinity: true }), str, skuStr,
);

const tree = fc.letrec<{ value: J; array: J; object: J }>((tie) => ({
  value: fc.oneof({ depthSize: 'small', withCrossShrink: true }, leaf, tie('array'), tie('object')),
  array: fc.array(tie('value'), { maxLength: 3 }).map((a) => ({ a })),
  object: fc.array(fc.tuple(key, tie('value')), { maxLength: 3 }).map((o) => ({ o })),
}));

/** An object with optional sku entries inserted at random positions, and maybe reference arrays. */
function skuObject(depth: number): fc.Arbitrary<J> {
  const extra: fc.Arbitrary<Array<[string, J]>> = depth > 0
    ? fc.array(fc.tuple(fc.constantFrom('content', 'vc_prices', 'nested'), fc.array(skuObject(depth - 1), { maxLength: 3 }).map((a): J => ({ a }))), { maxLength: 2 })
    : fc.constant([]);
  const skuValue: fc.Arbitrary<J> = fc.oneof({ weight: 6, arbitrary: skuStr }, { weight: 1, arbitrary: tree.value });
  return fc.tuple(
    fc.array(fc.tuple(key, tree.value), { maxLength: 3 }),
    fc.array(fc.tuple(fc.constant('sku'), skuValue), { maxLength: 2 }),
    extra,
    fc.array(fc.nat(), { minLength: 4, maxLength: 4 }),
  ).map(([base, skus, ext, pos]) => {
    const o = [...base];
    [...skus, ...ext].forEach((e, k) => o.splice(pos[k % 4] % (o.length + 1), 0, e));
    return { o };
  });
}

function catalogOf(itemDepth: number, maxItems: number, maxKeys: number): fc.Arbitrary<J> {
  const items = fc.array(fc.oneof({ weight: 5, arbitrary: skuObject(itemDepth) }, { weight: 1, arbitrary: tree.value }), { maxLength: maxItems });
  return fc.oneof(
    { weight: 8, arbitrary: fc.array(fc.tuple(
      fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...ITEM_KEYS) }, { weight: 1, arbitrary: str }),
      fc.oneof({ weight: 5, arbitrary: items.map((a): J => ({ a })) }, { weight: 1, arbitrary: tree.value }),
    ), { maxLength: maxKeys }).map((o): J => ({ o })) },
    { weight: 1, arbitrary: tree.value },
  );
}

// ----- serialisation with random whitespace and escapes ------------------------------------


const WS = ['', ' ', '\n', '\r\n', '\t', '  ', '\r', '\n    ', ' \r\n\t'];
const SHORT: Record<string, string> = { '"': '\\"', '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\b': '\\b', '\f': '\\f' };

function serialise(value: J, seed: number): string {
  const rnd = prng(seed);
  const mode = Math.floor(rnd() * 3); // 0 compact, 1 pretty, 2 random whitespace
  const eol = rnd() < 0.5 ? '\n' : '\r\n';
  const indent = [' ', '  ', '    ', '\t'][Math.floor(rnd() * 4)];
  const ws = (depth: number): string => {
    if (mode === 0) return '';
    if (mode === 1) return eol + indent.repeat(depth);
    return WS[Math.floor(rnd() * WS.length)];
  };
  const sp = (): string => (mode === 0 ? '' : mode === 1 ? ' ' : WS[Math.floor(rnd() * WS.length)]);
  const quote = (s: string): string => {
    let out = '"';
    for (let i = 0; i < s.length; i++) {
      const ch = s[i];
      const code = s.charCodeAt(i);
      const hex = (): string => {
        const h = code.toString(16).padStart(4, '0');
        return '\\u' + (rnd() < 0.5 ? h : h.toUpperCase());
      };
      if (SHORT[ch] !== undefined) out += rnd() < 0.8 ? SHORT[ch] : hex();
      else if (code < 0x20) out += hex();
      else if (rnd() < 0.1) out += hex();
      else if (ch === '/' && rnd() < 0.5) out += '\\/';
      else out += ch;
    }
    return out + '"';
  };
  const write = (v: J, depth: number): string => {
    if (v === null || typeof v === 'boolean') return String(v);
    if (typeof v === 'number') return JSON.stringify(v);
    if (typeof v === 'string') return quote(v);
    if ('a' in v) {
      if (v.a.length === 0) return '[' + sp() + ']';
      return '[' + v.a.map((e) => ws(depth + 1) + write(e, depth + 1) + sp()).join(',') + ws(depth) + ']';
    }
    if (v.o.length === 0) return '{' + sp() + '}';
    return '{' + v.o.map(([k, e]) => ws(depth + 1) + quote(k) + sp() + ':' + sp() + write(e, depth + 1) + sp()).join(',') + ws(depth) + '}';
  };
  return ws(0) + write(value, 0) + ws(0);
}

// ----- independent oracle from the model ---------------------------------------------------

function lastSku(o: Array<[string, J]>): string | undefined {
  let found: J | undefined;
  for (const [k, v] of o) if (k === 'sku') found = v;
  return typeof found === 'string' ? found : undefined;
}

function expectedFromModel(root: J): { defs: string[]; refs: string[] } {
  const defs: string[] = [];
  const refs: string[] = [];
  // Walks values in text order; a reference is recorded where its winning (last) sku entry is.
  const walk = (v: J, isRefObject: boolean): void => {
    if (v === null || typeof v !== 'object') return;
    if ('a' in v) {
      for (const e of v.a) walk(e, false);
      return;
    }
    let last = -1;
    v.o.forEach(([k], i) => { if (k === 'sku') last = i; });
    v.o.forEach(([k, e], i) => {
      if (i === last && isRefObject && typeof e === 'string') refs.push(e);
      else if ((k === 'content' || k === 'vc_prices') && e !== null && typeof e === 'object' && 'a' in e) {
        for (const el of e.a) walk(el, el !== null && typeof el === 'object' && 'o' in el);
      } else walk(e, false);
    });
  };
  if (root !== null && typeof root === 'object' && 'o' in root) {
    for (const [, arr] of root.o) {
      if (arr === null || typeof arr !== 'object' || !('a' in arr)) continue;
      for (const item of arr.a) {
        if (item === null || typeof item !== 'object' || !('o' in item)) continue;
        const s = lastSku(item.o);
        if (s !== undefined) defs.push(s);
        walk(item, false);
      }
    }
  }
  return { defs, refs };
}

// ----- properties --------------------------------------------------------------------------

type Scanner = (text: string | Uint8Array) => ScanResult;

function checkValidCatalog(scan: Scanner, model: J, seed: number): void {
  const text = serialise(model, seed);
  const ref = scanWithJsonc(text);
  assert.strictEqual(ref.error, undefined, 'generated catalogs are valid JSON');
  const fast = scan(text);
  assert.deepStrictEqual(fast, ref);
  // Semantics from the model, not from either scanner.
  const expected = expectedFromModel(model);
  assert.deepStrictEqual(fast.definitions.map((d) => d.sku), expected.defs);
  assert.deepStrictEqual(fast.references.map((d) => d.sku), expected.refs);
  for (const o of [...fast.definitions, ...fast.references]) {
    const raw = text.substr(o.offset, o.length);
    assert.strictEqual(JSON.parse('"' + raw + '"'), o.sku, 'the range covers the raw token');
  }
  // Bytes path: identical to scanning the decoded text (lone surrogates become U+FFFD).
  const bytes = Buffer.from(text);
  assert.deepStrictEqual(scan(bytes), scanWithJsonc(bytes.toString('utf8')));
}

type Mutation = [kind: number, pos: number, arg: number];
const MUT_CHARS = ['{', '}', '[', ']', ',', ':', '"', '\\', '\n', '\r', '\t', '\0', '\u0001', '/', '*', 'a', 't', 'u', 'e', 'E', '0', '1', '-', '+', '.', ' ', '\ufeff', '\u00e9', '\ud83d', 'n', 'f'];

function mutate(text: string, [kind, pos, arg]: Mutation): string {
  const p = pos % (text.length + 1);
  const ch = MUT_CHARS[arg % MUT_CHARS.length];
  switch (kind) {
    case 0: return text.slice(0, p) + text.slice(p + 1); // delete a character
    case 1: return text.slice(0, p) + ch + text.slice(p); // insert
    case 2: return text.slice(0, p) + ch + text.slice(p + 1); // replace
    case 3: return text.slice(0, p); // truncate
    case 4: return text.slice(0, p) + text.slice(p + 1 + (arg % 8)); // delete a range
    default: return text.slice(0, p) + text.slice(p, p + (arg % 12)) + text.slice(p); // duplicate a slice
  }
}

let scannerCalls = 0;

/** Runs a scanner and counts the run (a hang would hit mocha's timeout; speed is the benchmark's business). */
function counted(scan: Scanner, input: string | Uint8Array): ScanResult {
  const r = scan(input); // must not throw
  scannerCalls++;
  return r;
}

function checkMutations(scan: Scanner, model: J, seed: number, mutations: Mutation[]): void {
  const original = serialise(model, seed);
  for (const m of mutations) {
    const text = mutate(original, m);
    const ref = scanWithJsonc(text);
    const fast = counted(scan, text);
    assert.strictEqual(fast.error === undefined, ref.error === undefined,
      `validity differs on ${JSON.stringify(text)}: fast=${fast.error} jsonc=${ref.error}`);
    if (ref.error === undefined) assert.deepStrictEqual(fast, ref);
    else assert.deepStrictEqual([fast.definitions, fast.references], [[], []]);
    const bytes = Buffer.from(text);
    const fastB = counted(scan, bytes);
    const refB = scanWithJsonc(bytes.toString('utf8'));
    assert.strictEqual(fastB.error === undefined, refB.error === undefined, `bytes validity differs on ${JSON.stringify(text)}`);
    if (refB.error === undefined) assert.deepStrictEqual(fastB, refB);
  }
}

const largeCatalog = fc.tuple(catalogOf(2, 5, 4), fc.nat());
const smallCatalog = fc.tuple(catalogOf(1, 3, 2), fc.nat());
const mutations = fc.array(fc.tuple(fc.nat(5), fc.nat(), fc.nat()), { minLength: 25, maxLength: 25 });

const validProperty = (scan: Scanner) => fc.property(largeCatalog, ([model, seed]) => checkValidCatalog(scan, model, seed));
const mutationProperty = (scan: Scanner) => fc.property(smallCatalog, mutations, ([model, seed], muts) => checkMutations(scan, model, seed, muts));

describe('skuScanner fuzz (scanSkus vs scanWithJsonc)', function () {
  this.timeout(120000 * MULT);

  it('random valid catalogs: deep-equal results, matching the model', () => {
    fc.assert(validProperty(scanSkus), { numRuns: 1500 * MULT });
  });

  it('mutated catalogs: same validity, same results when valid, never throws', () => {
    scannerCalls = 0;
    // 2,000 runs x 25 mutations x (string + bytes) = 100,000 scanSkus executions.
    fc.assert(mutationProperty(scanSkus), { numRuns: 2000 * MULT });
    assert.ok(scannerCalls >= 100000 * MULT, `${scannerCalls} scanner executions`);
  });

  it('every truncation of a catalog: same validity in both', () => {
    fc.assert(fc.property(smallCatalog, ([model, seed]) => {
      const text = serialise(model, seed).trimEnd();
      if (text.length > 2000) return; // quadratic: keep the run short
      for (let p = 0; p < text.length; p++) {
        const cut = text.slice(0, p);
        // A truncated number (e.g. "12" of "123") is still valid JSON when it is the whole document.
        const refValid = scanWithJsonc(cut).error === undefined;
        assert.strictEqual(counted(scanSkus, cut).error === undefined, refValid, JSON.stringify(cut));
        if (text.startsWith('{') || text.startsWith('[')) assert.ok(!refValid);
      }
    }), { numRuns: 25 * MULT });
  });

  it('every special character at every position of a string (word-at-a-time string path)', () => {
    const specials = [...Array.from({ length: 32 }, (_, c) => String.fromCharCode(c)), '"', '\\', '\\u00e9', '\\q', ' ', '!', '#', '[', ']', '\u007f', '\u00e9', '\u2013', '\u{1F600}'];
    for (const sp of specials) {
      for (let len = 0; len < 11; len++) {
        for (let p = 0; p <= len; p++) {
          const value = 'a'.repeat(p) + sp + 'b'.repeat(len - p);
          for (const text of [`{"items":[{"sku":"${value}"},{"sku":"x"}]}`, `{"items":[{"name":"${value}","sku":"y${value}"}]}`]) {
            const bytes = Buffer.from(text);
            for (const [fast, ref] of [[scanSkus(text), scanWithJsonc(text)], [scanSkus(bytes), scanWithJsonc(bytes.toString('utf8'))]]) {
              // Messages differ between the scanners; validity and results must not.
              assert.strictEqual(fast.error === undefined, ref.error === undefined, `validity differs on ${JSON.stringify(text)}`);
              if (ref.error === undefined) assert.deepStrictEqual(fast, ref, JSON.stringify(text));
              else assert.deepStrictEqual([fast.definitions, fast.references], [[], []]);
            }
          }
        }
      }
    }
  });

  it('the properties can fail (checked with deliberately broken scanners)', () => {
    const dropsLast: Scanner = (t) => {
      const r = scanSkus(t);
      r.definitions.pop();
      return r;
    };
    assert.ok(fc.check(validProperty(dropsLast), { numRuns: 300, endOnFailure: true }).failed, 'valid-catalog property caught nothing');
    const offByOne: Scanner = (t) => {
      const r = scanSkus(t);
      for (const d of r.definitions) if (d.sku.length > 3) d.start = { line: d.start.line, character: d.start.character + 1 };
      return r;
    };
    assert.ok(fc.check(validProperty(offByOne), { numRuns: 300, endOnFailure: true }).failed, 'ranges are not checked');
    const allowsTrailingCommas: Scanner = (t) => scanSkus(typeof t === 'string' ? t.replace(/,(\s*[}\]])/g, '$1') : t);
    assert.ok(fc.check(mutationProperty(allowsTrailingCommas), { numRuns: 2000, endOnFailure: true }).failed, 'validity is not compared');
  });
});
