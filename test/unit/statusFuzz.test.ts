/**
 * Property tests for parseStatus: whatever the server sends (or whatever JSON.parse makes of it),
 * parseStatus either returns a well-formed ImportStatus or throws ApiError('bad-response'). Never
 * another exception, never a malformed status.
 *
 * Inputs: arbitrary JS values, arbitrary JSON values, structured near-valid bodies with random
 * field types, and mutated JSON texts of valid bodies (parsed when they still parse, else fed as the
 * raw string). About 100,000 cases by default; FUZZ_RUNS=<n> multiplies them (long mode).
 */
import * as assert from 'assert';
import fc from 'fast-check';
import { seededRandom as prng } from '../random';
import { ApiError } from '../../src/core/errors';
import { parseStatus } from '../../src/core/status';
import { ImportStatus } from '../../src/core/types';

const MULT = Math.max(1, Number(process.env.FUZZ_RUNS) || 1);
/**
 * fast-check runs per property. Generation is the expensive part, so the structured and mutation
 * properties derive several cheap variants per generated body with a seeded PRNG (the seed is part of
 * the generated value, so a counterexample still reproduces). Cases = runs × variants.
 */
const RUNS = { anything: 5_000, json: 5_000, structured: 3_000, mutated: 2_000 };
const VARIANTS = { structured: 10, mutated: 30 };

const STATES = new Set(['initialized', 'process', 'done', 'error', 'unknown']);
const KINDS = new Set(['virtual_good', 'virtual_currency', 'virtual_currency_packages', 'bundle', 'unknown']);

let cases = 0;
const outcomes = { ok: 0, rejected: 0 };

/** Checks one outcome; returns a description of what is wrong, or undefined. */
function problem(s: ImportStatus): string | undefined {
  if (typeof s !== 'object' || s === null) return 'not an object';
  if (!STATES.has(s.state)) return `state ${String(s.state)}`;
  if (typeof s.rawState !== 'string') return 'rawState';
  if (!Number.isInteger(s.progress) || s.progress < 0 || s.progress > 100) return `progress ${s.progress}`;
  if (!Number.isInteger(s.errorsCount) || s.errorsCount < 0) return `errorsCount ${s.errorsCount}`;
  if (!Number.isInteger(s.totalEntities) || s.totalEntities < 0) return `totalEntities ${s.totalEntities}`;
  for (const k of ['dateCreated', 'dateUpdated', 'dateCompleted'] as const) {
    const d = s[k];
    if (d !== undefined && !(d instanceof Date && Number.isFinite(d.getTime()))) return `${k} ${String(d)}`;
  }
  for (const k of ['error', 'errorCode'] as const) {
    const v = s[k];
    if (v !== undefined && (typeof v !== 'string' || v === '')) return `${k} ${String(v)}`;
  }
  if (!Array.isArray(s.notes) || !s.notes.every((n) => typeof n === 'string')) return 'notes';
  if (!Array.isArray(s.errors)) return 'errors is not an array';
  for (const e of s.errors) {
    if (typeof e !== 'object' || e === null) return 'error entry';
    if (typeof e.sku !== 'string') return `sku ${typeof e.sku}`;
    if (!KINDS.has(e.kind)) return `kind ${String(e.kind)}`;
    if (e.rawType !== null && typeof e.rawType !== 'string') return 'rawType';
    if (e.code !== null && !(typeof e.code === 'number' && Number.isInteger(e.code))) return `code ${String(e.code)}`;
    if (typeof e.message !== 'string' || typeof e.fullMessage !== 'string') return 'message';
  }
  return undefined;
}

type Parser = (body: unknown) => ImportStatus;

