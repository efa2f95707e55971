/**
 * `npm run bench`: performance budget of the extension on a large synthetic workspace.
 * Prints a table (measure | value | goal | ok?) and writes bench/results/latest.json at the repo root.
 *
 * Every timed figure is the median of several repetitions (the machine is shared). Page cache is
 * warm for both the index build and ripgrep (one untimed warm-up run each).
 *
 * Options: --reps N (default 5), --seed N (default 42), --no-activation (skip the real VS Code run).
 */
import { execFileSync, spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { pathToFileURL } from 'url';
import { ManualClock } from '../../src/core/clock';
import { buildErrorModel, ErrorModel } from '../../src/core/errorModel';
import { IndexBuilder } from '../../src/core/indexBuild';
import { Poller } from '../../src/core/poller';
import { SkuIndex } from '../../src/core/skuIndex';
import { parseStatus } from '../../src/core/status';
import { seededRandom as rng } from '../random';
import { generateWorkspace, Workspace } from './generate';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const MB = 1024 * 1024;

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i === -1 ? undefined : process.argv[i + 1];
}
const REPS = Number(arg('--reps') ?? 5);
const SEED = Number(arg('--seed') ?? 42);

const gc = (globalThis as { gc?: () => void }).gc;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function now(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}

function round(x: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

function log(s: string): void {
  process.stderr.write(`[bench] ${s}\n`);
}

// ---------------------------------------------------------------------------------------------
// ripgrep

function haveRg(): boolean {
  return spawnSync('rg', ['--version'], { stdio: 'ignore' }).status === 0;
}

function ensureRg(): string | undefined {
  if (haveRg()) return undefined;
  if (process.getuid?.() === 0 && spawnSync('apt-get', ['--version'], { stdio: 'ignore' }).status === 0) {
    log('installing ripgrep (apt-get install -y ripgrep)…');
    spawnSync('apt-get', ['install', '-y', '-qq', 'ripgrep'], { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
    if (haveRg()) return undefined;
  }
  return 'ripgrep (rg) is not installed: run `sudo apt-get install -y ripgrep` (Debian/Ubuntu) to get the index/rg ratio';
}

/** Runs `rg -n '"sku"' dir` and consumes its output through a pipe (rg stops early when stdout is /dev/null). */
function runRg(dir: string): Promise<{ ms: number; bytes: number; lines: number }> {
  return new Promise((resolve, reject) => {
    const t0 = now();
    const child = spawn('rg', ['-n', '"sku"', dir], { stdio: ['ignore', 'pipe', 'inherit'] });
    let bytes = 0;
    let lines = 0;
    child.stdout.on('data', (d: Buffer) => {
      bytes += d.length;
      for (let i = d.indexOf(10); i !== -1; i = d.indexOf(10, i + 1)) lines++;
    });
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve({ ms: now() - t0, bytes, lines }) : reject(new Error(`rg exited with ${code}`))));
  });
}

// ---------------------------------------------------------------------------------------------
// Index build

/** One builder for the whole run, as in the extension: its workers stay warm between builds. */
const builder = new IndexBuilder();

async function timedBuild(ws: Workspace): Promise<{ ms: number; cpuMs: number; heapMB: number; index: SkuIndex }> {
  gc?.();
  gc?.();
  const before = process.memoryUsage().heapUsed;
  const cpu0 = process.cpuUsage();
  const t0 = now();
  const index = new SkuIndex();
  const uris = ws.files.map((f) => pathToFileURL(f).href);
  await builder.build(index, ws.files, uris);
  const ms = now() - t0;
  const cpu = process.cpuUsage(cpu0);
  gc?.();
  gc?.();
  const heapMB = (process.memoryUsage().heapUsed - before) / MB;
  return { ms, cpuMs: (cpu.user + cpu.system) / 1000, heapMB, index };
}

/** An untimed build, in its own frame so that its index is garbage by the time the first timed build starts. */
async function warmUp(ws: Workspace): Promise<void> {
  await timedBuild(ws);
}

// ---------------------------------------------------------------------------------------------
// The floor for any JS indexer: read every file and touch every byte once (one compare per byte),
// in as many worker threads as the index build uses. Not a goal; it explains the index/rg ratio.

const FLOOR_WORKER = `
const { parentPort, workerData } = require('worker_threads');
const fs = require('fs');
let quotes = 0;
for (const f of workerData.files) {
  const b = fs.readFileSync(f);
  if (workerData.touch) for (let i = 0, n = b.length; i < n; i++) if (b[i] === 34) quotes++;
}
parentPort.postMessage(quotes);
`;

async function floorMs(ws: Workspace, touch: boolean): Promise<number> {
  const { Worker } = await import('worker_threads');
  const n = Math.min(8, os.cpus().length);
  const t0 = now();
  await Promise.all(Array.from({ length: n }, (_, k) => new Promise<void>((resolve, reject) => {
    const w = new Worker(FLOOR_WORKER, { eval: true, workerData: { files: ws.files.filter((_, i) => i % n === k), touch } });
    w.once('message', () => resolve());
    w.once('error', reject);
  })));
  return now() - t0;
}

// ---------------------------------------------------------------------------------------------
// 10,000-error import

const MESSAGES: Array<[number, string]> = [
  [4055, '[0401-4055]: Item default price not set'],
  [1102, '[0410-1102]: Item with this SKU already exists'],
  [4001, '[0401-4001]: Invalid image URL'],
  [1803, '[0410-1803]: Virtual currency referenced in vc_prices does not exist'],
];

function errorBody(ws: Workspace, count: number): string {
  const r = rng(SEED + 1);
  const kinds: Array<[string, string, number]> = [['item', 'virtual_good', 6600], ['bundle', 'bundle', 2000], ['vcpack', 'virtual_currency_packages', 1200], ['currency', 'virtual_currency', 200]];
  const errors: unknown[] = [];
  for (let i = 0; i < count; i++) {
    const [code, msg] = MESSAGES[Math.floor(r() * MESSAGES.length)];
    const x = r();
    let sku: string;
    let type: string | null;
    if (x < 0.01) {
      sku = '';
      type = null;
    } else if (x < 0.05) {
      sku = `com.xsolla.removed.item_${i}`;
      type = 'virtual_items';
    } else {
      const [prefix, t, n] = kinds[r() < 0.6 ? 0 : r() < 0.5 ? 1 : r() < 0.8 ? 2 : 3];
      sku = `com.xsolla.g${String(Math.floor(r() * 20)).padStart(3, '0')}.${prefix}_${Math.floor(r() * n)}`;
      type = t;
    }
    errors.push({ sku, type, error_code: code, error_message: msg });
  }
  void ws;
  return JSON.stringify({
    status: 'done', progress: 100, error: null, error_code: null,
    date_created: '2025-05-01T10:00:00+03:00', date_updated: '2025-05-01T10:20:00+03:00', date_completed: '2025-05-01T10:20:00+03:00',
    result: { errors_count: count, total_entities_count: 200000, errors_by_sku: errors },
  });
}

interface PlainDiagnostic {
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
  code?: number;
  message: string;
}

/** What src/diagnostics.ts computes, without vscode. */
function diagnosticsOf(model: ErrorModel): Map<string, PlainDiagnostic[]> {
  const out = new Map<string, PlainDiagnostic[]>();
  for (const [file, errors] of model.byFile) {
    const list: PlainDiagnostic[] = [];
    for (const { error, locations } of errors) {
      for (const loc of locations) {
        if (loc.file !== file) continue;
        const d: PlainDiagnostic = { range: { start: { ...loc.start }, end: { ...loc.end } }, message: error.fullMessage || error.message || 'Import failed for this SKU.' };
        if (error.code !== null) d.code = error.code;
        list.push(d);
      }
    }
    out.set(file, list);
  }
  return out;
}

function errorsPipeline(body: string, index: SkuIndex): { ms: number; groups: number; files: number; diagnostics: number } {
  const t0 = now();
  const status = parseStatus(JSON.parse(body));
  const model = buildErrorModel(status, index);
  const roots = model.groups.map((g) => ({ label: g.label, description: String(g.errors.length) }));
  const diags = diagnosticsOf(model);
  const ms = now() - t0;
  let n = 0;
  for (const l of diags.values()) n += l.length;
  return { ms, groups: roots.length, files: diags.size, diagnostics: n };
}

// ---------------------------------------------------------------------------------------------
// Poller

async function requestsPerHour(mode: 'active' | 'idle-focused' | 'idle-unfocused'): Promise<number> {
  const clock = new ManualClock(0);
  const poller = new Poller({ clock, intervals: () => ({ activeMs: 3000, idleMs: 60_000 }), random: () => 0.5 });
  const status = parseStatus({ status: mode === 'active' ? 'process' : 'done', progress: 40, date_created: '2025-05-01T10:00:00+03:00', result: { errors_by_sku: [] } });
  let count = 0;
  poller.onRequest(() => count++);
  poller.setSource({ key: 'bench', fetch: async () => status });
  await clock.advance(0); // the first poll at start
  if (mode === 'idle-unfocused') poller.setFocused(false);
  count = 0;
  await clock.advance(3600_000);
  poller.dispose();
  return count;
}

// ---------------------------------------------------------------------------------------------
// Activation in a real VS Code (server + Chromium), read from the extension's own log.

function findFiles(dir: string, suffix: string, out: string[] = []): string[] {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return out;
  }
  for (const e of entries) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) findFiles(p, suffix, out);
    else if (e.name.endsWith(suffix)) out.push(p);
  }
  return out;
}

