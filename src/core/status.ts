/**
 * Parses the body of GET .../import/status into an ImportStatus.
 * Tolerates the documented quirks (string/int codes, odd `type` spellings, empty dates, null error)
 * and anything else the server may send: wrong field types become notes, never crashes.
 * Only a body that is not a JSON object at all is rejected, as an ApiError('bad-response').
 */
import { ApiError } from './errors';
import { ImportState, ImportStatus, ItemKind, SkuError } from './types';

const STATES: ReadonlySet<string> = new Set(['initialized', 'process', 'done', 'error']);

const KIND_BY_TYPE: Readonly<Record<string, ItemKind>> = {
  virtual_good: 'virtual_good',
  virtual_goods: 'virtual_good',
  virtual_item: 'virtual_good',
  virtual_items: 'virtual_good',
  vi: 'virtual_good',
  virtual_currency: 'virtual_currency',
  vc: 'virtual_currency',
  virtual_currency_package: 'virtual_currency_packages',
  virtual_currency_packages: 'virtual_currency_packages',
  bundle: 'bundle',
  bundles: 'bundle',
};

export function normaliseKind(type: unknown): ItemKind {
  if (typeof type !== 'string') return 'unknown';
  return KIND_BY_TYPE[type.trim().toLowerCase()] ?? 'unknown';
}

/** `[0401-4055]: Item default price not set` → { service: '0401', code: 4055, text: 'Item default price not set' } */
export function splitMessage(message: string): { service?: string; code?: number; text: string } {
  const m = /^\s*\[(\d{3,5})-(\d{1,6})\]\s*:?\s*/.exec(message);
  if (!m) return { text: message };
  return { service: m[1], code: Number(m[2]), text: message.slice(m[0].length) };
}

/** Dates arrive as ISO strings with an offset (GMT+3). Empty or invalid → undefined. */
export function parseDate(value: unknown): Date | undefined {
  if (typeof value !== 'string' || value.trim() === '') return undefined;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? undefined : d;
}

const MAX_TEXT = 2000;

function text(value: unknown): string | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'string') return value.length > MAX_TEXT ? value.slice(0, MAX_TEXT) + '…' : value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

function int(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return Math.trunc(value);
  if (typeof value === 'string' && /^\s*-?\d+(\.\d+)?\s*$/.test(value)) return Math.trunc(Number(value));
  return undefined;
}

/**
 * String(value) that never throws. A JSON object can carry its own `toString`/`valueOf` keys
 * (e.g. `{"status": {"toString": 1}}`), and then String() throws a TypeError.
 */
function safeString(value: unknown): string {
  try {
    return String(value);
  } catch {
    return Object.prototype.toString.call(value);
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function parseSkuError(raw: unknown, index: number, notes: string[]): SkuError | undefined {
  if (!isObject(raw)) {
    notes.push(`errors_by_sku[${index}] is not an object`);
    return undefined;
  }
  const sku = typeof raw.sku === 'string' ? raw.sku : raw.sku === null || raw.sku === undefined ? '' : safeString(raw.sku);
  const fullMessage = text(raw.error_message) ?? '';
  const split = splitMessage(fullMessage);
  let code = int(raw.error_code);
  if (code === undefined && split.code !== undefined) code = split.code;
  const rawType = typeof raw.type === 'string' ? raw.type : null;
  return { sku, kind: normaliseKind(rawType), rawType, code: code ?? null, message: split.text, fullMessage };
}

export function parseStatus(body: unknown): ImportStatus {
  if (!isObject(body)) {
    const what = body === null ? 'null' : Array.isArray(body) ? 'an array' : typeof body;
    throw new ApiError('bad-response', `The server sent ${what} where an import status object was expected.`);
  }
  const notes: string[] = [];

  const rawState = typeof body.status === 'string' ? body.status : safeString(body.status ?? '');
  let state: ImportState = STATES.has(rawState) ? (rawState as ImportState) : 'unknown';
  if (state === 'unknown') notes.push(`unknown status ${JSON.stringify(rawState).slice(0, 60)}`);

  let progress = int(body.progress);
  if (progress === undefined) {
    if (body.progress !== undefined && body.progress !== null) notes.push('progress is not a number');
    progress = state === 'done' ? 100 : 0;
  } else if (progress < 0 || progress > 100) {
    notes.push(`progress ${progress} out of range`);
    progress = Math.min(100, Math.max(0, progress));
  }

  const result = isObject(body.result) ? body.result : undefined;
  if (body.result !== undefined && body.result !== null && !result) notes.push('result is not an object');

  const errors: SkuError[] = [];
  const list = result?.errors_by_sku;
  if (Array.isArray(list)) {
    list.forEach((raw, i) => {
      const e = parseSkuError(raw, i, notes);
      if (e) errors.push(e);
    });
  } else if (list !== undefined && list !== null) {
    notes.push('errors_by_sku is not an array');
  }

  let errorsCount = int(result?.errors_count);
  if (errorsCount === undefined || errorsCount < 0) errorsCount = errors.length;
  let totalEntities = int(result?.total_entities_count);
  if (totalEntities === undefined || totalEntities < 0) totalEntities = 0;

  const error = text(body.error) || undefined;
  const errorCode = text(body.error_code) || undefined;

  return {
    state,
    rawState,
    dateCreated: parseDate(body.date_created),
    dateUpdated: parseDate(body.date_updated),
    dateCompleted: parseDate(body.date_completed),
    progress,
    error,
    errorCode,
    errorsCount,
    totalEntities,
    errors,
    notes,
  };
}

/** A key that identifies one import: the API has no import id, so the creation date stands in. */
export function importKey(s: ImportStatus): string {
  return s.dateCreated ? s.dateCreated.toISOString() : `undated:${s.rawState}`;
}