/** The property: a well-formed status or ApiError('bad-response'), nothing else. */
function holds(parse: Parser, body: unknown): boolean {
  if (parse === parseStatus) cases++;
  let s: ImportStatus;
  try {
    s = parse(body);
  } catch (e) {
    if (e instanceof ApiError && e.kind === 'bad-response') {
      if (parse === parseStatus) outcomes.rejected++;
      return true;
    }
    throw new Error(`threw ${e instanceof ApiError ? `ApiError(${e.kind})` : String(e)}`);
  }
  const p = problem(s);
  if (p) throw new Error(`malformed status: ${p}`);
  if (parse === parseStatus) outcomes.ok++;
  return true;
}

// ----- generators ----------------------------------------------------------------------------

/** Values JSON.parse can produce that trip naive code: own toString/valueOf, __proto__ keys, Infinity from 1e400, -0. */
const NASTY_JSON = [
  '{"toString":1}',
  '{"toString":null,"valueOf":null}',
  '{"valueOf":"x","toString":{}}',
  '{"__proto__":{"toString":1}}',
  '{"constructor":null,"hasOwnProperty":1}',
  '1e400',
  '-1e400',
  '-0',
  '1e21',
  '0.0000001',
  '"  42  "',
  '"1e3"',
  '"-7"',
  '"99999999999999999999999999"',
  '""',
  '"[0401-4055]: x"',
  '"[0401-"',
  '[]',
  '[null]',
  '{}',
].map((t) => JSON.parse(t) as unknown);
const nasty = fc.constantFrom(...NASTY_JSON);

/** Long strings, to make sure no regex backtracks badly (the run would hang). */
const longString = fc.constantFrom(' '.repeat(50_000) + 'x', '1'.repeat(50_000) + 'x', '[' + '0'.repeat(50_000), '[0401-' + '9'.repeat(50_000) + ']', '\n'.repeat(10_000) + '-1');

const anyField = fc.oneof(
  { weight: 3, arbitrary: fc.jsonValue({ maxDepth: 2 }) },
  { weight: 2, arbitrary: nasty },
  { weight: 1, arbitrary: fc.constantFrom(undefined, null, true, false, 0, -1, 100, 101, 45.9, Number.MAX_SAFE_INTEGER) },
);

/** Either a value of the right kind for the field, or something else. */
const field = <T>(good: fc.Arbitrary<T>) => fc.oneof({ weight: 3, arbitrary: good }, { weight: 2, arbitrary: anyField });

const STATUS_VALUES = ['initialized', 'process', 'done', 'error', 'DONE', 'paused', ' done', ''];
const TYPE_VALUES = ['virtual_good', 'virtual_currency', 'virtual_currency_packages', 'bundle', 'virtual_items', 'vi', 'VI ', 'bundles', 'thing', ''];
const isoDate = fc.date({ min: new Date(0), max: new Date(4_000_000_000_000), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 19) + '+03:00');
const message = fc.oneof(fc.string(), fc.tuple(fc.integer({ min: 0, max: 99999 }), fc.integer({ min: 0, max: 999999 }), fc.string()).map(([s, c, t]) => `[${String(s).padStart(4, '0')}-${c}]: ${t}`));

const skuEntry = fc.record(
  {
    sku: field(fc.oneof(fc.stringMatching(/^[a-zA-Z0-9_.-]{0,12}$/), fc.string())),
    type: field(fc.constantFrom<unknown>(...TYPE_VALUES, null)),
    error_code: field(fc.oneof(fc.integer(), fc.constant(null), fc.integer().map(String))),
    error_message: field(message),
  },
  { requiredKeys: [] },
);

const structured = fc.record(
  {
    status: field(fc.constantFrom(...STATUS_VALUES)),
    progress: field(fc.oneof(fc.integer({ min: -1000, max: 1000 }), fc.double(), fc.integer({ min: -50, max: 150 }).map(String))),
    date_created: field(fc.oneof(isoDate, fc.constant(''))),
    date_updated: field(isoDate),
    date_completed: field(fc.oneof(isoDate, fc.constant(''))),
    error: field(fc.oneof(fc.string(), fc.constant(null))),
    error_code: field(fc.oneof(fc.integer({ min: 0, max: 9999 }).map(String), fc.constant(null), fc.integer())),
    result: field(
      fc.record(
        {
          errors_count: field(fc.integer({ min: -5, max: 1_000_000 })),
          total_entities_count: field(fc.integer({ min: -5, max: 1_000_000 })),
          errors_by_sku: field(fc.array(fc.oneof({ weight: 5, arbitrary: skuEntry }, { weight: 1, arbitrary: anyField }), { maxLength: 6 })),
        },
        { requiredKeys: [] },
      ),
    ),
  },
  { requiredKeys: [] },
);

