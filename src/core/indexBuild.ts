/**
 * Builds a SkuIndex from files on disk with a pool of worker threads that read and scan the files
 * (both cores busy, the calling thread free), then add the compact results to the index in the
 * order of `paths` (so that duplicate SKUs are listed in a stable order). Never imports `vscode`.
 *
 * The worker script is `indexWorker.js` next to this module; a bundle that inlines this module
 * must ship that file too and pass its path as `workerScript`.
 */
import * as os from 'os';
import * as path from 'path';
import { Worker } from 'worker_threads';
import { DEFAULT_MAX_FILE_BYTES, FileUpdate, SkuIndex } from './skuIndex';
import { scanFile, unpack, WorkerReply, WorkerRequest } from './indexWorker';

export interface BuildOptions {
  /** Worker threads; default: the number of CPUs (at most 8). 0 scans in the calling thread. */
  workers?: number;
  /** Same cap as the index's `maxFileBytes`. */
  maxFileBytes?: number;
  /** Files per message to a worker. */
  chunkFiles?: number;
  workerScript?: string;
}

/**
 * Builds indexes with a pool of worker threads. Workers are kept for a while after a build: a fresh
 * worker runs the scanner cold (interpreted, then optimised while it goes), which costs a good part
 * of a second of CPU per worker on a large workspace. They are unref'd while idle (they never keep
 * the process alive) and end after IDLE_MS unused, or on dispose.
 */
export class IndexBuilder {
  private idle: { workers: Worker[]; script: string; timer: ReturnType<typeof setTimeout> } | undefined;

  /** Reads and indexes `paths` (stored under `keys`, e.g. URI strings); resolves with one result per file. */
  async build(index: SkuIndex, paths: readonly string[], keys: readonly string[] = paths, options: BuildOptions = {}): Promise<FileUpdate[]> {
    const maxFileBytes = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
    const cpus = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
    const chunkFiles = Math.max(1, options.chunkFiles ?? 4);
    const chunks = Math.ceil(paths.length / chunkFiles);
    const workers = Math.min(options.workers ?? Math.min(8, cpus), chunks);
    if (workers <= 0 || paths.length < 4) {
      return index.setScanned(paths.map((p, i) => ({ file: keys[i], scan: scanFile(p, maxFileBytes) })));
    }

    const script = options.workerScript ?? path.join(__dirname, 'indexWorker.js');
    const pool = this.takePool(workers, script);
    let failed = false;
    const done = new Array<WorkerReply['results'] | undefined>(chunks);
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
          w.removeAllListeners();
          w.on('message', (reply: WorkerReply) => {
            send(w); // keep the worker busy while the results are added
            done[reply.chunk] = reply.results;
            // Apply in path order: every finished chunk at the head of the queue.
            while (applied < chunks && done[applied]) {
              const results = done[applied]!;
              done[applied] = undefined;
              const base = applied * chunkFiles;
              out.push(...index.setScanned(results.map((r, k) => ({
                file: keys[base + k],
                scan: 'reason' in r ? r : { itemKeys: r.itemKeys, definitions: unpack(r.definitions), references: unpack(r.references) },
              }))));
              applied++;
            }
            if (applied === chunks) resolve();
          });
          w.on('error', (e) => {
            failed = true;
            reject(e);
          });
          w.on('exit', (code) => {
            failed = true;
            if (applied < chunks) reject(new Error(`index worker exited with code ${code}`));
          });
          // Two chunks in flight per worker, so that it never waits for the next message.
          send(w);
          send(w);
        }
      });
    } finally {
      for (const w of pool) w.removeAllListeners();
      if (failed) await Promise.all(pool.map((w) => w.terminate()));
      else this.returnPool(pool, script);
    }
    return out;
  }

  private takePool(n: number, script: string): Worker[] {
    const idle = this.idle;
    const kept = idle && idle.script === script ? idle.workers : [];
    if (idle) {
      clearTimeout(idle.timer);
      if (idle.script !== script) void Promise.all(idle.workers.map((w) => w.terminate()));
      this.idle = undefined;
    }
    const pool = kept.slice(0, n);
    for (const w of kept.slice(n)) void w.terminate();
    while (pool.length < n) pool.push(new Worker(script));
    for (const w of pool) w.ref(); // busy: keeps the process alive until the build ends
    return pool;
  }

  private returnPool(pool: Worker[], script: string): void {
    if (this.idle) {
      // Another build returned its pool first (concurrent builds): keep one pool only.
      void Promise.all(pool.map((w) => w.terminate()));
      return;
    }
    for (const w of pool) w.unref();
    const timer = setTimeout(() => void this.dispose(), IDLE_MS);
    timer.unref();
    this.idle = { workers: pool, script, timer };
  }

  /** Ends the idle workers now (e.g. on deactivation). */
  async dispose(): Promise<void> {
    const cur = this.idle;
    this.idle = undefined;
    if (!cur) return;
    clearTimeout(cur.timer);
    await Promise.all(cur.workers.map((w) => w.terminate()));
  }
}

const IDLE_MS = 60_000;