function activationSamples(dataDir: string): number[] {
  const out: number[] = [];
  for (const f of findFiles(dataDir, 'Xsolla Import.log')) {
    const text = fs.readFileSync(f, 'utf8');
    for (const m of text.matchAll(/Activated in (\d+) ms\./g)) out.push(Number(m[1]));
  }
  return out;
}

async function measureActivation(ws: Workspace, reloads: number): Promise<{ ms: number | null; samples: number[]; reason?: string }> {
  // Loaded lazily: the harness is only needed here.
  const { ensureEnv, launchChromium } = await import('../harness/env');
  const { startServer } = await import('../harness/server');
  const { packageVsix } = await import('../harness/vsix');
  const small = fs.mkdtempSync(path.join(os.tmpdir(), 'xsolla-bench-small-'));
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'xsolla-bench-chromium-'));
  let server: Awaited<ReturnType<typeof startServer>> | undefined;
  let browser: Awaited<ReturnType<typeof launchChromium>> | undefined;
  try {
    // A small workspace: a few generated catalog files of each kind.
    const picks = ws.files.filter((f) => f.includes(`${path.sep}game-01${path.sep}`)).slice(0, 6);
    fs.mkdirSync(path.join(small, 'catalog'));
    for (const f of picks) fs.copyFileSync(f, path.join(small, 'catalog', path.basename(f)));
    ensureEnv();
    const vsix = packageVsix();
    server = await startServer({ vsix });
    browser = await launchChromium(profile);
    const page = browser.pages()[0] ?? (await browser.newPage());
    const url = `${server.url}/?folder=${encodeURIComponent(small)}`;
    for (let k = 0; k <= reloads; k++) {
      if (k === 0) await page.goto(url, { waitUntil: 'domcontentloaded', timeout: 60_000 });
      else await page.goto(url, { waitUntil: 'domcontentloaded', timeout: 60_000 });
      const deadline = Date.now() + 60_000;
      while (activationSamples(server.dataDir).length < k + 1 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 250));
      if (activationSamples(server.dataDir).length < k + 1) break;
    }
    const samples = activationSamples(server.dataDir);
    if (samples.length === 0) return { ms: null, samples, reason: 'no "Activated in N ms." line in any "Xsolla Import.log" under the server data dir within 60 s' };
    return { ms: median(samples), samples };
  } catch (e) {
    return { ms: null, samples: [], reason: e instanceof Error ? e.message.split('\n')[0] : String(e) };
  } finally {
    await browser?.close().catch(() => undefined);
    await server?.stop().catch(() => undefined);
    fs.rmSync(small, { recursive: true, force: true });
    fs.rmSync(profile, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------

interface Row {
  measure: string;
  value: string;
  goal: string;
  ok: boolean | null;
}

async function main(): Promise<void> {
  const started = now();
  const ws = generateWorkspace(SEED, log);
  log(`workspace: ${ws.files.length} files, ${(ws.totalBytes / 1e6).toFixed(1)} MB, ${ws.definitions} definitions (${ws.dir}); ${REPS} repetitions, ${os.cpus().length} CPUs, node ${process.version}`);

  // 1. ripgrep
  const rgProblem = ensureRg();
  let rgMs: number | null = null;
  const rgTimes: number[] = [];
  if (rgProblem) {
    log(rgProblem);
  } else {
    const warm = await runRg(ws.dir);
    for (let i = 0; i < REPS; i++) rgTimes.push((await runRg(ws.dir)).ms);
    rgMs = median(rgTimes);
    log(`rg -n '"sku"': ${rgTimes.map((t) => t.toFixed(0)).join(', ')} ms (${warm.lines} lines, ${(warm.bytes / MB).toFixed(1)} MB of output)`);
  }

  // 2. Cold index build (fresh SkuIndex, warm page cache) and its heap.
  await warmUp(ws); // page cache, JIT
  const builds: number[] = [];
  const heaps: number[] = [];
  const cpus: number[] = [];
  let index: SkuIndex | undefined;
  for (let i = 0; i < REPS; i++) {
    index = undefined;
    const r = await timedBuild(ws);
    builds.push(r.ms);
    cpus.push(r.cpuMs);
    heaps.push(r.heapMB);
    index = r.index;
  }
  const indexBuildMs = median(builds);
  const readOnly: number[] = [];
  const byteLoop: number[] = [];
  for (let i = 0; i < REPS; i++) {
    readOnly.push(await floorMs(ws, false));
    byteLoop.push(await floorMs(ws, true));
  }
  const readMs = median(readOnly);
  const byteLoopMs = median(byteLoop);
  log(`floor (${Math.min(8, os.cpus().length)} workers): read only ${readOnly.map((t) => t.toFixed(0)).join(', ')} ms; read + one compare per byte ${byteLoop.map((t) => t.toFixed(0)).join(', ')} ms`);
  const indexHeapMB = gc ? median(heaps) : null;
  log(`index build: ${builds.map((t) => t.toFixed(0)).join(', ')} ms (CPU time, all threads: ${cpus.map((t) => t.toFixed(0)).join(', ')} ms); heap ${heaps.map((h) => h.toFixed(1)).join(', ')} MB${gc ? '' : ' (no gc: not reported)'}; ${index!.size} definitions`);
  if (index!.size !== ws.definitions) throw new Error(`index holds ${index!.size} definitions, expected ${ws.definitions}`);

  // 3. Re-index after an edit of the ~1 MB file, as the editor gives it (a string).
  const bigUri = pathToFileURL(ws.bigFile).href;
  const original = fs.readFileSync(ws.bigFile, 'utf8');
  const at = original.indexOf('"description"');
  const edited = original.slice(0, at) + '"description_old": null,\n      ' + original.slice(at);
  const reindex: number[] = [];
  const WARM = 4; // the first edits run the string scanner cold in this thread (workers did the build)
  for (let i = 0; i < WARM + REPS * 3; i++) {
    const text = i % 2 === 0 ? edited : original;
    const t0 = now();
    const res = index!.setFile(bigUri, text);
    reindex.push(now() - t0);
    if (!res.ok) throw new Error(`re-index failed: ${res.reason}`);
  }
  const reindexMs = median(reindex.slice(WARM));
  log(`re-index of ${(Buffer.byteLength(original) / MB).toFixed(2)} MB: ${reindex.map((t) => t.toFixed(1)).join(', ')} ms (the first ${WARM} are warm-up, not in the median)`);

  // 4. 10,000-error import.
  const body = errorBody(ws, 10_000);
  const errs: number[] = [];
  let shape = '';
  for (let i = 0; i < REPS + 2; i++) {
    const r = errorsPipeline(body, index!);
    errs.push(r.ms);
    shape = `${r.groups} groups, ${r.diagnostics} diagnostics in ${r.files} files`;
  }
  const errors10kMs = median(errs.slice(1));
  log(`10k errors (${(body.length / MB).toFixed(1)} MB body; ${shape}): ${errs.map((t) => t.toFixed(1)).join(', ')} ms`);
  index = undefined;

  // 5. Requests per simulated hour.
  const requestsPerHourActive = await requestsPerHour('active');
  const requestsPerHourIdleFocused = await requestsPerHour('idle-focused');
  const requestsPerHourUnfocused = await requestsPerHour('idle-unfocused');

  // 6. Bundle.
  execFileSync(process.execPath, ['esbuild.js'], { cwd: ROOT, stdio: 'inherit' });
  const bundleBytes = fs.statSync(path.join(ROOT, 'dist', 'extension.js')).size;

  // 7. Activation in a real VS Code.
  let activationMs: number | null = null;
  let activationNote = '';
  if (process.argv.includes('--no-activation')) {
    activationNote = 'skipped (--no-activation)';
  } else {
    log('activation: packaging the VSIX and starting VS Code server + Chromium…');
    const a = await measureActivation(ws, 2);
    activationMs = a.ms;
    activationNote = a.ms === null ? `not measured: ${a.reason}` : `samples ${a.samples.join(', ')} ms`;
    log(`activation: ${activationNote}`);
  }

  const indexVsRgRatio = rgMs === null ? null : indexBuildMs / rgMs;
  const rows: Row[] = [
    { measure: 'index build / rg', value: indexVsRgRatio === null ? 'n/a' : `${indexVsRgRatio.toFixed(2)}x (${indexBuildMs.toFixed(0)} ms / ${rgMs!.toFixed(0)} ms)`, goal: '<= 3x', ok: indexVsRgRatio === null ? null : indexVsRgRatio <= 3 },
    { measure: 're-index 1 MB file', value: `${reindexMs.toFixed(1)} ms`, goal: '<= 20 ms', ok: reindexMs <= 20 },
    { measure: '10k errors -> tree + diagnostics', value: `${errors10kMs.toFixed(1)} ms`, goal: '<= 300 ms', ok: errors10kMs <= 300 },
    { measure: 'index heap', value: indexHeapMB === null ? 'n/a (no gc)' : `${indexHeapMB.toFixed(1)} MB`, goal: '<= 60 MB', ok: indexHeapMB === null ? null : indexHeapMB <= 60 },
    { measure: 'requests/hour, import running', value: String(requestsPerHourActive), goal: '(info)', ok: null },
    { measure: 'requests/hour, idle focused', value: String(requestsPerHourIdleFocused), goal: '<= 60', ok: requestsPerHourIdleFocused <= 60 },
    { measure: 'requests/hour, idle unfocused', value: String(requestsPerHourUnfocused), goal: '0', ok: requestsPerHourUnfocused === 0 },
    { measure: 'bundle dist/extension.js', value: `${(bundleBytes / 1024).toFixed(1)} KB`, goal: '<= 150 KB', ok: bundleBytes <= 150 * 1024 },
    { measure: 'activation', value: activationMs === null ? 'n/a' : `${activationMs} ms`, goal: '<= 50 ms', ok: activationMs === null ? null : activationMs <= 50 },
  ];
  const w = [Math.max(...rows.map((r) => r.measure.length)), Math.max(...rows.map((r) => r.value.length)), 9];
  const line = (a: string, b: string, c: string, d: string) => `| ${a.padEnd(w[0])} | ${b.padEnd(w[1])} | ${c.padEnd(w[2])} | ${d.padEnd(4)} |`;
  console.log(line('measure', 'value', 'goal', 'ok?'));
  console.log(line('-'.repeat(w[0]), '-'.repeat(w[1]), '-'.repeat(w[2]), '----'));
  for (const r of rows) console.log(line(r.measure, r.value, r.goal, r.ok === null ? '-' : r.ok ? 'yes' : 'NO'));
  if (activationMs === null) console.log(`activation: ${activationNote}`);
  console.log(`floor for a JS indexer: read ${readMs.toFixed(0)} ms, read + touch every byte ${byteLoopMs.toFixed(0)} ms${rgMs === null ? '' : ` (${(byteLoopMs / rgMs).toFixed(2)}x rg)`}; load average ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}`);

  const results = {
    indexVsRgRatio: indexVsRgRatio === null ? null : round(indexVsRgRatio, 2),
    indexBuildMs: round(indexBuildMs),
    rgMs: rgMs === null ? null : round(rgMs),
    reindexMs: round(reindexMs, 2),
    errors10kMs: round(errors10kMs),
    indexHeapMB: indexHeapMB === null ? null : round(indexHeapMB),
    requestsPerHourActive,
    requestsPerHourIdleFocused,
    requestsPerHourUnfocused,
    bundleBytes,
    activationMs,
    readOnlyMs: round(readMs),
    jsByteLoopMs: round(byteLoopMs),
    jsByteLoopVsRgRatio: rgMs === null ? null : round(byteLoopMs / rgMs, 2),
    notes: {
      floor: 'readOnlyMs / jsByteLoopMs: worker threads that only read the files / read them and compare every byte once: the floor for any JS indexer',
      loadAverage: os.loadavg().map((x) => round(x, 2)),
      rg: rgProblem ?? null,
      activation: activationNote,
      workspace: { files: ws.files.length, megabytes: round(ws.totalBytes / 1e6), definitions: ws.definitions, seed: SEED },
      repetitions: REPS,
      cpus: os.cpus().length,
      node: process.version,
      samples: { indexBuildMs: builds.map((x) => round(x)), indexBuildCpuMs: cpus.map((x) => round(x)), readOnlyMs: readOnly.map((x) => round(x)), jsByteLoopMs: byteLoop.map((x) => round(x)), rgMs: rgTimes.map((x) => round(x)), reindexMs: reindex.map((x) => round(x, 2)), errors10kMs: errs.map((x) => round(x)), indexHeapMB: heaps.map((x) => round(x)) },
    },
  };
  const outDir = path.join(ROOT, 'bench', 'results');
  fs.mkdirSync(outDir, { recursive: true });
  fs.writeFileSync(path.join(outDir, 'latest.json'), JSON.stringify(results, null, 2) + '\n');
  log(`wrote ${path.relative(ROOT, path.join(outDir, 'latest.json'))} in ${((now() - started) / 1000).toFixed(0)} s`);
}

if (!gc && !process.execArgv.includes('--expose-gc')) {
  // Re-run with --expose-gc so that heap figures measure live data, not garbage.
  const r = spawnSync(process.execPath, ['--expose-gc', ...process.execArgv, __filename, ...process.argv.slice(2)], { stdio: 'inherit' });
  process.exit(r.status ?? 1);
} else {
  main().then(
    () => process.exit(0),
    (e) => {
      console.error(e);
      process.exit(1);
    },
  );
}
