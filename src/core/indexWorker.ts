/**
 * Worker side of `buildIndex`: reads and scans the files it is sent, and answers with compact scans
 * (typed arrays transferred, not copied). Applies exactly the checks of `SkuIndex.setFile` on bytes.
 * Never imports `vscode`.
 */
import * as fs from 'fs';
import { parentPort } from 'worker_threads';
import { checkBytes, invalidJson } from './skuIndex';
import { CompactScan, scanCompact } from './skuScanner';

export interface WorkerRequest {
  chunk: number;
  paths: string[];
  maxFileBytes: number;
}

export interface WorkerReply {
  chunk: number;
  results: Array<CompactScan | { reason: string }>;
}

function scanFile(file: string, maxFileBytes: number): CompactScan | { reason: string } {
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
      if (!('reason' in r)) transfer.push(r.definitions.nums.buffer as ArrayBuffer, r.references.nums.buffer as ArrayBuffer);
      results.push(r);
    }
    port.postMessage({ chunk: req.chunk, results } satisfies WorkerReply, transfer);
  });
}