/** A valid body, as text. */
const validText = fc
  .record({
    status: fc.constantFrom('initialized', 'process', 'done', 'error'),
    progress: fc.integer({ min: 0, max: 100 }),
    date_created: isoDate,
    date_completed: fc.oneof(isoDate, fc.constant('')),
    error: fc.constant(null),
    error_code: fc.oneof(fc.constant(null), fc.constant('1806')),
    result: fc.record({
      errors_count: fc.nat(10),
      total_entities_count: fc.nat(100),
      errors_by_sku: fc.array(
        fc.record({ sku: fc.stringMatching(/^[a-z0-9_.]{0,10}$/), type: fc.constantFrom<unknown>(...TYPE_VALUES, null), error_code: fc.integer({ min: 1000, max: 9999 }), error_message: message }),
        { maxLength: 3 },
      ),
    }),
  })
  .map((b) => JSON.stringify(b));

const PIECES = ['{', '}', '[', ']', '"', ':', ',', '\\', 'null', 'true', '1', '-', '.', 'e9', ' ', '"status"', '"progress"', '"result"', '"errors_by_sku"', '"sku"', '{"toString":1}', '1e400', '"done"', '[]', '{}'];
type Mutation = { at: number; del: number; insert: string };
const mutation = fc.record({ at: fc.nat(), del: fc.nat(8), insert: fc.array(fc.constantFrom(...PIECES), { maxLength: 3 }).map((a) => a.join('')) });

function mutate(text: string, ms: Mutation[]): string {
  let t = text;
  for (const m of ms) {
    const at = m.at % (t.length + 1);
    t = t.slice(0, at) + m.insert + t.slice(at + m.del);
  }
  return t;
}

/** Text → what the client would hand to parseStatus: the parsed value, or (not JSON) the raw text. */
function parsedOrRaw(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}


const pick = <T>(rnd: () => number, a: readonly T[]): T => a[Math.floor(rnd() * a.length)];

