/**
 * Finds SKU definitions (and references) in the text of one catalog JSON file.
 *
 * Never imports `vscode`: positions are plain `{line, character}` pairs, 0-based, characters in
 * UTF-16 code units, line breaks being `\r\n`, `\n` or a lone `\r` (as VS Code counts them).
 *
 * Semantics (shared by both scanners below):
 * - A *definition* is an object that is an element of an array that is the value of a top-level
 *   key of the root object, and that has a property `"sku"` whose value is a string.
 * - A *reference* is an object with a string `"sku"` property that is an element of an array held
 *   by a `content` or `vc_prices` property, at any depth inside such an item.
 * - When an object holds `"sku"` twice, the last one wins (as with `JSON.parse`); a non-string last
 *   value means no definition.
 * - The range is the raw token content between the quotes; `sku` is the decoded value.
 * - Invalid JSON (strict: no comments, no trailing commas) gives `error` and no occurrences.
 *
 * `scanWithJsonc` is the reference implementation on jsonc-parser's visitor; `scanSkus` is a
 * purpose-built single pass that must give deep-equal results (checked by the fuzz test).
 */
import { visit, printParseErrorCode, ParseErrorCode } from 'jsonc-parser';
import { isUtf8 } from 'buffer';
import type { ItemKind } from './types';

export interface Position {
  line: number;
  character: number;
}

export interface SkuOccurrence {
  /** Decoded SKU value. */
  sku: string;
  /** Decoded top-level key of the array the item belongs to. */
  itemKey: string;
  kind: ItemKind;
  start: Position;
  end: Position;
  /** Offset of the raw token content (just after the opening quote), UTF-16 units. */
  offset: number;
  /** Length of the raw token content (escapes not decoded). */
  length: number;
}

export interface ScanResult {
  definitions: SkuOccurrence[];
  references: SkuOccurrence[];
  /** Set when the text is not valid JSON. */
  error?: string;
  /** Offset of the (first) error, when `error` is set. */
  errorOffset?: number;
}

/** Maps a top-level key to the item kind it holds. */
export function kindOfKey(key: string): ItemKind {
  switch (key) {
    case 'virtual_items':
    case 'virtual_item':
    case 'virtual_goods':
    case 'virtual_good':
      return 'virtual_good';
    case 'virtual_currency':
      return 'virtual_currency';
    case 'virtual_currency_package':
    case 'virtual_currency_packages':
      return 'virtual_currency_packages';
    case 'bundle':
    case 'bundles':
      return 'bundle';
    default:
      return 'unknown';
  }
}

/**
 * Cheap pre-check: does the content hold the bytes `"sku"`? Files without it define no SKU unless
 * they spell the key with escapes (`"\u0073ku"`), which this check deliberately ignores.
 */
export function mayContainSku(buf: Buffer | string): boolean {
  return buf.indexOf('"sku"') !== -1;
}

// ---------------------------------------------------------------------------------------------
// Shared context model. Each open container gets a context telling what its children mean.

const C_NONE = 0; // nothing of interest below
const C_ROOT = 1; // the root object: its keys are item keys
const C_TOP_ARR = 2; // array value of a top-level key: object elements are items
const C_ITEM = 3; // an item: its "sku" is a definition
const C_IN_OBJ = 4; // an object somewhere inside an item
const C_IN_ARR = 5; // an array somewhere inside an item
const C_REF_ARR = 6; // array value of content / vc_prices inside an item
const C_REF_OBJ = 7; // an element of such an array: its "sku" is a reference

const K_OTHER = 0;
const K_SKU = 1;
const K_REF = 2;

function keyClass(key: string): number {
  if (key === 'sku') return K_SKU;
  if (key === 'content' || key === 'vc_prices') return K_REF;
  return K_OTHER;
}

function childContext(parent: number, isObject: boolean, key: number): number {
  switch (parent) {
    case -1:
      return isObject ? C_ROOT : C_NONE;
    case C_ROOT:
      return isObject ? C_NONE : C_TOP_ARR;
    case C_TOP_ARR:
      return isObject ? C_ITEM : C_NONE;
    case C_ITEM:
    case C_IN_OBJ:
    case C_REF_OBJ:
      return isObject ? C_IN_OBJ : key === K_REF ? C_REF_ARR : C_IN_ARR;
    case C_IN_ARR:
      return isObject ? C_IN_OBJ : C_IN_ARR;
    case C_REF_ARR:
      return isObject ? C_REF_OBJ : C_IN_ARR;
    default:
      return C_NONE;
  }
}

function byOffset(a: SkuOccurrence, b: SkuOccurrence): number {
  return a.offset - b.offset;
}

function sortIfNeeded(list: SkuOccurrence[]): void {
  for (let i = 1; i < list.length; i++) {
    if (list[i - 1].offset > list[i].offset) {
      list.sort(byOffset);
      return;
    }
  }
}

function occurrence(
  sku: string, itemKey: string, kind: ItemKind, offset: number, length: number, line: number, character: number,
): SkuOccurrence {
  return {
    sku, itemKey, kind,
    start: { line, character },
    end: { line, character: character + length },
    offset, length,
  };
}

