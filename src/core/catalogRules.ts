/**
 * Validation of Xsolla catalog import files BEFORE they are imported. Produces plain data that an
 * adapter turns into diagnostics (source `Xsolla catalog`). Never imports `vscode`.
 *
 * Positions are 0-based `{line, character}`, characters in UTF-16 code units, line breaks being
 * `\r\n`, `\n` or a lone `\r` (as VS Code counts them). A leading UTF-8 BOM is ignored, as VS Code
 * hides it (same as `SkuIndex`).
 *
 * Which files are checked: only files that look like import files, i.e. whose root is an object
 * with at least one top-level array holding an object that has a `sku` property. Any other JSON
 * (package.json, tsconfig.json with comments, …) yields no problems. For text that is not strict
 * JSON, the shape is judged on jsonc-parser's error-tolerant tree, so a catalog with a trailing
 * comma gets an `invalid-json` error while a tsconfig.json with comments gets nothing.
 *
 * Definitions and references follow the same semantics as `skuScanner.ts`:
 * - a definition is an object element of an array held by a top-level key, with a string `sku`;
 * - a reference is an object with a string `sku` inside an array held by `content` or `vc_prices`,
 *   at any depth inside an item (bundle content, currency package content, prices in currency);
 * - when an object holds a key twice, the last one wins (as with `JSON.parse`).
 *
 * Rules (codes are what `CatalogProblem.code` holds):
 * - 1817 (error): empty SKU; Xsolla reports `[0410-1817]: SKU can't be empty`.
 * - 'sku-too-long' (error): more than 255 characters (code points, as JSON Schema's maxLength).
 * - 'sku-invalid-chars' (error): characters outside `^[a-zA-Z0-9_\-–.]*$`. The spec's copy of the
 *   pattern is over-escaped (`_\\-–` would be a range from `\` to `–`); the intent, per the
 *   description ("Latin alphanumeric characters, periods, dashes, and underscores") and the
 *   reference README, is letters, digits, `_`, `-`, `–` (en dash) and `.`. Fix: every invalid
 *   character (code point) becomes `_`, offered only when the result is non-empty, not defined
 *   already, and not the result of fixing another SKU too.
 * - 'sku-duplicate' (error, workspace): the same SKU defined more than once, in one file or
 *   several, whatever the item type (SKUs are unique within a project); `related` lists the
 *   other definitions. Empty SKUs are left to 1817.
 * - 4055 (error): paid item without default price; Xsolla reports
 *   `[0401-4055]: Item default price not set`. See `checkDefaultPrice` for the interpretation.
 * - 'unknown-reference' (warning, workspace): a `content[].sku` / `vc_prices[].sku` that no file of
 *   the workspace defines; fix "Change to <sku>" when a defined SKU is within Levenshtein
 *   distance 2 (closest wins; ties: nearest length, shorter first, then code-unit order).
 * - 'file-too-large' (warning): more than 7 MB (7 × 1024 × 1024 bytes of UTF-8), on the first line.
 * - 'invalid-json' (error): the first strict-JSON error (no comments, no trailing commas); no SKU
 *   rule runs on such a file (its size is still checked). Its definitions, as far as the tolerant
 *   parse recovers them, still count as "defined" so that references to them are not flagged.
 */
import { parseTree, printParseErrorCode, ParseError, ParseErrorCode, Node } from 'jsonc-parser';

export interface Position {
  line: number;
  character: number;
}

export interface Range {
  start: Position;
  end: Position;
}

export type Severity = 'error' | 'warning' | 'info';

export interface CatalogProblem {
  /** The file key as given. */
  file: string;
  /**
   * Exact range to squiggle: the SKU value without quotes (definitions for 1817 — there the `""`
   * token, quotes included, so that it is visible —, too long, invalid chars, duplicates, 4055;
   * references for unknown-reference); the strict-JSON error token for invalid-json; the whole
   * first line for file-too-large.
   */
  range: Range;
  severity: Severity;
  /** 1817 and 4055 as Xsolla reports them; string codes otherwise. */
  code: string | number;
  message: string;
  related?: { file: string; range: Range; message: string }[];
  fix?: { title: string; range: Range; newText: string };
}

export const IMPORT_FILE_LIMIT_BYTES = 7 * 1024 * 1024;
export const SKU_MAX_LENGTH = 255;
/** Diagnostic source the adapter should use. */
export const CATALOG_SOURCE = 'Xsolla catalog';