function randomMutations(rnd: () => number): Mutation[] {
  const n = 1 + Math.floor(rnd() * 4);
  const out: Mutation[] = [];
  for (let i = 0; i < n; i++) {
    const pieces = Math.floor(rnd() * 4);
    let insert = '';
    for (let k = 0; k < pieces; k++) insert += pick(rnd, PIECES);
    out.push({ at: Math.floor(rnd() * 1e6), del: Math.floor(rnd() * 9), insert });
  }
  return out;
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const TOP_KEYS = ['status', 'progress', 'date_created', 'date_updated', 'date_completed', 'error', 'error_code', 'result'];
const SKU_KEYS = ['sku', 'type', 'error_code', 'error_message'];
const POOL: readonly unknown[] = [
  ...NASTY_JSON,
  ...STATUS_VALUES,
  ...TYPE_VALUES,
  undefined, null, true, 0, 45, 100, 150, -5, 45.9, '45', 'x', '2024-11-19T14:27:31+03:00', 'not a date',
  {}, [], [{}], [null], { errors_by_sku: 'x' }, { errors_by_sku: [{ sku: 'a' }], errors_count: '3' },
];

/** A variant of a body: a few top-level or per-SKU fields replaced from POOL or removed. */
function vary(body: unknown, rnd: () => number): unknown {
  if (!isObj(body)) return body;
  const out: Record<string, unknown> = { ...body };
  const n = 1 + Math.floor(rnd() * 3);
  for (let i = 0; i < n; i++) {
    const r = rnd();
    if (r < 0.55) out[pick(rnd, TOP_KEYS)] = pick(rnd, POOL);
    else if (r < 0.7) delete out[pick(rnd, TOP_KEYS)];
    else {
      const res: Record<string, unknown> = isObj(out.result) ? { ...out.result } : {};
      const list: unknown[] = Array.isArray(res.errors_by_sku) ? res.errors_by_sku.map((e: unknown) => (isObj(e) ? { ...e } : e)) : [];
      if (list.length > 0 && rnd() < 0.7) {
        const idx = Math.floor(rnd() * list.length);
        const entry = list[idx];
        if (isObj(entry) && rnd() < 0.8) entry[pick(rnd, SKU_KEYS)] = pick(rnd, POOL);
        else list[idx] = pick(rnd, POOL);
      } else list.push(rnd() < 0.5 ? pick(rnd, POOL) : { sku: pick(rnd, POOL), type: pick(rnd, POOL), error_code: pick(rnd, POOL), error_message: pick(rnd, POOL) });
      res.errors_by_sku = list;
      if (rnd() < 0.3) res[rnd() < 0.5 ? 'errors_count' : 'total_entities_count'] = pick(rnd, POOL);
      out.result = res;
    }
  }
  return out;
}

function describeBody(v: unknown): string {
  try {
    return (typeof v === 'string' ? v : JSON.stringify(v) ?? String(v)).slice(0, 400);
  } catch {
    return Object.prototype.toString.call(v);
  }
}

/** holds() for a derived variant: the failure message carries the variant, since shrinking cannot show it. */
function holdsVariant(p: Parser, v: unknown): void {
  try {
    holds(p, v);
  } catch (e) {
    throw new Error(`${(e as Error).message} for body ${describeBody(v)}`);
  }
}

// ----- properties ----------------------------------------------------------------------------

const propAnything = (p: Parser) =>
  fc.property(fc.anything({ maxDepth: 3, maxKeys: 6, withBoxedValues: true, withMap: true, withSet: true, withNullPrototype: true, withObjectString: true, withSparseArray: true, withDate: true, withBigInt: true, withTypedArray: true }), (v) => holds(p, v));
const propJson = (p: Parser) => fc.property(fc.jsonValue({ maxDepth: 4 }), (v) => holds(p, v));
const propStructured = (p: Parser) =>
  fc.property(structured, fc.integer(), (v, seed) => {
    holds(p, v);
    const rnd = prng(seed);
    for (let i = 1; i < VARIANTS.structured; i++) holdsVariant(p, vary(v, rnd));
    return true;
  });
const propMutated = (p: Parser) =>
  fc.property(validText, fc.array(mutation, { minLength: 1, maxLength: 4 }), fc.integer(), (text, first, seed) => {
    holds(p, parsedOrRaw(mutate(text, first)));
    const rnd = prng(seed);
    for (let i = 1; i < VARIANTS.mutated; i++) holdsVariant(p, parsedOrRaw(mutate(text, randomMutations(rnd))));
    return true;
  });

describe('parseStatus fuzz', function () {
  this.timeout(10_000 * MULT);

  // Half of the cases end in an exception (SyntaxError from JSON.parse, ApiError from parseStatus); capturing
  // their stack traces is most of the run time. Messages and counterexamples are unaffected.
  let stackTraceLimit: number | undefined;
  before(() => {
    stackTraceLimit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
  });

  after(() => {
    Error.stackTraceLimit = stackTraceLimit ?? 10;
    console.log(`status fuzz: ${cases} cases (${outcomes.ok} parsed, ${outcomes.rejected} rejected as bad-response; FUZZ_RUNS=${MULT})`);
  });

  it(`arbitrary JS values (${RUNS.anything * MULT} runs)`, () => {
    fc.assert(propAnything(parseStatus), { numRuns: RUNS.anything * MULT });
  });

  it(`arbitrary JSON values (${RUNS.json * MULT} runs)`, () => {
    fc.assert(propJson(parseStatus), { numRuns: RUNS.json * MULT });
  });

  it(`structured near-valid bodies with random field types (${RUNS.structured * MULT} runs × ${VARIANTS.structured} variants)`, () => {
    fc.assert(propStructured(parseStatus), { numRuns: RUNS.structured * MULT });
  });

  it(`mutated JSON texts of valid bodies (${RUNS.mutated * MULT} runs × ${VARIANTS.mutated} mutations)`, () => {
    fc.assert(propMutated(parseStatus), { numRuns: RUNS.mutated * MULT });
  });

  it('the generators reach both outcomes and the nasty corners', () => {
    const expected = (RUNS.anything + RUNS.json + RUNS.structured * VARIANTS.structured + RUNS.mutated * VARIANTS.mutated) * MULT;
    assert.strictEqual(cases, expected, 'every generated or derived body was checked');
    assert.ok(cases >= 100_000 || MULT < 1, `${cases} cases`);
    assert.ok(outcomes.ok > 10_000, `parsed ${outcomes.ok}`);
    assert.ok(outcomes.rejected > 1_000, `rejected ${outcomes.rejected}`);
    for (const v of NASTY_JSON) holds(parseStatus, { status: v, progress: v, error: v, error_code: v, date_created: v, result: { errors_count: v, errors_by_sku: [{ sku: v, type: v, error_code: v, error_message: v }, v] } });
    for (const v of ['x', 1, true, null, undefined, [], [{ status: 'done' }]]) assert.throws(() => parseStatus(v), (e: unknown) => e instanceof ApiError && e.kind === 'bad-response');
  });

  it('long strings do not make any regex backtrack (the run would hang)', () => {
    fc.assert(
      fc.property(longString, (s) => holds(parseStatus, { status: s, progress: s, error_code: s, result: { errors_count: s, errors_by_sku: [{ sku: s, error_code: s, error_message: s, type: s }] } })),
      { numRuns: 20 },
    );
  });

  describe('the properties can fail', () => {
    function check<T extends unknown[]>(prop: fc.IRawProperty<T>, runs: number): boolean {
      return (fc.check(prop, { numRuns: runs, endOnFailure: true }) as fc.RunDetails<T>).failed;
    }

    it('a parser that does not clamp progress is caught', () => {
      const noClamp: Parser = (b) => {
        const s = parseStatus(b);
        const raw = (b as { progress?: unknown }).progress;
        return typeof raw === 'number' && Number.isFinite(raw) ? { ...s, progress: Math.trunc(raw) } : s;
      };
      assert.ok(check(propStructured(noClamp), 5_000));
    });

    it('a parser that throws a TypeError on odd input is caught', () => {
      const crashy: Parser = (b) => {
        const s = parseStatus(b);
        if (typeof (b as { status?: unknown }).status === 'number') throw new TypeError('status.trim is not a function');
        return s;
      };
      assert.ok(check(propStructured(crashy), 5_000));
    });

    it('a parser that lets a non-string sku through is caught', () => {
      const loose: Parser = (b) => {
        const s = parseStatus(b);
        const list = (b as { result?: { errors_by_sku?: unknown } }).result?.errors_by_sku;
        if (!Array.isArray(list) || s.errors.length === 0) return s;
        const first = list.find((x) => typeof x === 'object' && x !== null && !Array.isArray(x)) as { sku?: unknown } | undefined;
        return { ...s, errors: [{ ...s.errors[0], sku: first?.sku as string }, ...s.errors.slice(1)] };
      };
      assert.ok(check(propStructured(loose), 5_000));
    });

    it('a parser that rejects valid bodies with another error is caught by the mutation property', () => {
      const strict: Parser = (b) => {
        const s = parseStatus(b);
        if (s.notes.length > 0) throw new ApiError('server', 'picky');
        return s;
      };
      assert.ok(check(propMutated(strict), 5_000));
    });
  });
});