/** Numbers stored per occurrence in a compact table: offset, length, line, character, item key index. */
export const STRIDE = 5;

/**
 * Occurrences without per-occurrence objects: one string per SKU plus STRIDE numbers (offset,
 * length, line, character, index into `itemKeys`). What the index stores, and what workers send.
 */
export interface CompactTable {
  skus: string[];
  nums: Int32Array;
}

export interface CompactScan {
  itemKeys: string[];
  definitions: CompactTable;
  references: CompactTable;
  error?: string;
  errorOffset?: number;
}

class Collector {
  skus: string[] = [];
  nums = new Int32Array(64 * STRIDE);
  n = 0;
  add(sku: string, key: number, offset: number, length: number, line: number, character: number): void {
    let b = this.n * STRIDE;
    if (b + STRIDE > this.nums.length) {
      const x = new Int32Array(this.nums.length * 2);
      x.set(this.nums);
      this.nums = x;
    }
    this.skus.push(sku);
    const a = this.nums;
    a[b++] = offset;
    a[b++] = length;
    a[b++] = line;
    a[b++] = character;
    a[b] = key;
    this.n++;
  }
  /** Sorted by offset (nested reference objects close before their parent). */
  table(): CompactTable {
    const { skus, n } = this;
    const nums = this.nums.slice(0, n * STRIDE);
    for (let i = 1; i < n; i++) {
      if (nums[(i - 1) * STRIDE] > nums[i * STRIDE]) {
        const order = Array.from({ length: n }, (_, k) => k).sort((x, y) => nums[x * STRIDE] - nums[y * STRIDE]);
        const sortedNums = new Int32Array(n * STRIDE);
        const sortedSkus = new Array<string>(n);
        order.forEach((from, to) => {
          sortedSkus[to] = skus[from];
          sortedNums.set(nums.subarray(from * STRIDE, from * STRIDE + STRIDE), to * STRIDE);
        });
        return { skus: sortedSkus, nums: sortedNums };
      }
    }
    return { skus, nums };
  }
}

/**
 * Copies a string that may be a V8 slice of a whole file's text, so that keeping it does not keep
 * the file's text alive (sliced strings retain their parent).
 */
export function detach(s: string): string {
  return s.length < 13 ? s : (' ' + s).slice(1);
}

const EMPTY_TABLE: CompactTable = { skus: [], nums: new Int32Array(0) };