export const CODE_EMPTY_SKU = 1817;
export const CODE_NO_DEFAULT_PRICE = 4055;

/** The SKU pattern as intended (see the header comment about the spec's escaping). */
const SKU_CHAR = /[a-zA-Z0-9_\-–.]/;
const SKU_PATTERN = /^[a-zA-Z0-9_\-–.]*$/;

/** Largest edit distance for which "Change to" is offered. */
const MAX_SUGGESTION_DISTANCE = 2;
/**
 * Bound on the work spent looking for "Change to" suggestions in one workspace pass, in
 * Levenshtein cells computed (a few hundred ms at most); see `Suggester`.
 */
const MAX_SUGGESTION_CELLS = 20_000_000;

// ---------------------------------------------------------------------------------------------
// Per-file analysis

/** A SKU occurrence (definition or reference) in one file. */
export interface SkuSite {
  /** Decoded SKU. */
  sku: string;
  /** Raw token content between the quotes (empty SKU: the `""` token itself, see `range`). */
  range: Range;
  /** UTF-16 offset of `range.start` in the text given (BOM excluded). */
  offset: number;
  length: number;
}

interface Pending {
  /** A per-file problem whose fix depends on which SKUs the workspace defines. */
  problem: CatalogProblem;
  sanitized: string;
}

/**
 * What one file contributes, computed once per text; cacheable by the adapter and fed to
 * `validateAnalyses` so that an edit re-parses only the edited file.
 */
export interface FileAnalysis {
  readonly file: string;
  /** Looks like an import file (see header). When false, the file yields nothing. */
  readonly isCatalog: boolean;
  /** Strict JSON. */
  readonly valid: boolean;
  /** Definitions with a string SKU (empty ones included). Recovered ones too for invalid files. */
  readonly definitions: readonly SkuSite[];
  /** References; empty for invalid files. */
  readonly references: readonly SkuSite[];
  /** Per-file problems, before workspace context is applied to fixes. */
  readonly problems: readonly CatalogProblem[];
  /** @internal invalid-chars problems whose fix the workspace pass may withdraw. */
  readonly pending: readonly Pending[];
}

/** Offsets → positions, by binary search over line starts. */
class LineMap {
  private readonly starts: number[] = [0];

  constructor(readonly text: string) {
    const t = text;
    for (let i = 0; i < t.length; i++) {
      const c = t.charCodeAt(i);
      if (c === 10) this.starts.push(i + 1);
      else if (c === 13) {
        if (t.charCodeAt(i + 1) === 10) i++;
        this.starts.push(i + 1);
      }
    }
  }

