/**
 * Worker side of `buildIndex`: reads and scans the files it is sent, and answers with compact scans
 * (typed arrays transferred, not copied). Applies exactly the checks of `SkuIndex.setFile` on bytes.
 * Never imports `vscode`.
 */
import * as fs from 'fs';
import { parentPort } from 'worker_threads';
import { checkBytes, invalidJson } from './skuIndex';
import { CompactScan, CompactTable, scanCompact } from './skuScanner';

export interface WorkerRequest {
  chunk: number;
  paths: string[];
  maxFileBytes: number;
}

/**
 * A table on the wire: the SKUs joined into one string with their end offsets. Cloning one string
 * per file instead of one per SKU is several times cheaper for both threads (430,000 SKUs: ~100 ms
 * to deserialize as strings, ~20 ms as one blob per file).
 */
export interface PackedTable {
  blob: string;
  ends: Int32Array;
  nums: Int32Array;
}

export interface PackedScan {
  itemKeys: string[];
  definitions: PackedTable;
  references: PackedTable;
}

export interface WorkerReply {
  chunk: number;
  results: Array<PackedScan | { reason: string }>;
}

function pack(t: CompactTable): PackedTable {
  const ends = new Int32Array(t.skus.length);
  let e = 0;
  for (let i = 0; i < t.skus.length; i++) ends[i] = e += t.skus[i].length;
  return { blob: t.skus.join(''), ends, nums: t.nums };
}

/** The inverse of `pack`, on the receiving side. */
export function unpack(p: PackedTable): CompactTable {
  const skus = new Array<string>(p.ends.length);
  let s = 0;
  for (let i = 0; i < skus.length; i++) {
    const e = p.ends[i];
    skus[i] = p.blob.slice(s, e);
    s = e;
  }
  return { skus, nums: p.nums };
}

/** Reads and scans one file with the checks of `SkuIndex.setFile`; also used in the calling thread. */
export function scanFile(file: string, maxFileBytes: number): CompactScan | { reason: string } {
  let buf: Buffer;
  try {
    buf = fs.readFileSync(file);
  } catch (e) {
    return { reason: `could not be read (${(e as NodeJS.ErrnoException).code ?? 'error'})` };
  }
  const checked = checkBytes(buf, maxFileBytes);
  if (typeof checked === 'string') return { reason: checked };
  const scan = scanCompact(checked);
  if (scan.error !== undefined) return { reason: invalidJson(checked.toString('utf8'), scan) };
  return scan;
}

if (parentPort) {
  const port = parentPort;
  port.on('message', (req: WorkerRequest) => {
    const results: WorkerReply['results'] = [];
    const transfer: ArrayBuffer[] = [];
    for (const p of req.paths) {
      const r = scanFile(p, req.maxFileBytes);
      if ('reason' in r) {
        results.push(r);
        continue;
      }
      const packed: PackedScan = { itemKeys: r.itemKeys, definitions: pack(r.definitions), references: pack(r.references) };
      for (const t of [packed.definitions, packed.references]) transfer.push(t.ends.buffer as ArrayBuffer, t.nums.buffer as ArrayBuffer);
      results.push(packed);
    }
    port.postMessage({ chunk: req.chunk, results } satisfies WorkerReply, transfer);
  });
}
