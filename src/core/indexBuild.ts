/**
 * Builds a SkuIndex from files on disk with a pool of worker threads that read and scan the files
 * (both cores busy, the calling thread free), then add the compact results to the index in the
 * order of `paths` (so that duplicate SKUs are listed in a stable order). Never imports `vscode`.
 *
 * The worker script is `indexWorker.js` next to this module; a bundle that inlines this module
 * must ship that file too and pass its path as `workerScript`.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Worker } from 'worker_threads';
import { checkBytes, DEFAULT_MAX_FILE_BYTES, FileUpdate, invalidJson, SkuIndex } from './skuIndex';
import { CompactScan, scanCompact } from './skuScanner';
import type { WorkerReply, WorkerRequest } from './indexWorker';

export interface BuildOptions {
  /** Worker threads; default: the number of CPUs (at most 8). 0 scans in the calling thread. */
  workers?: number;
  /** Same cap as the index's `maxFileBytes`. */
  maxFileBytes?: number;
  /** Files per message to a worker. */
  chunkFiles?: number;
  workerScript?: string;
}

type Scan = CompactScan | { reason: string };

function scanHere(file: string, maxFileBytes: number): Scan {
  let buf: Buffer;
  try {
    buf = fs.readFileSync(file);
  } catch (e) {
    return { reason: `could not be read (${(e as NodeJS.ErrnoException).code ?? 'error'})` };
  }
  const checked = checkBytes(buf, maxFileBytes);
  if (typeof checked === 'string') return { reason: checked };
  const scan = scanCompact(checked);
  return scan.error !== undefined ? { reason: invalidJson(checked.toString('utf8'), scan) } : scan;
}

/** Reads and indexes `paths` (stored under `keys`, e.g. URI strings); resolves with one result per file. */
export async function buildIndex(index: SkuIndex, paths: readonly string[], keys: readonly string[] = paths, options: BuildOptions = {}): Promise<FileUpdate[]> {
  const maxFileBytes = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  const cpus = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
  const chunkFiles = Math.max(1, options.chunkFiles ?? 4);
  const chunks = Math.ceil(paths.length / chunkFiles);
  const workers = Math.min(options.workers ?? Math.min(8, cpus), chunks);
  if (workers <= 0 || paths.length < 4) {
    return index.setScanned(paths.map((p, i) => ({ file: keys[i], scan: scanHere(p, maxFileBytes) })));
  }

  const script = options.workerScript ?? path.join(__dirname, 'indexWorker.js');
  const pool = Array.from({ length: workers }, () => new Worker(script));
  const done = new Array<Scan[] | undefined>(chunks);
  const out: FileUpdate[] = [];
  let nextChunk = 0;
  let applied = 0;
  try {
    await new Promise<void>((resolve, reject) => {
      const send = (w: Worker): void => {
        if (nextChunk >= chunks) return;
        const chunk = nextChunk++;
        const req: WorkerRequest = { chunk, paths: paths.slice(chunk * chunkFiles, (chunk + 1) * chunkFiles) as string[], maxFileBytes };
        w.postMessage(req);
      };
      for (const w of pool) {
        w.on('message', (reply: WorkerReply) => {
          send(w); // keep the worker busy while the results are added
          done[reply.chunk] = reply.results;
          // Apply in path order: every finished chunk at the head of the queue.
          while (applied < chunks && done[applied]) {
            const results = done[applied]!;
            done[applied] = undefined;
            const base = applied * chunkFiles;
            out.push(...index.setScanned(results.map((scan, k) => ({ file: keys[base + k], scan }))));
            applied++;
          }
          if (applied === chunks) resolve();
        });
        w.on('error', reject);
        w.on('exit', (code) => {
          if (applied < chunks) reject(new Error(`index worker exited with code ${code}`));
        });
        // Two chunks in flight per worker, so that it never waits for the next message.
        send(w);
        send(w);
      }
    });
  } finally {
    await Promise.all(pool.map((w) => w.terminate()));
  }
  return out;
}