  position(offset: number): Position {
    const s = this.starts;
    let lo = 0;
    let hi = s.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (s[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo, character: offset - s[lo] };
  }

  range(offset: number, length: number): Range {
    return { start: this.position(offset), end: this.position(offset + length) };
  }

  /** The whole first line, line break excluded. */
  firstLine(): Range {
    let end = 0;
    const t = this.text;
    while (end < t.length && t.charCodeAt(end) !== 10 && t.charCodeAt(end) !== 13) end++;
    return { start: { line: 0, character: 0 }, end: { line: 0, character: end } };
  }

  /** The line break style of the text (for inserted lines). */
  eol(): string {
    const i = this.text.indexOf('\n');
    if (i > 0 && this.text.charCodeAt(i - 1) === 13) return '\r\n';
    if (i === -1 && this.text.indexOf('\r') !== -1) return '\r';
    return '\n';
  }
}

/** Last property of `obj` named `key` (last wins, as with JSON.parse). */
function prop(obj: Node, key: string): Node | undefined {
  const children = obj.children;
  if (!children) return undefined;
  for (let i = children.length - 1; i >= 0; i--) {
    const p = children[i];
    const k = p.children?.[0];
    if (k && k.value === key) return p;
  }
  return undefined;
}

function propValue(obj: Node, key: string): Node | undefined {
  return prop(obj, key)?.children?.[1];
}

function isTrue(node: Node | undefined): boolean {
  return node !== undefined && node.type === 'boolean' && node.value === true;
}

/** Site of a string value node: the raw content between quotes, or the `""` token when empty. */
function site(lines: LineMap, node: Node): SkuSite {
  const sku = node.value as string;
  const offset = node.length > 2 ? node.offset + 1 : node.offset;
  const length = node.length > 2 ? node.length - 2 : node.length;
  return { sku, offset, length, range: lines.range(offset, length) };
}

/** Does the (possibly error-recovered) tree look like an import file? */
function looksLikeCatalog(root: Node | undefined): boolean {
  if (!root || root.type !== 'object' || !root.children) return false;
  for (const p of root.children) {
    const arr = p.children?.[1];
    if (!arr || arr.type !== 'array' || !arr.children) continue;
    for (const el of arr.children) {
      if (el.type === 'object' && prop(el, 'sku')) return true;
    }
  }
  return false;
}

/** Items: object elements of the arrays held by top-level keys. */
function* items(root: Node): Generator<Node> {
  for (const p of root.children ?? []) {
    const arr = p.children?.[1];
    if (!arr || arr.type !== 'array') continue;
    for (const el of arr.children ?? []) if (el.type === 'object') yield el;
  }
}

/** References below `node` (an item or anything inside one), per the scanner's semantics. */
function collectReferences(node: Node, inRefArray: boolean, lines: LineMap, out: SkuSite[]): void {
  if (node.type === 'object') {
    if (inRefArray) {
      const v = propValue(node, 'sku');
      if (v && v.type === 'string') out.push(site(lines, v));
    }
    for (const p of node.children ?? []) {
      const v = p.children?.[1];
      if (!v || (v.type !== 'object' && v.type !== 'array')) continue;
      const key = p.children?.[0]?.value;
      collectReferences(v, v.type === 'array' && (key === 'content' || key === 'vc_prices'), lines, out);
    }
  } else if (node.type === 'array') {
    for (const el of node.children ?? []) {
      if (el.type === 'object') collectReferences(el, inRefArray, lines, out);
      else if (el.type === 'array') collectReferences(el, false, lines, out);
    }
  }
}

function describeChar(ch: string): string {
  const cp = ch.codePointAt(0) ?? 0;
  const hex = 'U+' + cp.toString(16).toUpperCase().padStart(4, '0');
  if (ch === ' ') return '" " (space)';
  if (cp < 32 || cp === 127 || (cp >= 0xd800 && cp <= 0xdfff)) return hex;
  return `"${ch}" (${hex})`;
}

/** Replaces each invalid code point by `_`; returns the result and the distinct invalid chars. */
function sanitize(sku: string): { text: string; invalid: string[] } {
  let text = '';
  const invalid: string[] = [];
  for (const ch of sku) {
    if (SKU_CHAR.test(ch) && ch.length === 1) text += ch;
    else {
      text += '_';
      if (!invalid.includes(ch)) invalid.push(ch);
    }
  }
  return { text, invalid };
}

function codePointLength(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0xd800 || c > 0xdbff || i + 1 >= s.length) n++;
    else {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) i++;
      n++;
    }
  }
  return n;
}

function quoteSku(sku: string): string {
  const shown = sku.length > 60 ? sku.slice(0, 57) + '…' : sku;
  return JSON.stringify(shown);
}

/** Per-definition SKU rules (1817, too long, invalid chars). */
function checkSku(file: string, def: SkuSite, problems: CatalogProblem[], pending: Pending[]): void {
  const { sku, range } = def;
  if (sku === '') {
    problems.push({
      file, range, severity: 'error', code: CODE_EMPTY_SKU,
      message: "SKU can't be empty. Xsolla rejects the item with error 1817.",
    });
    return;
  }
  const len = codePointLength(sku);
  if (len > SKU_MAX_LENGTH) {
    problems.push({
      file, range, severity: 'error', code: 'sku-too-long',
      message: `SKU is ${len} characters long; Xsolla allows at most ${SKU_MAX_LENGTH}.`,
    });
  }
  if (!SKU_PATTERN.test(sku)) {
    const { text, invalid } = sanitize(sku);
    const list = invalid.slice(0, 5).map(describeChar).join(', ') + (invalid.length > 5 ? ', …' : '');
    const problem: CatalogProblem = {
      file, range, severity: 'error', code: 'sku-invalid-chars',
      message: `SKU ${quoteSku(sku)} contains characters Xsolla does not allow: ${list}. ` +
        'A SKU may contain only Latin letters, digits, "_", "-", "–" and ".".',
    };
    if (text !== '') {
      problem.fix = { title: `Change to ${JSON.stringify(text)}`, range, newText: text };
      pending.push({ problem, sanitized: text });
    }
    problems.push(problem);
  }
}

