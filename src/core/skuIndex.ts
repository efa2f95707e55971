/**
 * Workspace index of SKU definitions and references, fed file by file. Never imports `vscode`:
 * files are opaque string keys (e.g. URI strings) and positions are plain numbers.
 *
 * Storage is compact, because a large workspace holds ~200,000 SKUs: per file, one string array
 * of SKUs plus one Int32Array of numbers per occurrence; lookups go through a Map from SKU to a
 * packed posting number (file id and occurrence index). `SkuLocation` objects are built only when
 * asked for.
 */
import { scanCompact, detach, kindOfKey, CompactScan, CompactTable, SkuOccurrence, STRIDE } from './skuScanner';

export interface SkuLocation extends SkuOccurrence {
  /** The opaque file key given to `setFile`. */
  file: string;
}

export type FileUpdate = { ok: true; definitions: number } | { ok: false; reason: string };

export const DEFAULT_MAX_FILE_BYTES = 10 * 1024 * 1024;

export interface SkuIndexOptions {
  /** Files larger than this are not indexed. Default 10 MB (imports are at most 7 MB). */
  maxFileBytes?: number;
}

const MB = 1024 * 1024;
/** Posting = fileId * SLOT + (index << 1 | isReference). Occurrence counts per file stay far below 2^21. */
const SLOT = 2 ** 22;

type Table = CompactTable;

interface FileEntry {
  id: number;
  file: string;
  itemKeys: string[];
  defs: Table;
  refs: Table;
}

interface FileState {
  version: string | number | undefined;
  result: FileUpdate;
}

type Posting = number | number[];


function lineOf(text: string, offset: number): number {
  let line = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) line++;
  }
  return line;
}

export class SkuIndex {
  private readonly maxFileBytes: number;
  private readonly entries = new Map<string, FileEntry>();
  private readonly byId = new Map<number, FileEntry>();
  private readonly states = new Map<string, FileState>();
  private readonly defMap = new Map<string, Posting>();
  /** Built on the first `references` call only (nothing in the extension asks for it at start). */
  private refMap: Map<string, Posting> | undefined;
  private readonly listeners = new Set<() => void>();
  private nextId = 1;
  private defCount = 0;

  constructor(options: SkuIndexOptions = {}) {
    this.maxFileBytes = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  }

  /** Number of definitions in the index. */
  get size(): number {
    return this.defCount;
  }

  /**
   * Replaces the entries of `file` with those found in `content`. When `version` equals the
   * version of the previous call for this file, nothing is re-parsed and the previous result is
   * returned.
   *
   * When the content cannot be indexed (invalid JSON, binary, too large) the file's previous
   * entries are REMOVED rather than kept: their positions were computed on a text that no longer
   * exists, and a jump to a stale position (or to a SKU that was deleted in the broken edit) is
   * worse than no jump at all. The reason is returned so that the caller can tell the user.
   */
  setFile(file: string, content: string | Buffer, version?: string | number): FileUpdate {
    const previous = this.states.get(file);
    if (version !== undefined && previous && previous.version === version) {
      return previous.result;
    }
    const result = this.index(file, content);
    this.states.set(file, { version, result });
    this.fire();
    return result;
  }

  removeFile(file: string): void {
    const had = this.states.delete(file);
    if (this.drop(file) || had) this.fire();
  }

  lookup(sku: string): readonly SkuLocation[] {
    return this.resolve(this.defMap.get(sku));
  }

  references(sku: string): readonly SkuLocation[] {
    if (!this.refMap) {
      this.refMap = new Map();
      for (const entry of this.entries.values()) this.addRefs(entry);
    }
    return this.resolve(this.refMap.get(sku));
  }

  /**
   * Like `setFile`, for content already scanned elsewhere (e.g. by `buildIndex` in worker threads):
   * `scan` is what `scanCompact` returned for the content, or the reason it cannot be indexed.
   * Fires `onDidChange` once for the whole batch.
   */
  setScanned(batch: ReadonlyArray<{ file: string; scan: CompactScan | { reason: string }; version?: string | number }>): FileUpdate[] {
    const out = batch.map(({ file, scan, version }) => {
      const result = 'reason' in scan ? this.reject(file, scan.reason) : this.install(file, scan);
      this.states.set(file, { version, result });
      return result;
    });
    if (batch.length) this.fire();
    return out;
  }

  definitionsIn(file: string): readonly SkuLocation[] {
    const entry = this.entries.get(file);
    if (!entry) return [];
    const out: SkuLocation[] = [];
    for (let i = 0; i < entry.defs.skus.length; i++) out.push(this.location(entry, entry.defs, i));
    return out;
  }

  /** Files that currently contribute entries or have been given to `setFile` (even if rejected). */
  files(): string[] {
    return [...this.states.keys()];
  }

  clear(): void {
    const had = this.states.size > 0 || this.entries.size > 0;
    this.entries.clear();
    this.byId.clear();
    this.states.clear();
    this.defMap.clear();
    this.refMap = undefined;
    this.defCount = 0;
    if (had) this.fire();
  }

  /** Fires after any change. */
  onDidChange(listener: () => void): { dispose(): void } {
    const wrapped = (): void => listener();
    this.listeners.add(wrapped);
    return { dispose: () => void this.listeners.delete(wrapped) };
  }

  // -------------------------------------------------------------------------------------------

  private fire(): void {
    for (const l of [...this.listeners]) {
      try {
        l();
      } catch {
        // A failing listener must not break the index or the other listeners.
      }
    }
  }