function expand(t: CompactTable, itemKeys: readonly string[]): SkuOccurrence[] {
  const out = new Array<SkuOccurrence>(t.skus.length);
  for (let i = 0; i < t.skus.length; i++) {
    const b = i * STRIDE;
    const itemKey = itemKeys[t.nums[b + 4]];
    out[i] = occurrence(t.skus[i], itemKey, kindOfKey(itemKey), t.nums[b], t.nums[b + 1], t.nums[b + 2], t.nums[b + 3]);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Reference implementation on jsonc-parser.

interface JFrame {
  ctx: number;
  isObject: boolean;
  /** Pending sku (last wins), for C_ITEM / C_REF_OBJ objects. */
  pending: SkuOccurrence | null;
}

/**
 * Reference implementation: jsonc-parser's visitor in strict mode (no comments, no trailing
 * commas, no empty content). Slow (~30 MB/s) but obviously right; used as the oracle in tests.
 */
export function scanWithJsonc(text: string): ScanResult {
  const definitions: SkuOccurrence[] = [];
  const references: SkuOccurrence[] = [];
  const stack: JFrame[] = [];
  let lastKey = K_OTHER;
  let itemKey = '';
  let kind: ItemKind = 'unknown';
  let error: string | undefined;
  let errorOffset = 0;

  const top = (): JFrame | undefined => stack[stack.length - 1];
  const begin = (isObject: boolean): void => {
    const parent = top();
    const key = parent && parent.isObject ? lastKey : K_OTHER;
    if (parent && parent.isObject && key === K_SKU && (parent.ctx === C_ITEM || parent.ctx === C_REF_OBJ)) {
      parent.pending = null;
    }
    stack.push({ ctx: childContext(parent ? parent.ctx : -1, isObject, key), isObject, pending: null });
  };

  try {
    visit(text, {
      onObjectBegin: () => begin(true),
      onArrayBegin: () => begin(false),
      onObjectEnd: () => {
        const frame = stack.pop();
        if (frame && frame.pending) {
          (frame.ctx === C_ITEM ? definitions : references).push(frame.pending);
        }
      },
      onArrayEnd: () => {
        stack.pop();
      },
      onObjectProperty: (name) => {
        const frame = top();
        lastKey = keyClass(name);
        if (frame && frame.ctx === C_ROOT) {
          itemKey = name;
          kind = kindOfKey(name);
        }
      },
      onLiteralValue: (value, offset, length, startLine, startCharacter) => {
        const frame = top();
        if (frame && frame.isObject && lastKey === K_SKU && (frame.ctx === C_ITEM || frame.ctx === C_REF_OBJ)) {
          frame.pending = typeof value === 'string'
            ? occurrence(value, itemKey, kind, offset + 1, length - 2, startLine, startCharacter + 1)
            : null;
        }
      },
      onError: (code, offset) => {
        if (error === undefined) {
          error = printParseErrorCode(code as ParseErrorCode);
          errorOffset = offset;
        }
      },
    }, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  } catch (e) {
    // jsonc-parser recurses per nesting level; absurd nesting overflows the stack.
    return { definitions: [], references: [], error: `cannot parse: ${(e as Error).message}`, errorOffset: 0 };
  }
  if (error !== undefined) {
    return { definitions: [], references: [], error, errorOffset };
  }
  sortIfNeeded(definitions);
  sortIfNeeded(references);
  return { definitions, references };
}

// ---------------------------------------------------------------------------------------------
// Fast scanner.

const S_VALUE = 0; // a value is expected (root, after ':' or after ',' in an array)
const S_VALUE_OR_CLOSE = 1; // just after '['
const S_KEY_OR_CLOSE = 2; // just after '{'
const S_KEY = 3; // after ',' in an object
const S_COLON = 4; // after a key
const S_AFTER = 5; // after a value

function isHex(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
}

/** Decodes the raw content of a valid JSON string token (escapes already validated). */
function decodeRaw(text: string, start: number, end: number): string {
  let out = '';
  let from = start;
  let i = text.indexOf('\\', start);
  while (i !== -1 && i < end) {
    out += text.slice(from, i);
    const c = text.charCodeAt(i + 1);
    switch (c) {
      case 98: out += '\b'; i += 2; break;
      case 102: out += '\f'; i += 2; break;
      case 110: out += '\n'; i += 2; break;
      case 114: out += '\r'; i += 2; break;
      case 116: out += '\t'; i += 2; break;
      case 117: out += String.fromCharCode(parseInt(text.slice(i + 2, i + 6), 16)); i += 6; break;
      default: out += text[i + 1]; i += 2; break; // " \ /
    }
    from = i;
    i = text.indexOf('\\', i);
  }
  return out + text.slice(from, end);
}

class ScanError {
  constructor(readonly message: string, readonly offset: number) {}
}

function describe(text: string, i: number): string {
  if (i >= text.length) return 'unexpected end of file';
  const c = text.charCodeAt(i);
  if (c === 47) return 'comments are not allowed';
  if (c < 32) return `unexpected control character U+${c.toString(16).padStart(4, '0').toUpperCase()}`;
  return `unexpected character ${JSON.stringify(text[i])}`;
}

/**
 * Scans a string token whose opening quote is at `i - 1`; returns the index of the closing quote.
 * Sets `lastHadEscape`. Throws ScanError on control characters, bad escapes, end of file.
 */
let lastHadEscape = false;
function skipString(text: string, i: number): number {
  let esc = false;
  for (;;) {
    const c = text.charCodeAt(i);
    if (c > 34) {
      if (c !== 92) {
        i++;
        continue;
      }
      esc = true;
      const e = text.charCodeAt(i + 1);
      if (e === 34 || e === 92 || e === 47 || e === 98 || e === 102 || e === 110 || e === 114 || e === 116) {
        i += 2;
      } else if (e === 117) {
        if (!(isHex(text.charCodeAt(i + 2)) && isHex(text.charCodeAt(i + 3)) && isHex(text.charCodeAt(i + 4)) && isHex(text.charCodeAt(i + 5)))) {
          throw new ScanError('invalid \\u escape in string', i);
        }
        i += 6;
      } else if (e !== e) {
        throw new ScanError('unterminated string', i);
      } else {
        throw new ScanError('invalid escape in string', i);
      }
    } else if (c === 34) {
      lastHadEscape = esc;
      return i;
    } else if (c >= 32) {
      i++;
    } else if (c !== c) {
      throw new ScanError('unterminated string', i);
    } else if (c === 10 || c === 13) {
      throw new ScanError('unterminated string (line break in string)', i);
    } else {
      throw new ScanError(`control character U+${c.toString(16).padStart(4, '0').toUpperCase()} in string`, i);
    }
  }
}

/** Scans a number starting at i (first char is '-' or a digit); returns the index after it. */
function skipNumber(text: string, i: number): number {
  const start = i;
  let c = text.charCodeAt(i);
  if (c === 45) c = text.charCodeAt(++i);
  if (c === 48) {
    c = text.charCodeAt(++i);
  } else if (c >= 49 && c <= 57) {
    do c = text.charCodeAt(++i); while (c >= 48 && c <= 57);
  } else {
    throw new ScanError('invalid number', start);
  }
  if (c === 46) {
    c = text.charCodeAt(++i);
    if (!(c >= 48 && c <= 57)) throw new ScanError('invalid number', start);
    do c = text.charCodeAt(++i); while (c >= 48 && c <= 57);
  }
  if (c === 101 || c === 69) {
    c = text.charCodeAt(++i);
    if (c === 43 || c === 45) c = text.charCodeAt(++i);
    if (!(c >= 48 && c <= 57)) throw new ScanError('invalid number', start);
    do c = text.charCodeAt(++i); while (c >= 48 && c <= 57);
  }
  return i;
}

function literalAt(text: string, i: number, word: string): boolean {
  return text.startsWith(word, i);
}

/**
 * The fast scanner: one pass over the string with charCodeAt, a small typed-array container stack,
 * line counting only in whitespace (raw line breaks cannot occur anywhere else in valid JSON), SKU
 * values sliced only for hits. Validates strict JSON exactly like jsonc-parser in strict mode
 * (same accept/reject on every input, checked by the fuzz test), with one difference: it has no
 * recursion, so nesting deeper than jsonc-parser's call stack allows is accepted here.
 *
 * Given bytes (a Buffer read from disk), it scans the UTF-8 bytes directly (indexed byte access is
 * about 3x faster than charCodeAt, and no decoding of the whole file is needed) and reports
 * offsets, lengths and characters in UTF-16 units of the decoded text, i.e. exactly what
 * `scanSkus(buf.toString('utf8'))` returns. A leading BOM is not skipped (strip it first: it is
 * not valid JSON, and VS Code does not show it as part of the document).
 */
export function scanSkus(text: string | Uint8Array): ScanResult {
  const r = scanCompact(text);
  if (r.error !== undefined) return { definitions: [], references: [], error: r.error, errorOffset: r.errorOffset };
  return { definitions: expand(r.definitions, r.itemKeys), references: expand(r.references, r.itemKeys) };
}

/**
 * `scanSkus` without per-occurrence objects: same semantics, same validation, compact tables.
 * On invalid JSON, `error` is set and both tables are empty.
 */
export function scanCompact(text: string | Uint8Array): CompactScan {
  try {
    if (typeof text === 'string') return scanFast(text);
    const buf = Buffer.isBuffer(text) ? text : Buffer.from(text.buffer, text.byteOffset, text.byteLength);
    // The byte scanner counts UTF-16 units from UTF-8 lead bytes, which is exact for valid UTF-8
    // only; anything else goes through the decoder (which substitutes U+FFFD) and the string path.
    if (isUtf8(buf)) return scanBytes(buf);
    const r = scanFast(buf.toString('utf8'));
    // SKUs sliced from the decoded text would keep it alive; callers own only `buf`.
    for (const t of [r.definitions, r.references]) for (let i = 0; i < t.skus.length; i++) t.skus[i] = detach(t.skus[i]);
    for (let i = 0; i < r.itemKeys.length; i++) r.itemKeys[i] = detach(r.itemKeys[i]);
    return r;
  } catch (e) {
    if (e instanceof ScanError) {
      return { itemKeys: [], definitions: EMPTY_TABLE, references: EMPTY_TABLE, error: e.message, errorOffset: e.offset };
    }
    throw e;
  }
}

function scanFast(text: string): CompactScan {
  const n = text.length;
  const definitions = new Collector();
  const references = new Collector();
  const itemKeys: string[] = [];
  let keyIdx = -1; // index of itemKey in itemKeys, -1 until an occurrence needs it

  let cap = 64;
  let isObj: Uint8Array = new Uint8Array(cap);
  let ctx: Uint8Array = new Uint8Array(cap);
  // Pending sku per object frame (last wins): offset (-1 none), length, line, character, escaped.
  let pOff: Int32Array = new Int32Array(cap);
  let pLen: Int32Array = new Int32Array(cap);
  let pLine: Int32Array = new Int32Array(cap);
  let pChar: Int32Array = new Int32Array(cap);
  let pEsc: Uint8Array = new Uint8Array(cap);

  let depth = 0;
  let state = S_VALUE;
  let key = K_OTHER; // class of the last key read in the current object
  let itemKey = '';
  let line = 0;
  let lineStart = 0;
  let i = 0;

  for (;;) {
    let c = text.charCodeAt(i);
    // Whitespace, the only place where raw line breaks can legally appear: line breaks, then the
    // indentation (runs of spaces) in a tight loop.
    for (;;) {
      while (c === 32) c = text.charCodeAt(++i);
      if (c === 10) {
        line++;
        lineStart = i + 1;
      } else if (c === 13) {
        if (text.charCodeAt(i + 1) !== 10) {
          line++;
          lineStart = i + 1;
        }
      } else if (c !== 9) {
        break;
      }
      c = text.charCodeAt(++i);
    }
    if (i >= n) break;

    if (state === S_AFTER) {
      if (c === 44) { // ,
        if (depth === 0) throw new ScanError('unexpected content after the end of the document', i);
        state = isObj[depth - 1] ? S_KEY : S_VALUE;
        i++;
        continue;
      }
      if (c === 125 || c === 93) { // } ]
        if (depth === 0 || isObj[depth - 1] !== (c === 125 ? 1 : 0)) {
          throw new ScanError(depth === 0 ? 'unexpected content after the end of the document' : `unexpected ${text[i]}`, i);
        }
        depth--;
        if (pOff[depth] >= 0) {
          const off = pOff[depth];
          const len = pLen[depth];
          const sku = pEsc[depth] ? decodeRaw(text, off, off + len) : text.slice(off, off + len);
          if (keyIdx < 0) keyIdx = itemKeys.push(itemKey) - 1;
          (ctx[depth] === C_ITEM ? definitions : references).add(sku, keyIdx, off, len, pLine[depth], pChar[depth]);
        }
        i++;
        continue;
      }
      throw new ScanError(depth === 0 ? 'unexpected content after the end of the document' : `expected , or ${isObj[depth - 1] ? '}' : ']'} but found ${describe(text, i)}`, i);
    }

    if (state === S_COLON) {
      if (c !== 58) throw new ScanError(`expected : but found ${describe(text, i)}`, i);
      state = S_VALUE;
      i++;
      continue;
    }

    if (state === S_KEY || state === S_KEY_OR_CLOSE) {
      if (c === 34) {
        const start = i + 1;
        const end = skipString(text, start);
        const fctx = ctx[depth - 1];
        if (fctx !== C_NONE && fctx !== C_TOP_ARR && fctx !== C_IN_ARR && fctx !== C_REF_ARR) {
          const len = end - start;
          if (fctx === C_ROOT) {
            itemKey = lastHadEscape ? decodeRaw(text, start, end) : text.slice(start, end);
            keyIdx = -1;
            key = K_OTHER;
          } else if (lastHadEscape) {
            key = keyClass(decodeRaw(text, start, end));
          } else if (len === 3) {
            key = text.charCodeAt(start) === 115 && text.charCodeAt(start + 1) === 107 && text.charCodeAt(start + 2) === 117 ? K_SKU : K_OTHER;
          } else if (len === 7) {
            key = text.startsWith('content', start) ? K_REF : K_OTHER;
          } else if (len === 9) {
            key = text.startsWith('vc_prices', start) ? K_REF : K_OTHER;
          } else {
            key = K_OTHER;
          }
        }
        state = S_COLON;
        i = end + 1;
        continue;
      }
      if (c === 125 && state === S_KEY_OR_CLOSE) {
        depth--;
        state = S_AFTER;
        i++;
        continue;
      }
      throw new ScanError(c === 125 ? 'trailing comma' : `expected a property name but found ${describe(text, i)}`, i);
    }

    // S_VALUE or S_VALUE_OR_CLOSE.
    // Is this value the value of "sku" in an item / reference object?
    const skuSlot = depth > 0 && key === K_SKU && isObj[depth - 1] === 1 && (ctx[depth - 1] === C_ITEM || ctx[depth - 1] === C_REF_OBJ);
    if (c === 34) {
      const start = i + 1;
      const end = skipString(text, start);
      if (skuSlot) {
        const d = depth - 1;
        pOff[d] = start;
        pLen[d] = end - start;
        pLine[d] = line;
        pChar[d] = start - lineStart;
        pEsc[d] = lastHadEscape ? 1 : 0;
      }
      state = S_AFTER;
      i = end + 1;
      continue;
    }
    if (c === 123 || c === 91) { // { [
      const obj = c === 123;
      if (depth === cap) {
        cap *= 2;
        const grow8 = (a: Uint8Array): Uint8Array => { const b = new Uint8Array(cap); b.set(a); return b; };
        const grow32 = (a: Int32Array): Int32Array => { const b = new Int32Array(cap); b.set(a); return b; };
        isObj = grow8(isObj); ctx = grow8(ctx); pEsc = grow8(pEsc);
        pOff = grow32(pOff); pLen = grow32(pLen); pLine = grow32(pLine); pChar = grow32(pChar);
      }
      if (depth > 0) {
        if (skuSlot) pOff[depth - 1] = -1;
        ctx[depth] = childContext(ctx[depth - 1], obj, isObj[depth - 1] ? key : K_OTHER);
      } else {
        ctx[depth] = obj ? C_ROOT : C_NONE;
      }
      isObj[depth] = obj ? 1 : 0;
      pOff[depth] = -1;
      depth++;
      state = obj ? S_KEY_OR_CLOSE : S_VALUE_OR_CLOSE;
      i++;
      continue;
    }
    if (c === 93 && state === S_VALUE_OR_CLOSE) {
      depth--;
      state = S_AFTER;
      i++;
      continue;
    }
    if (c === 45 || (c >= 48 && c <= 57)) {
      i = skipNumber(text, i);
    } else if (c === 116 && literalAt(text, i, 'true')) {
      i += 4;
    } else if (c === 102 && literalAt(text, i, 'false')) {
      i += 5;
    } else if (c === 110 && literalAt(text, i, 'null')) {
      i += 4;
    } else {
      throw new ScanError(c === 93 || c === 125 ? 'trailing comma or missing value' : `expected a value but found ${describe(text, i)}`, i);
    }
    if (skuSlot) pOff[depth - 1] = -1;
    state = S_AFTER;
  }

  if (state !== S_AFTER || depth !== 0) {
    throw new ScanError(depth > 0 ? `unexpected end of file (${depth} unclosed bracket${depth > 1 ? 's' : ''})` : 'unexpected end of file', n);
  }
  return { itemKeys, definitions: definitions.table(), references: references.table() };
}

// ---------------------------------------------------------------------------------------------
// Byte scanner: same state machine on UTF-8 bytes. `adj` counts bytes minus UTF-16 units seen so
// far (non-ASCII bytes are only legal inside strings), so UTF-16 offset = byte offset - adj.

/**
 * Class of a byte inside a string token: 0 plain (printable ASCII other than `"` and `\\`, and
 * UTF-8 lead bytes of 2- and 3-byte sequences), 1 UTF-8 continuation byte, 2 UTF-8 lead byte of a
 * 4-byte sequence, 3 `"`, 4 `\\`, 5 control character (invalid in a string).
 */
/** Eight spaces read as a little-endian float64 (a normal number: equal doubles, equal bits). */
const SPACES8 = new DataView(new Uint8Array(8).fill(32).buffer).getFloat64(0, true);

const STR_CLASS = (() => {
  const t = new Uint8Array(256);
  for (let c = 0; c < 32; c++) t[c] = 5;
  for (let c = 0x80; c < 0xc0; c++) t[c] = 1;
  for (let c = 0xf0; c < 0x100; c++) t[c] = 2;
  t[34] = 3;
  t[92] = 4;
  return t;
})();

function bytesAre(b: Buffer, i: number, word: string): boolean {
  for (let k = 0; k < word.length; k++) if (b[i + k] !== word.charCodeAt(k)) return false;
  return true;
}

function decodeB(b: Buffer, start: number, end: number, escaped: boolean): string {
  const s = b.toString('utf8', start, end);
  return escaped ? decodeRaw(s, 0, s.length) : s;
}

/** Decodes a SKU's bytes: plain ASCII without escapes (the usual case) skips the UTF-8 decoder. */
function skuOfBytes(b: Buffer, start: number, end: number, escaped: boolean, ascii: boolean): string {
  if (!escaped && ascii) return b.toString('latin1', start, end);
  return decodeB(b, start, end, escaped);
}

function describeB(b: Buffer, i: number): string {
  if (i >= b.length) return 'unexpected end of file';
  const c = b[i];
  if (c === 47) return 'comments are not allowed';
  if (c < 32) return `unexpected control character U+${c.toString(16).padStart(4, '0').toUpperCase()}`;
  if (c >= 128) return 'unexpected non-ASCII character';
  return `unexpected character ${JSON.stringify(String.fromCharCode(c))}`;
}

/** Error for a string byte that ends the fast loop and is not handled by it. */
function stringError(b: Buffer, i: number, adj: number): ScanError {
  const c = b[i];
  if (c === undefined) return new ScanError('unterminated string', i - adj);
  if (c === 10 || c === 13) return new ScanError('unterminated string (line break in string)', i - adj);
  return new ScanError(`control character U+${c.toString(16).padStart(4, '0').toUpperCase()} in string`, i - adj);
}

/** Validates the escape at i (a backslash); returns its length in bytes. */
function escapeLength(b: Buffer, i: number, adj: number): number {
  const e = b[i + 1];
  if (e === 34 || e === 92 || e === 47 || e === 98 || e === 102 || e === 110 || e === 114 || e === 116) return 2;
  if (e === 117) {
    if (!(isHex(b[i + 2]) && isHex(b[i + 3]) && isHex(b[i + 4]) && isHex(b[i + 5]))) throw new ScanError('invalid \\u escape in string', i - adj);
    return 6;
  }
  if (e === undefined) throw new ScanError('unterminated string', i - adj);
  throw new ScanError('invalid escape in string', i - adj);
}

function skipNumberB(b: Buffer, i: number, adj: number): number {
  const start = i;
  let c = b[i];
  if (c === 45) c = b[++i];
  if (c === 48) {
    c = b[++i];
  } else if (c >= 49 && c <= 57) {
    do c = b[++i]; while (c >= 48 && c <= 57);
  } else {
    throw new ScanError('invalid number', start - adj);
  }
  if (c === 46) {
    c = b[++i];
    if (!(c >= 48 && c <= 57)) throw new ScanError('invalid number', start - adj);
    do c = b[++i]; while (c >= 48 && c <= 57);
  }
  if (c === 101 || c === 69) {
    c = b[++i];
    if (c === 43 || c === 45) c = b[++i];
    if (!(c >= 48 && c <= 57)) throw new ScanError('invalid number', start - adj);
    do c = b[++i]; while (c >= 48 && c <= 57);
  }
  return i;
}

/**
 * The byte scanner: the state machine of scanFast on UTF-8 bytes (validated beforehand), with the
 * string loop inlined and a fast path for the `"key": ` layout of formatted files. `adj` counts
 * bytes minus UTF-16 units seen so far (non-ASCII bytes are only legal inside strings), so that
 * UTF-16 offset = byte offset - adj.
 */
function scanBytes(b: Buffer): CompactScan {
  const n = b.length;
  const definitions = new Collector();
  const references = new Collector();
  const itemKeys: string[] = [];
  let keyIdx = -1;

  let cap = 64;
  let isObj: Uint8Array = new Uint8Array(cap);
  let ctx: Uint8Array = new Uint8Array(cap);
  // Pending sku per object frame: UTF-16 offset (-1 none), UTF-16 length, line, character,
  // flags (1 escaped, 2 non-ASCII), and byte start/end for decoding.
  let pOff: Int32Array = new Int32Array(cap);
  let pLen: Int32Array = new Int32Array(cap);
  let pLine: Int32Array = new Int32Array(cap);
  let pChar: Int32Array = new Int32Array(cap);
  let pFlags: Uint8Array = new Uint8Array(cap);
  let pB0: Int32Array = new Int32Array(cap);
  let pB1: Int32Array = new Int32Array(cap);

  let depth = 0;
  let state = S_VALUE;
  let key = K_OTHER;
  let itemKey = '';
  let line = 0;
  let lineStartU = 0; // UTF-16 offset of the current line's start
  let adj = 0;
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  let i = 0;

  for (;;) {
    let c = b[i];
    // Whitespace: line breaks, then the indentation (runs of spaces) in a tight loop.
    for (;;) {
      while (c === 32) c = b[++i];
      if (c === 10) {
        line++;
        lineStartU = i + 1 - adj;
        // The indentation that follows, eight spaces per load (DataView reads are inlined).
        while (i + 8 < n && dv.getFloat64(i + 1, true) === SPACES8) i += 8;
        if (i + 4 < n && dv.getInt32(i + 1, true) === 0x20202020) i += 4;
      } else if (c === 13) {
        if (b[i + 1] !== 10) {
          line++;
          lineStartU = i + 1 - adj;
        }
      } else if (c !== 9) {
        break;
      }
      c = b[++i];
    }
    if (i >= n) break;

    if (c === 34) {
      if (state === S_AFTER || state === S_COLON) {
        throw new ScanError(state === S_COLON ? 'expected : but found unexpected character "\\""' : depth === 0 ? 'unexpected content after the end of the document' : `expected , or ${isObj[depth - 1] ? '}' : ']'} but found unexpected character "\\""`, i - adj);
      }
      // A string token, inlined: plain ASCII bytes in the tight loop, the rest one by one.
      const start = i + 1;
      const adj0 = adj;
      let esc = false;
      let j = start;
      for (;;) {
        // Four bytes at a time while none of them is special (SWAR on a little-endian int32: a byte
        // >= 0x80, < 0x20, equal to 0x22 or to 0x5c sets the high bit of its lane, exactly).
        while (j + 4 <= n) {
          const w = dv.getInt32(j, true);
          const x = w ^ 0x22222222;
          const y = w ^ 0x5c5c5c5c;
          if (((w | ((w - 0x20202020) & ~w) | ((x - 0x01010101) & ~x) | ((y - 0x01010101) & ~y)) & 0x80808080) !== 0) break;
          j += 4;
        }
        // Then one table load per byte (see STR_CLASS); `& 255` maps the end of the buffer to NUL.
        let t = STR_CLASS[b[j] & 255];
        while (t === 0) t = STR_CLASS[b[++j] & 255];
        if (t === 3) break;
        if (t === 1) {
          adj++; // UTF-8 continuation byte: no UTF-16 unit of its own
          j++;
        } else if (t === 4) {
          esc = true;
          j += escapeLength(b, j, adj);
        } else if (t === 2) {
          adj--; // 4-byte lead: a surrogate pair, two UTF-16 units for four bytes
          j++;
        } else {
          throw stringError(b, j, adj);
        }
      }
      c = 34;
      const end = j;
      i = end + 1;
      if (state === S_KEY || state === S_KEY_OR_CLOSE) {
        const fctx = ctx[depth - 1];
        if (fctx !== C_NONE && fctx !== C_TOP_ARR && fctx !== C_IN_ARR && fctx !== C_REF_ARR) {
          const len = end - start;
          if (fctx === C_ROOT) {
            itemKey = decodeB(b, start, end, esc);
            keyIdx = -1;
            key = K_OTHER;
          } else if (esc) {
            key = keyClass(decodeB(b, start, end, true));
          } else if (len === 3) {
            key = b[start] === 115 && b[start + 1] === 107 && b[start + 2] === 117 ? K_SKU : K_OTHER;
          } else if (len === 7) {
            key = bytesAre(b, start, 'content') ? K_REF : K_OTHER;
          } else if (len === 9) {
            key = bytesAre(b, start, 'vc_prices') ? K_REF : K_OTHER;
          } else {
            key = K_OTHER;
          }
        }
        // `"key": ` in one step (the layout of formatted files); anything else goes round the loop.
        if (b[i] === 58) {
          i++;
          state = S_VALUE;
        } else {
          state = S_COLON;
        }
        continue;
      }
      // A string value: is it the value of "sku" in an item / reference object?
      if (key === K_SKU && depth > 0 && isObj[depth - 1] === 1 && (ctx[depth - 1] === C_ITEM || ctx[depth - 1] === C_REF_OBJ)) {
        const d = depth - 1;
        const u0 = start - adj0;
        pOff[d] = u0;
        pLen[d] = end - adj - u0;
        pLine[d] = line;
        pChar[d] = u0 - lineStartU;
        pFlags[d] = (esc ? 1 : 0) | (adj !== adj0 ? 2 : 0);
        pB0[d] = start;
        pB1[d] = end;
      }
      state = S_AFTER;
      continue;
    }

    if (state === S_AFTER) {
      if (c === 44) {
        if (depth === 0) throw new ScanError('unexpected content after the end of the document', i - adj);
        state = isObj[depth - 1] ? S_KEY : S_VALUE;
        i++;
        continue;
      }
      if (c === 125 || c === 93) {
        if (depth === 0 || isObj[depth - 1] !== (c === 125 ? 1 : 0)) {
          throw new ScanError(depth === 0 ? 'unexpected content after the end of the document' : `unexpected ${String.fromCharCode(c)}`, i - adj);
        }
        depth--;
        if (pOff[depth] >= 0) {
          const f = pFlags[depth];
          const sku = skuOfBytes(b, pB0[depth], pB1[depth], (f & 1) !== 0, (f & 2) === 0);
          if (keyIdx < 0) keyIdx = itemKeys.push(itemKey) - 1;
          (ctx[depth] === C_ITEM ? definitions : references).add(sku, keyIdx, pOff[depth], pLen[depth], pLine[depth], pChar[depth]);
        }
        i++;
        continue;
      }
      throw new ScanError(depth === 0 ? 'unexpected content after the end of the document' : `expected , or ${isObj[depth - 1] ? '}' : ']'} but found ${describeB(b, i)}`, i - adj);
    }

    if (state === S_COLON) {
      if (c !== 58) throw new ScanError(`expected : but found ${describeB(b, i)}`, i - adj);
      state = S_VALUE;
      i++;
      continue;
    }

    if (state === S_KEY || state === S_KEY_OR_CLOSE) {
      if (c === 125 && state === S_KEY_OR_CLOSE) {
        depth--;
        state = S_AFTER;
        i++;
        continue;
      }
      throw new ScanError(c === 125 ? 'trailing comma' : `expected a property name but found ${describeB(b, i)}`, i - adj);
    }

    // S_VALUE or S_VALUE_OR_CLOSE, not a string.
    const skuSlot = key === K_SKU && depth > 0 && isObj[depth - 1] === 1 && (ctx[depth - 1] === C_ITEM || ctx[depth - 1] === C_REF_OBJ);
    if (c === 123 || c === 91) {
      const obj = c === 123;
      if (depth === cap) {
        cap *= 2;
        const grow8 = (a: Uint8Array): Uint8Array => { const x = new Uint8Array(cap); x.set(a); return x; };
        const grow32 = (a: Int32Array): Int32Array => { const x = new Int32Array(cap); x.set(a); return x; };
        isObj = grow8(isObj); ctx = grow8(ctx); pFlags = grow8(pFlags);
        pOff = grow32(pOff); pLen = grow32(pLen); pLine = grow32(pLine); pChar = grow32(pChar);
        pB0 = grow32(pB0); pB1 = grow32(pB1);
      }
      if (depth > 0) {
        if (skuSlot) pOff[depth - 1] = -1;
        ctx[depth] = childContext(ctx[depth - 1], obj, isObj[depth - 1] ? key : K_OTHER);
      } else {
        ctx[depth] = obj ? C_ROOT : C_NONE;
      }
      isObj[depth] = obj ? 1 : 0;
      pOff[depth] = -1;
      depth++;
      state = obj ? S_KEY_OR_CLOSE : S_VALUE_OR_CLOSE;
      i++;
      continue;
    }
    if (c === 93 && state === S_VALUE_OR_CLOSE) {
      depth--;
      state = S_AFTER;
      i++;
      continue;
    }
    if (c === 45 || (c >= 48 && c <= 57)) {
      i = skipNumberB(b, i, adj);
    } else if (c === 116 && bytesAre(b, i, 'true')) {
      i += 4;
    } else if (c === 102 && bytesAre(b, i, 'false')) {
      i += 5;
    } else if (c === 110 && bytesAre(b, i, 'null')) {
      i += 4;
    } else {
      throw new ScanError(c === 93 || c === 125 ? 'trailing comma or missing value' : `expected a value but found ${describeB(b, i)}`, i - adj);
    }
    if (skuSlot) pOff[depth - 1] = -1;
    state = S_AFTER;
  }

  if (state !== S_AFTER || depth !== 0) {
    throw new ScanError(depth > 0 ? `unexpected end of file (${depth} unclosed bracket${depth > 1 ? 's' : ''})` : 'unexpected end of file', n - adj);
  }
  return { itemKeys, definitions: definitions.table(), references: references.table() };
}