/**
 * Rule 4055: a paid item without default price.
 *
 * Interpretation of the schemas (`Virtual-Items_admin-prices`, `Virtual-Items-Currency_admin-prices`,
 * `Bundles_prices`): `prices` holds the real-currency prices; `is_default` is a boolean defaulting
 * to false ("Default price is used to build a catalog if no price in the user's currency is
 * specified"), so a non-empty `prices` list must have one price with `is_default: true`, even when
 * it holds a single price. `vc_prices` is a separate list (prices in virtual currency) and neither
 * excuses nor triggers the rule: an item priced only in virtual currency (`prices` missing, null
 * or `[]`) is not checked, and an item with both lists still needs a default real-currency price.
 * `is_free: true` (the boolean) makes the item free and exempts it; `is_free` false, missing or
 * non-boolean does not. Only the boolean `true` counts as default (a string "true" does not).
 * Keys given twice: the last one counts.
 */
function checkDefaultPrice(
  file: string, item: Node, def: SkuSite | undefined, lines: LineMap, problems: CatalogProblem[],
): void {
  if (isTrue(propValue(item, 'is_free'))) return;
  const pricesProp = prop(item, 'prices');
  const prices = pricesProp?.children?.[1];
  if (!pricesProp || !prices || prices.type !== 'array' || !prices.children || prices.children.length === 0) return;
  for (const p of prices.children) {
    if (p.type === 'object' && isTrue(propValue(p, 'is_default'))) return;
  }
  // Range: the item's SKU value; without one, the `prices` key.
  const keyNode = pricesProp.children?.[0] ?? pricesProp;
  const range = def ? def.range : lines.range(keyNode.offset, keyNode.length);
  const n = prices.children.length;
  const problem: CatalogProblem = {
    file, range, severity: 'error', code: CODE_NO_DEFAULT_PRICE,
    message: `Item default price not set: ${n === 1 ? 'its price is' : `none of its ${n} prices is`} marked "is_default": true. ` +
      'Xsolla rejects the item with error 4055.',
  };
  const first = prices.children[0];
  if (first.type === 'object') problem.fix = defaultPriceFix(first, lines);
  problems.push(problem);
}

/** The edit that makes the first price default, keeping valid JSON and the file's layout. */
function defaultPriceFix(price: Node, lines: LineMap): CatalogProblem['fix'] {
  const title = 'Make the first price the default ("is_default": true)';
  const existing = propValue(price, 'is_default');
  if (existing) {
    return { title, range: lines.range(existing.offset, existing.length), newText: 'true' };
  }
  const props = price.children ?? [];
  const text = lines.text;
  if (props.length === 0) {
    // `{}` or `{ }`: insert just after the brace.
    return { title, range: lines.range(price.offset + 1, 0), newText: '"is_default": true' };
  }
  const last = props[props.length - 1];
  const at = last.offset + last.length;
  const firstProp = props[0];
  const between = text.slice(price.offset + 1, firstProp.offset);
  if (/[\r\n]/.test(between)) {
    // Multi-line object: new line, with the indentation of the last property's line.
    const lastStart = lines.position(last.offset);
    const lineText = text.slice(last.offset - lastStart.character, last.offset);
    const indent = /^[ \t]*/.exec(lineText)?.[0] ?? '';
    return { title, range: lines.range(at, 0), newText: `,${lines.eol()}${indent}"is_default": true` };
  }
  return { title, range: lines.range(at, 0), newText: ', "is_default": true' };
}

const PARSE_MESSAGES: Partial<Record<ParseErrorCode, string>> = {
  [ParseErrorCode.InvalidSymbol]: 'unexpected symbol',
  [ParseErrorCode.InvalidNumberFormat]: 'invalid number',
  [ParseErrorCode.PropertyNameExpected]: 'property name expected',
  [ParseErrorCode.ValueExpected]: 'value expected',
  [ParseErrorCode.ColonExpected]: "':' expected",
  [ParseErrorCode.CommaExpected]: "',' expected",
  [ParseErrorCode.CloseBraceExpected]: "'}' expected",
  [ParseErrorCode.CloseBracketExpected]: "']' expected",
  [ParseErrorCode.EndOfFileExpected]: 'end of file expected',
  [ParseErrorCode.InvalidCommentToken]: 'comments are not allowed in JSON',
  [ParseErrorCode.UnexpectedEndOfComment]: 'unterminated comment',
  [ParseErrorCode.UnexpectedEndOfString]: 'unterminated string',
  [ParseErrorCode.UnexpectedEndOfNumber]: 'unterminated number',
  [ParseErrorCode.InvalidUnicode]: 'invalid \\u escape',
  [ParseErrorCode.InvalidEscapeCharacter]: 'invalid escape character',
  [ParseErrorCode.InvalidCharacter]: 'invalid character in string',
};