  private index(file: string, content: string | Buffer): FileUpdate {
    if (typeof content === 'string') {
      // Bytes are at least the UTF-16 length and at most three times it.
      const bytes = content.length > this.maxFileBytes / 3 ? Buffer.byteLength(content, 'utf8') : content.length;
      if (bytes > this.maxFileBytes) return this.reject(file, tooLarge(bytes));
      if (content.indexOf('\0') !== -1) return this.reject(file, 'binary');
      // A UTF-8 BOM is not part of the document as VS Code shows it.
      const text = content.charCodeAt(0) === 0xfeff ? content.slice(1) : content;
      const scan = scanCompact(text);
      if (scan.error !== undefined) return this.reject(file, invalidJson(text, scan));
      // SKUs sliced from the text would keep the whole text alive.
      for (const t of [scan.definitions, scan.references]) for (let i = 0; i < t.skus.length; i++) t.skus[i] = detach(t.skus[i]);
      for (let i = 0; i < scan.itemKeys.length; i++) scan.itemKeys[i] = detach(scan.itemKeys[i]);
      return this.install(file, scan);
    }
    const checked = checkBytes(content, this.maxFileBytes);
    if (typeof checked === 'string') return this.reject(file, checked);
    // Scanned as bytes: no decoding of the whole file, and SKUs come out as fresh strings.
    const scan = scanCompact(checked);
    if (scan.error !== undefined) return this.reject(file, invalidJson(checked.toString('utf8'), scan));
    return this.install(file, scan);
  }

  private install(file: string, scan: CompactScan): FileUpdate {
    this.drop(file);
    const id = this.nextId++;
    const entry: FileEntry = { id, file, itemKeys: scan.itemKeys, defs: scan.definitions, refs: scan.references };
    this.entries.set(file, entry);
    this.byId.set(id, entry);
    const skus = entry.defs.skus;
    for (let i = 0; i < skus.length; i++) add(this.defMap, skus[i], id * SLOT + i * 2);
    if (this.refMap) this.addRefs(entry);
    this.defCount += skus.length;
    return { ok: true, definitions: skus.length };
  }

  private addRefs(entry: FileEntry): void {
    const map = this.refMap!;
    const skus = entry.refs.skus;
    for (let i = 0; i < skus.length; i++) add(map, skus[i], entry.id * SLOT + i * 2 + 1);
  }

  private reject(file: string, reason: string): FileUpdate {
    this.drop(file);
    return { ok: false, reason };
  }

  /** Removes the entries of a file; true when there were some. */
  private drop(file: string): boolean {
    const entry = this.entries.get(file);
    if (!entry) return false;
    this.entries.delete(file);
    this.byId.delete(entry.id);
    for (const sku of entry.defs.skus) remove(this.defMap, sku, entry.id);
    if (this.refMap) for (const sku of entry.refs.skus) remove(this.refMap, sku, entry.id);
    this.defCount -= entry.defs.skus.length;
    return true;
  }

  private resolve(posting: Posting | undefined): SkuLocation[] {
    if (posting === undefined) return [];
    const list = typeof posting === 'number' ? [posting] : posting;
    const out: SkuLocation[] = [];
    for (const p of list) {
      const entry = this.byId.get(Math.floor(p / SLOT));
      if (!entry) continue;
      const rest = p % SLOT;
      out.push(this.location(entry, rest & 1 ? entry.refs : entry.defs, rest >> 1));
    }
    return out;
  }

  private location(entry: FileEntry, t: Table, i: number): SkuLocation {
    const b = i * STRIDE;
    const line = t.nums[b + 2];
    const character = t.nums[b + 3];
    const length = t.nums[b + 1];
    const itemKey = entry.itemKeys[t.nums[b + 4]];
    return {
      sku: t.skus[i],
      itemKey,
      kind: kindOfKey(itemKey),
      start: { line, character },
      end: { line, character: character + length },
      offset: t.nums[b],
      length,
      file: entry.file,
    };
  }
}

/**
 * The checks `setFile` makes on bytes before scanning: the size cap, NUL bytes (binary), and a
 * leading UTF-8 BOM (stripped). Returns the bytes to scan, or the reason to reject them.
 */
export function checkBytes(content: Buffer, maxFileBytes: number): Buffer | string {
  if (content.length > maxFileBytes) return tooLarge(content.length);
  if (content.indexOf(0) !== -1) return 'binary';
  return content[0] === 0xef && content[1] === 0xbb && content[2] === 0xbf ? content.subarray(3) : content;
}

/** The reason given for content that is not valid JSON; `text` is the decoded content. */
export function invalidJson(text: string, scan: { error?: string; errorOffset?: number }): string {
  return `not valid JSON at line ${lineOf(text, scan.errorOffset ?? 0) + 1}: ${scan.error}`;
}

function tooLarge(bytes: number): string {
  return `too large (${(bytes / MB).toFixed(1)} MB)`;
}

function add(map: Map<string, Posting>, sku: string, posting: number): void {
  const cur = map.get(sku);
  if (cur === undefined) map.set(sku, posting);
  else if (typeof cur === 'number') map.set(sku, [cur, posting]);
  else cur.push(posting);
}

function remove(map: Map<string, Posting>, sku: string, fileId: number): void {
  const cur = map.get(sku);
  if (cur === undefined) return;
  if (typeof cur === 'number') {
    if (Math.floor(cur / SLOT) === fileId) map.delete(sku);
    return;
  }
  const kept = cur.filter((p) => Math.floor(p / SLOT) !== fileId);
  if (kept.length === 0) map.delete(sku);
  else if (kept.length === 1) map.set(sku, kept[0]);
  else map.set(sku, kept);
}
