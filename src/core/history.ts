/**
 * A short history of finished imports' per-SKU errors, to tell what is new, fixed or unchanged
 * since the previous import. Plain data, stored by the adapter in workspaceState.
 */
import { importKey } from './status';
import { ImportStatus, isFinal } from './types';

export interface HistoryEntry {
  /** importKey(): the creation date stands in for an import id. */
  readonly key: string;
  readonly date?: string;
  readonly state: string;
  /** [sku, code] pairs; code null when the server sent none. */
  readonly errors: readonly (readonly [string, number | null])[];
}

export interface Comparison {
  readonly previous?: HistoryEntry;
  /** SKUs failing now that did not fail in the previous import. */
  readonly added: ReadonlySet<string>;
  /** SKUs that failed in the previous import and no longer do, with their old code. */
  readonly fixed: readonly (readonly [string, number | null])[];
  readonly unchanged: number;
}

export const HISTORY_LIMIT = 5;
/** Errors kept per entry; an import with more is compared on its first ones only. */
export const HISTORY_MAX_ERRORS = 20_000;

export function toEntry(s: ImportStatus): HistoryEntry {
  return {
    key: importKey(s),
    date: s.dateCreated?.toISOString(),
    state: s.state,
    errors: s.errors.slice(0, HISTORY_MAX_ERRORS).map((e) => [e.sku, e.code] as const),
  };
}

/** Adds a finished import to the history (newest first), replacing an entry with the same key. */
export function record(history: readonly HistoryEntry[], s: ImportStatus, limit = HISTORY_LIMIT): HistoryEntry[] {
  if (!isFinal(s.state)) return [...history];
  const entry = toEntry(s);
  return [entry, ...history.filter((h) => h.key !== entry.key)].slice(0, limit);
}

/** Compares an import with the newest earlier import in the history. */
export function compare(history: readonly HistoryEntry[], s: ImportStatus): Comparison {
  const key = importKey(s);
  const previous = history.find((h) => h.key !== key);
  const now = new Set(s.errors.map((e) => e.sku));
  if (!previous) return { previous, added: new Set(), fixed: [], unchanged: now.size };
  const before = new Map(previous.errors.map(([sku, code]) => [sku, code]));
  const added = new Set<string>();
  let unchanged = 0;
  for (const sku of now) {
    if (before.has(sku)) unchanged++;
    else added.add(sku);
  }
  const fixed = [...before].filter(([sku]) => !now.has(sku));
  return { previous, added, fixed, unchanged };
}

export function describeComparison(c: Comparison): string | undefined {
  if (!c.previous) return undefined;
  return `${c.added.size} new, ${c.fixed.length} fixed, ${c.unchanged} unchanged since the previous import`;
}

/** Reads history from untrusted storage, dropping anything malformed. */
export function sanitiseHistory(raw: unknown): HistoryEntry[] {
  if (!Array.isArray(raw)) return [];
  const out: HistoryEntry[] = [];
  for (const h of raw) {
    if (!h || typeof h !== 'object' || typeof (h as HistoryEntry).key !== 'string' || !Array.isArray((h as HistoryEntry).errors)) continue;
    const e = h as HistoryEntry;
    const errors = e.errors.filter((x): x is [string, number | null] => Array.isArray(x) && typeof x[0] === 'string' && (typeof x[1] === 'number' || x[1] === null));
    out.push({ key: e.key, date: typeof e.date === 'string' ? e.date : undefined, state: String(e.state ?? ''), errors });
  }
  return out.slice(0, HISTORY_LIMIT);
}