function parseErrorMessage(err: ParseError, text: string): string {
  let what = PARSE_MESSAGES[err.error] ?? printParseErrorCode(err.error);
  if (err.error === ParseErrorCode.ValueExpected || err.error === ParseErrorCode.PropertyNameExpected) {
    const c = text[err.offset];
    if (c === '}' || c === ']') {
      let i = err.offset - 1;
      while (i >= 0 && /\s/.test(text[i])) i--;
      if (text[i] === ',') what = 'trailing commas are not allowed in JSON';
    }
  }
  return `Not valid JSON: ${what}. Xsolla cannot import this file.`;
}

function formatMb(bytes: number): string {
  return (bytes / (1024 * 1024)).toFixed(1);
}

function analyse(file: string, rawText: string, byteLength: number | undefined): FileAnalysis {
  const text = rawText.charCodeAt(0) === 0xfeff ? rawText.slice(1) : rawText;
  const none: FileAnalysis = { file, isCatalog: false, valid: true, definitions: [], references: [], problems: [], pending: [] };
  // Cheap pre-check: an import file spells the key "sku" somewhere.
  if (text.indexOf('"sku"') === -1) return none;

  const errors: ParseError[] = [];
  let root: Node | undefined;
  let overflow = false;
  try {
    root = parseTree(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  } catch {
    overflow = true; // jsonc-parser recurses per nesting level
  }
  if (!overflow && !looksLikeCatalog(root)) return none;

  const lines = new LineMap(text);
  const problems: CatalogProblem[] = [];
  const pending: Pending[] = [];

  const bytes = byteLength ?? (text.length * 3 <= IMPORT_FILE_LIMIT_BYTES ? 0 : Buffer.byteLength(rawText, 'utf8'));
  if (bytes > IMPORT_FILE_LIMIT_BYTES) {
    problems.push({
      file, range: lines.firstLine(), severity: 'warning', code: 'file-too-large',
      message: `This file is ${formatMb(bytes)} MB, over the 7 MB import limit. Split it into several import files.`,
    });
  }

  const definitions: SkuSite[] = [];
  const collectDefinitions = (): void => {
    if (!root) return;
    for (const item of items(root)) {
      const v = propValue(item, 'sku');
      if (v && v.type === 'string') definitions.push(site(lines, v));
    }
  };

  if (overflow || errors.length > 0) {
    const err = overflow ? undefined : errors[0];
    let range: Range;
    let message: string;
    if (err) {
      let len = err.length;
      // Give a zero-width error one character to show, unless it sits on a line break / the end.
      if (len === 0 && err.offset < text.length && !/[\r\n]/.test(text[err.offset])) len = 1;
      range = lines.range(err.offset, len);
      message = parseErrorMessage(err, text);
    } else {
      range = lines.firstLine();
      message = 'Not valid JSON: nested too deeply to parse. Xsolla cannot import this file.';
    }
    problems.push({ file, range, severity: 'error', code: 'invalid-json', message });
    collectDefinitions();
    return { file, isCatalog: true, valid: false, definitions, references: [], problems, pending: [] };
  }

  const references: SkuSite[] = [];
  for (const p of root!.children ?? []) {
    const arr = p.children?.[1];
    if (!arr || arr.type !== 'array') continue;
    for (const item of arr.children ?? []) {
      if (item.type !== 'object') continue;
      const v = propValue(item, 'sku');
      let def: SkuSite | undefined;
      if (v && v.type === 'string') {
        def = site(lines, v);
        definitions.push(def);
        checkSku(file, def, problems, pending);
      }
      // Only items with a SKU are items Xsolla would try to create and report on.
      if (v) checkDefaultPrice(file, item, def, lines, problems);
      collectReferences(item, false, lines, references);
    }
  }
  // The per-file fix for invalid chars must not produce a SKU this file already defines.
  if (pending.length > 0) {
    const own = new Set(definitions.map((d) => d.sku));
    withdrawFixes(pending, (s) => own.has(s));
  }
  return { file, isCatalog: true, valid: true, definitions, references, problems, pending };
}

/** Removes invalid-chars fixes whose result is defined, or that two SKUs would share. */
function withdrawFixes(pending: readonly Pending[], isDefined: (sku: string) => boolean): void {
  const count = new Map<string, number>();
  for (const p of pending) count.set(p.sanitized, (count.get(p.sanitized) ?? 0) + 1);
  for (const p of pending) {
    if (isDefined(p.sanitized) || (count.get(p.sanitized) ?? 0) > 1) delete p.problem.fix;
  }
}

function byPosition(a: CatalogProblem, b: CatalogProblem): number {
  return a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character;
}

/** Deep-enough copy for the workspace pass (fixes may be withdrawn; analyses stay untouched). */
function copyProblem(p: CatalogProblem): CatalogProblem {
  const c: CatalogProblem = { ...p };
  if (p.fix) c.fix = { ...p.fix };
  if (p.related) c.related = p.related.map((r) => ({ ...r }));
  return c;
}

// ---------------------------------------------------------------------------------------------
// Public API

/**
 * Analyses one file: parse, shape, definitions, references, per-file problems. The result can be
 * cached per file version and passed to `validateAnalyses`.
 */
export function analyseFile(file: string, text: string, byteLength?: number): FileAnalysis {
  return analyse(file, text, byteLength);
}

/**
 * Per-file rules (empty / too long / invalid SKU, default price, size, JSON): need only this
 * file's text. Duplicates and unknown references are workspace rules (`validateWorkspace`).
 * `byteLength` is the file's size on disk when known; else the UTF-8 length of `text`.
 */
export function validateFile(file: string, text: string, byteLength?: number): CatalogProblem[] {
  const a = analyse(file, text, byteLength);
  return a.problems.map(copyProblem).sort(byPosition);
}

/**
 * Workspace rules over all catalog files' texts: every file's per-file problems, plus duplicates
 * across and within files and references to SKUs defined nowhere. Non-catalog files in `files`
 * are fine (they yield nothing). `byteLengths` optionally gives sizes on disk.
 * Problems come grouped by file (in `files` order), sorted by position within a file.
 */
export function validateWorkspace(
  files: ReadonlyMap<string, string>, byteLengths?: ReadonlyMap<string, number>,
): CatalogProblem[] {
  const analyses: FileAnalysis[] = [];
  for (const [file, text] of files) analyses.push(analyse(file, text, byteLengths?.get(file)));
  return validateAnalyses(analyses);
}

/** Same as `validateWorkspace`, on analyses from `analyseFile` (e.g. cached per file). */
export function validateAnalyses(analyses: Iterable<FileAnalysis>): CatalogProblem[] {
  const list = [...analyses].filter((a) => a.isCatalog);
  // SKU → definitions, across the workspace (one pass; no pairwise comparison).
  const defs = new Map<string, { file: string; site: SkuSite; checked: boolean }[]>();
  for (const a of list) {
    for (const site of a.definitions) {
      const entry = { file: a.file, site, checked: a.valid };
      const cur = defs.get(site.sku);
      if (cur) cur.push(entry);
      else defs.set(site.sku, [entry]);
    }
  }

  const byFile = new Map<string, CatalogProblem[]>();
  const out = (file: string): CatalogProblem[] => {
    let arr = byFile.get(file);
    if (!arr) byFile.set(file, (arr = []));
    return arr;
  };

  // Per-file problems, with invalid-chars fixes re-checked against the whole workspace.
  const pendingCopies: Pending[] = [];
  for (const a of list) {
    const mine = out(a.file);
    const copies = new Map<CatalogProblem, CatalogProblem>();
    for (const p of a.problems) {
      const c = copyProblem(p);
      copies.set(p, c);
      mine.push(c);
    }
    for (const p of a.pending) {
      const c = copies.get(p.problem);
      if (c && c.fix) pendingCopies.push({ problem: c, sanitized: p.sanitized });
    }
  }
  withdrawFixes(pendingCopies, (s) => defs.has(s));

  // Duplicates: only among definitions of valid files (an invalid file's positions are unreliable).
  for (const [sku, entries] of defs) {
    if (sku === '') continue;
    const checked = entries.filter((e) => e.checked);
    if (checked.length < 2) continue;
    for (const e of checked) {
      const others = checked.filter((o) => o !== e);
      const elsewhere = others.some((o) => o.file !== e.file);
      out(e.file).push({
        file: e.file, range: e.site.range, severity: 'error', code: 'sku-duplicate',
        message: `SKU ${quoteSku(sku)} is defined ${checked.length} times${elsewhere ? ' in the workspace' : ' in this file'}; ` +
          'SKUs must be unique in a project.',
        related: others.map((o) => ({ file: o.file, range: o.site.range, message: `Also defined here: ${quoteSku(sku)}` })),
      });
    }
  }

  // Unknown references, with "Change to" suggestions from a length-bucketed search.
  const suggester = new Suggester(defs.keys());
  for (const a of list) {
    for (const ref of a.references) {
      if (defs.has(ref.sku)) continue;
      const problem: CatalogProblem = {
        file: a.file, range: ref.range, severity: 'warning', code: 'unknown-reference',
        message: ref.sku === ''
          ? 'Empty SKU reference: it refers to no item.'
          : `${quoteSku(ref.sku)} is not defined in any catalog file of the workspace.`,
      };
      const best = ref.sku === '' ? undefined : suggester.suggest(ref.sku);
      if (best !== undefined) {
        problem.message += ` Did you mean ${quoteSku(best)}?`;
        problem.fix = { title: `Change to ${best}`, range: ref.range, newText: jsonStringContent(best) };
      }
      out(a.file).push(problem);
    }
  }

  const result: CatalogProblem[] = [];
  for (const a of list) {
    const arr = byFile.get(a.file);
    if (!arr || arr.length === 0) continue;
    byFile.delete(a.file); // a file key given twice is reported once
    result.push(...arr.sort(byPosition));
  }
  return result;
}

/** Escapes a value for use between JSON quotes. */
function jsonStringContent(s: string): string {
  return JSON.stringify(s).slice(1, -1);
}

/**
 * Finds the closest defined SKU within distance 2, without comparing against every SKU. Defined
 * SKUs are bucketed by length (only lengths within ±2 can match) and each bucket, sorted when first
 * needed, is an implicit trie: a query walks it computing one Levenshtein row per trie node (rows
 * of a shared prefix are reused from the previous SKU), and skips every SKU under a prefix whose
 * lower bound (row value plus the length difference still to come, exact since the bucket fixes
 * the length) cannot beat the best so far. SKUs share long prefixes ("com.example."), so a query
 * visits few nodes. Results are memoised per SKU, and the total work per pass is capped
 * (MAX_SUGGESTION_CELLS) against adversarial inputs; past the cap, unknown references are still
 * reported, without suggestion.
 */
class Suggester {
  private buckets: Map<number, { skus: string[]; sorted: boolean }> | undefined;
  private readonly memo = new Map<string, string | undefined>();
  private budget = MAX_SUGGESTION_CELLS;

  constructor(private readonly skus: Iterable<string>) {}

  suggest(query: string): string | undefined {
    if (this.memo.has(query)) return this.memo.get(query);
    if (!this.buckets) {
      this.buckets = new Map();
      for (const s of this.skus) {
        if (s === '') continue;
        const b = this.buckets.get(s.length);
        if (b) b.skus.push(s);
        else this.buckets.set(s.length, { skus: [s], sorted: false });
      }
    }
    const best = { sku: undefined as string | undefined, d: MAX_SUGGESTION_DISTANCE + 1 };
    // Nearest lengths first: a close match found early tightens the pruning.
    for (let delta = 0; delta <= MAX_SUGGESTION_DISTANCE && delta < best.d; delta++) {
      for (const len of delta === 0 ? [query.length] : [query.length - delta, query.length + delta]) {
        const b = this.buckets.get(len);
        if (!b) continue;
        if (!b.sorted) {
          b.skus.sort((x, y) => (x < y ? -1 : x > y ? 1 : 0));
          b.sorted = true;
        }
        if (!this.search(query, b.skus, len, best)) {
          // Out of budget: no suggestion rather than one that may not be the closest.
          this.memo.set(query, undefined);
          return undefined;
        }
      }
    }
    this.memo.set(query, best.sku);
    return best.sku;
  }

  /**
   * Walks one bucket (SKUs of length `len`, sorted), improving `best` (ties: first in order).
   * False when the budget ran out.
   */
  private search(q: string, sorted: readonly string[], len: number, best: { sku: string | undefined; d: number }): boolean {
    const n = q.length;
    const w = n + 1;
    const qc = new Uint16Array(n);
    for (let j = 0; j < n; j++) qc[j] = q.charCodeAt(j);
    const rows: Int32Array[] = [];
    const row0 = new Int32Array(w);
    for (let j = 0; j < w; j++) row0[j] = j;
    rows.push(row0);
    let prev = ''; // the SKU whose rows are in `rows` ...
    let valid = 0; // ... up to this depth
    let i = 0;
    while (i < sorted.length) {
      const s = sorted[i];
      let d = 0;
      const limit = Math.min(valid, len);
      while (d < limit && s.charCodeAt(d) === prev.charCodeAt(d)) d++;
      let pruned = -1;
      for (; d < len; d++) {
        if (this.budget <= 0) return false;
        this.budget -= w;
        const above = rows[d];
        let cur = rows[d + 1];
        if (!cur) rows.push((cur = new Int32Array(w)));
        const c = s.charCodeAt(d);
        const rest = len - d - 1; // candidate characters after this one
        cur[0] = d + 1;
        let bound = cur[0] + Math.abs(rest - n);
        for (let j = 1; j < w; j++) {
          let v = above[j - 1] + (qc[j - 1] === c ? 0 : 1);
          if (above[j] + 1 < v) v = above[j] + 1;
          if (cur[j - 1] + 1 < v) v = cur[j - 1] + 1;
          cur[j] = v;
          const lb = v + Math.abs(rest - (n - j));
          if (lb < bound) bound = lb;
        }
        if (bound >= best.d) {
          pruned = d + 1; // no SKU under this prefix can do better
          break;
        }
      }
      prev = s;
      if (pruned >= 0) {
        valid = pruned - 1;
        i = skipPrefix(sorted, i, pruned);
        continue;
      }
      valid = len;
      const dist = rows[len][n];
      if (dist < best.d) {
        best.d = dist;
        best.sku = s;
      }
      i++;
    }
    return true;
  }
}

/**
 * Index of the first SKU after `from` that does not share `sorted[from]`'s first `len` characters,
 * i.e. the first one ≥ that prefix with its last character incremented (the input is sorted in
 * code-unit order). Gallops, then bisects: skipped runs are usually short.
 */
function skipPrefix(sorted: readonly string[], from: number, len: number): number {
  const s = sorted[from];
  const last = s.charCodeAt(len - 1);
  if (last === 0xffff) {
    let k = from + 1;
    while (k < sorted.length && sorted[k].startsWith(s.slice(0, len))) k++;
    return k;
  }
  const limit = s.slice(0, len - 1) + String.fromCharCode(last + 1);
  let good = from; // below the limit
  let bad = sorted.length; // at or above it (or the end)
  for (let step = 1; ; step *= 2) {
    const probe = good + step;
    if (probe >= sorted.length) break;
    if (sorted[probe] < limit) good = probe;
    else {
      bad = probe;
      break;
    }
  }
  let lo = good + 1;
  let hi = bad;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid] < limit) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Counts for a status line or a notification. */
export function summarise(problems: readonly CatalogProblem[]): {
  errors: number; warnings: number; infos: number; files: number; text: string;
} {
  let errors = 0;
  let warnings = 0;
  let infos = 0;
  const files = new Set<string>();
  for (const p of problems) {
    if (p.severity === 'error') errors++;
    else if (p.severity === 'warning') warnings++;
    else infos++;
    files.add(p.file);
  }
  if (problems.length === 0) return { errors, warnings, infos, files: 0, text: 'Catalog: no problems' };
  const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;
  const parts: string[] = [];
  if (errors > 0) parts.push(plural(errors, 'error'));
  if (warnings > 0) parts.push(plural(warnings, 'warning'));
  if (infos > 0) parts.push(`${infos} info`);
  const text = `Catalog: ${parts.join(', ')} in ${plural(files.size, 'file')}`;
  return { errors, warnings, infos, files: files.size, text };
}
