/**
 * Workspace index of SKU definitions and references, fed file by file. Never imports `vscode`:
 * files are opaque string keys (e.g. URI strings) and positions are plain numbers.
 *
 * Storage is compact, because a large workspace holds ~200,000 SKUs: per file, one string array
 * of SKUs plus one Int32Array of numbers per occurrence; lookups go through a Map from SKU to a
 * packed posting number (file id and occurrence index). `SkuLocation` objects are built only when
 * asked for.
 */
import { scanSkus, kindOfKey, SkuOccurrence } from './skuScanner';

export interface SkuLocation extends SkuOccurrence {
  /** The opaque file key given to `setFile`. */
  file: string;
}

export type FileUpdate = { ok: true; definitions: number } | { ok: false; reason: string };

export interface SkuIndexOptions {
  /** Files larger than this are not indexed. Default 10 MB (imports are at most 7 MB). */
  maxFileBytes?: number;
}

const MB = 1024 * 1024;
/** Numbers stored per occurrence: offset, length, line, character, item key index. */
const STRIDE = 5;
/** Posting = fileId * SLOT + (index << 1 | isReference). Occurrence counts per file stay far below 2^21. */
const SLOT = 2 ** 22;

interface Table {
  skus: string[];
  nums: Int32Array;
}

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

/**
 * Copies a string that may be a V8 slice of a whole file's text, so that keeping the SKU does not
 * keep the file's text alive (sliced strings retain their parent).
 */
function detach(s: string): string {
  return s.length < 13 ? s : (' ' + s).slice(1);
}

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
  private readonly refMap = new Map<string, Posting>();
  private readonly listeners = new Set<() => void>();
  private nextId = 1;
  private defCount = 0;

  constructor(options: SkuIndexOptions = {}) {
    this.maxFileBytes = options.maxFileBytes ?? 10 * MB;
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
    return this.resolve(this.refMap.get(sku));
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
    this.refMap.clear();
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
    let text: string;
    if (typeof content === 'string') {
      // Bytes are at least the UTF-16 length and at most three times it.
      const bytes = content.length > this.maxFileBytes / 3 ? Buffer.byteLength(content, 'utf8') : content.length;
      if (bytes > this.maxFileBytes) return this.reject(file, tooLarge(bytes));
      if (content.indexOf('\0') !== -1) return this.reject(file, 'binary');
      text = content;
    } else {
      if (content.length > this.maxFileBytes) return this.reject(file, tooLarge(content.length));
      if (content.indexOf(0) !== -1) return this.reject(file, 'binary');
      text = content.toString('utf8');
    }
    // A UTF-8 BOM is not part of the document as VS Code shows it.
    if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);

    const scan = scanSkus(text);
    if (scan.error !== undefined) {
      const line = lineOf(text, scan.errorOffset ?? 0) + 1;
      return this.reject(file, `not valid JSON at line ${line}: ${scan.error}`);
    }

    this.drop(file);
    const id = this.nextId++;
    const itemKeys: string[] = [];
    const keyIds = new Map<string, number>();
    const table = (list: readonly SkuOccurrence[]): Table => {
      const skus = new Array<string>(list.length);
      const nums = new Int32Array(list.length * STRIDE);
      for (let i = 0; i < list.length; i++) {
        const o = list[i];
        let k = keyIds.get(o.itemKey);
        if (k === undefined) {
          k = itemKeys.length;
          itemKeys.push(detach(o.itemKey));
          keyIds.set(o.itemKey, k);
        }
        skus[i] = detach(o.sku);
        const b = i * STRIDE;
        nums[b] = o.offset;
        nums[b + 1] = o.length;
        nums[b + 2] = o.start.line;
        nums[b + 3] = o.start.character;
        nums[b + 4] = k;
      }
      return { skus, nums };
    };
    const entry: FileEntry = { id, file, itemKeys, defs: table(scan.definitions), refs: table(scan.references) };
    this.entries.set(file, entry);
    this.byId.set(id, entry);
    for (let i = 0; i < entry.defs.skus.length; i++) add(this.defMap, entry.defs.skus[i], id * SLOT + i * 2);
    for (let i = 0; i < entry.refs.skus.length; i++) add(this.refMap, entry.refs.skus[i], id * SLOT + i * 2 + 1);
    this.defCount += entry.defs.skus.length;
    return { ok: true, definitions: entry.defs.skus.length };
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
    for (const sku of entry.refs.skus) remove(this.refMap, sku, entry.id);
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
