/**
 * A small Xsolla connector simulator: a real HTTP server (node:http, no other dependencies) on a loopback
 * address that speaks the import-status contract, with scripted import scenarios and injectable faults.
 *
 * Routes:
 *   GET  /v1/admin/projects/{id}/connectors/import_items/import/status  → auth, then faults, then the current step
 *   POST /v1/projects/{id}/import/from_external_file                    → auth, validation, 201 {import_id}
 *   anything else                                                       → 404 JSON
 *
 * Scenario progression: `perRequest` advances one step per status request that is answered with a step body
 * (faults that answer something else do not advance it); `everyMs` advances with wall time. Each new import
 * (setScenario, reset, POST, each loop iteration) gets a fresh, strictly later `date_created`.
 *
 * Dates: a step that has no `date_created` / `date_updated` / `date_completed` key gets one filled in (GMT+3, like
 * the real API; `date_completed` only on final steps). A key that is present is sent as is, so a step can carry
 * `date_completed: ""` or `error: null`, and a key set to `undefined` is left out of the body.
 *
 * The simulator never prints keys or Authorization headers.
 */
import * as http from 'http';
import type { Socket } from 'net';
import { idleDone } from './scenarios';

export interface StatusBody {
  status: unknown;
  date_created?: unknown;
  date_updated?: unknown;
  date_completed?: unknown;
  progress?: unknown;
  error?: unknown;
  error_code?: unknown;
  result?: unknown;
  [k: string]: unknown;
}

export interface Scenario {
  name: string;
  steps: StatusBody[];
  /** How to advance: one step per answered status request, or one step every `everyMs` milliseconds. */
  advance: { perRequest: true } | { everyMs: number };
  /** Start over (as a new import) after the last step; otherwise the last step repeats. */
  loop?: boolean;
}

export type Fault =
  | { kind: 'status'; code: number; body?: unknown; headers?: Record<string, string> }
  | { kind: 'html'; code: number }
  | { kind: 'raw'; code?: number; body: string; contentType?: string }
  | { kind: 'slow'; ms: number }
  | { kind: 'truncated' }
  | { kind: 'reset' }
  | { kind: 'huge'; bytes: number }
  | { kind: 'redirect'; location: string; code?: number };

export interface RecordedRequest {
  method: string;
  path: string;
  projectId?: number;
  authorized: boolean;
  /** The Authorization header as received (for assertions in tests; never printed). */
  authHeader?: string;
  at: number;
  body?: unknown;
  /** HTTP status of the answer, once it is known (absent for reset/truncated answers until headers go out). */
  status?: number;
}

export interface SimulatorOptions {
  port?: number;
  host?: string;
  /** projectId → apiKey. Default {44056: 'test-key-44056'}. */
  projects?: Record<number, string>;
  scenario?: Scenario;
  /** Called with one line per request (method, path, status). Never receives keys. */
  log?: (line: string) => void;
}

export const DEFAULT_PROJECT_ID = 44056;
export const DEFAULT_API_KEY = 'test-key-44056';

const STATUS_PATH = /^\/v1\/admin\/projects\/([^/]+)\/connectors\/import_items\/import\/status\/?$/;
const IMPORT_PATH = /^\/v1\/projects\/([^/]+)\/import\/from_external_file\/?$/;
const MODES = new Set(['create', 'create_and_update', 'sync']);
const MAX_POST_BODY = 1024 * 1024;

const AUTH_MISSING = {
  statusCode: 401,
  errorCode: 1501,
  errorMessage: '[0401-1501]: Authorization failed: Authorization header not sent',
};
const AUTH_FAILED = {
  statusCode: 401,
  errorCode: 1020,
  errorMessage: '[0401-1020]: Error in Authentication method occurred',
};

const REASONS: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  422: 'Unprocessable Entity',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

/** `2024-11-19T14:27:31+03:00`: the instant shown in GMT+3, whole seconds. */
export function formatGmt3(ms: number): string {
  return new Date(ms + 3 * 3600_000).toISOString().slice(0, 19) + '+03:00';
}

function isFinalStatus(s: unknown): boolean {
  return s === 'done' || s === 'error';
}

function defaultFaultBody(code: number): unknown {
  if (code === 401) return AUTH_FAILED;
  return { statusCode: code, errorMessage: `${REASONS[code] ?? 'HTTP ' + code} (simulated)` };
}

export class Simulator {
  readonly url: string;
  readonly requests: RecordedRequest[] = [];

  private projects: Record<number, string>;
  private scenario: Scenario;
  /** Start of the current import as shown in `date_created` (ms, whole seconds). */
  private createdAt = 0;
  /** Exact start of the current import, for time-based progression. */
  private startedAt = 0;
  private lastCreatedAt = 0;
  /** Status requests answered with a step body since the current import started (perRequest mode). */
  private served = 0;
  private faults: { fault: Fault; remaining: number }[] = [];
  private readonly sockets = new Set<Socket>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private importCounter = 0;
  private readonly projectStatus = new Map<number, StatusBody>();

  private constructor(
    private readonly server: http.Server,
    url: string,
    opts: SimulatorOptions,
  ) {
    this.url = url;
    this.projects = { ...(opts.projects ?? { [DEFAULT_PROJECT_ID]: DEFAULT_API_KEY }) };
    this.scenario = opts.scenario ?? idleDone();
    this.log = opts.log;
    this.startImport();
  }

  private readonly log?: (line: string) => void;

  static start(opts: SimulatorOptions = {}): Promise<Simulator> {
    const host = opts.host ?? '127.0.0.1';
    const server = http.createServer();
    return new Promise<Simulator>((resolve, reject) => {
      server.once('error', reject);
      server.listen(opts.port ?? 0, host, () => {
        server.off('error', reject);
        const addr = server.address();
        const port = typeof addr === 'object' && addr ? addr.port : opts.port ?? 0;
        const shownHost = host.includes(':') ? `[${host}]` : host;
        const sim = new Simulator(server, `http://${shownHost}:${port}`, opts);
        server.on('connection', (s: Socket) => {
          sim.sockets.add(s);
          s.on('close', () => sim.sockets.delete(s));
        });
        server.on('request', (req, res) => sim.handle(req, res));
        resolve(sim);
      });
    });
  }

  /** The port the server listens on. */
  get port(): number {
    return Number(new URL(this.url).port);
  }

  statusRequestCount(): number {
    return this.requests.filter((r) => r.method === 'GET' && STATUS_PATH.test(r.path)).length;
  }

  setScenario(s: Scenario): void {
    this.scenario = s;
    this.startImport();
  }


  /**
   * Serves a fixed body to one project instead of the shared scenario (multi-project tests).
   * `date_created` defaults to the current import's. Pass undefined to go back to the scenario.
   */
  setProjectStatus(projectId: number, body: StatusBody | undefined): void {
    if (body) this.projectStatus.set(projectId, body);
    else this.projectStatus.delete(projectId);
  }

  setProjects(p: Record<number, string>): void {
    this.projects = { ...p };
  }

  injectFault(f: Fault, times = 1): void {
    if (times > 0) this.faults.push({ fault: f, remaining: times });
  }

  clearFaults(): void {
    this.faults = [];
  }

  reset(): void {
    this.requests.length = 0;
    this.clearFaults();
    this.startImport();
  }

  /** `date_created` of the current import, as the status body shows it. */
  currentDateCreated(): string {
    return formatGmt3(this.createdAt);
  }

  close(): Promise<void> {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    return new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      for (const s of this.sockets) s.destroy();
      this.sockets.clear();
    });
  }

  // ---- scenario ----

  private startImport(): void {
    this.startedAt = Date.now();
    this.newCreatedAt(this.startedAt);
    this.served = 0;
  }

  /** A fresh creation instant: now (whole seconds), but always at least one second after the previous one. */
  private newCreatedAt(at = Date.now()): void {
    const now = Math.floor(at / 1000) * 1000;
    this.createdAt = Math.max(now, this.lastCreatedAt + 1000);
    this.lastCreatedAt = this.createdAt;
  }

  /** Index of the current step, handling loop iterations (each one is a new import). */
  private currentIndex(): number {
    const steps = this.scenario.steps;
    const n = Math.max(1, steps.length);
    const adv = this.scenario.advance;
    if ('everyMs' in adv) {
      const every = Math.max(1, adv.everyMs);
      let elapsed = Date.now() - this.startedAt;
      if (this.scenario.loop) {
        const cycle = every * n;
        if (elapsed >= cycle) {
          // Skip whole cycles at once; the new import starts at the beginning of the current cycle.
          this.startedAt += Math.floor(elapsed / cycle) * cycle;
          this.newCreatedAt(this.startedAt);
          elapsed = Date.now() - this.startedAt;
        }
        return Math.min(n - 1, Math.max(0, Math.floor(elapsed / every)));
      }
      return Math.min(n - 1, Math.max(0, Math.floor(elapsed / every)));
    }
    if (this.scenario.loop && this.served >= n) {
      this.served = this.served % n;
      this.newCreatedAt();
    }
    return Math.min(n - 1, this.served);
  }

  private stepMs(): number {
    const adv = this.scenario.advance;
    return 'everyMs' in adv ? Math.max(1, adv.everyMs) : 1000;
  }

  /** The body of the current step with dates filled in; `advance` counts it as served (perRequest). */
  private render(advance: boolean): Record<string, unknown> {
    const steps = this.scenario.steps;
    if (steps.length === 0) return { status: 'initialized', progress: 0 };
    const index = this.currentIndex();
    const step = steps[index];
    const body: Record<string, unknown> = { ...step };
    const at = (i: number) => formatGmt3(this.createdAt + i * this.stepMs());
    if (!('date_created' in step)) body.date_created = formatGmt3(this.createdAt);
    const final = isFinalStatus(step.status);
    let firstFinal = index;
    if (final) while (firstFinal > 0 && isFinalStatus(steps[firstFinal - 1].status)) firstFinal--;
    if (!('date_updated' in step)) body.date_updated = at(final ? firstFinal : index);
    if (!('date_completed' in step) && final) body.date_completed = at(firstFinal);
    if (advance && 'perRequest' in this.scenario.advance) this.served++;
    return JSON.parse(JSON.stringify(body)) as Record<string, unknown>;
  }

  // ---- HTTP ----

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const path = (req.url ?? '/').split('?')[0];
    const rec: RecordedRequest = { method: req.method ?? '', path, authorized: false, at: Date.now() };
    if (typeof req.headers.authorization === 'string') rec.authHeader = req.headers.authorization;
    this.requests.push(rec);
    res.on('finish', () => this.log?.(`${rec.method} ${rec.path} → ${rec.status ?? '-'}`));
    req.on('error', () => undefined);
    res.on('error', () => undefined);

    const statusMatch = STATUS_PATH.exec(path);
    const importMatch = IMPORT_PATH.exec(path);
    const match = (rec.method === 'GET' && statusMatch) || (rec.method === 'POST' && importMatch) || undefined;
    if (!match) {
      req.resume();
      return this.json(res, rec, 404, { statusCode: 404, errorMessage: `No route for ${rec.method} ${path} (simulated)` });
    }
    const projectId = /^\d+$/.test(match[1]) ? Number(match[1]) : undefined;
    rec.projectId = projectId;

    const auth = this.checkAuth(req.headers.authorization, projectId);
    if (auth !== 'ok') {
      req.resume();
      return this.json(res, rec, 401, auth === 'missing' ? AUTH_MISSING : AUTH_FAILED);
    }
    rec.authorized = true;

    if (rec.method === 'POST') return this.handleImport(req, res, rec);
    req.resume();
    this.handleStatus(res, rec);
  }

  private checkAuth(header: string | undefined, projectId: number | undefined): 'ok' | 'missing' | 'failed' {
    if (header === undefined || header.trim() === '') return 'missing';
    const m = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header);
    if (!m) return 'failed';
    const decoded = Buffer.from(m[1], 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) return 'failed';
    const id = decoded.slice(0, colon);
    const key = decoded.slice(colon + 1);
    if (projectId === undefined || id !== String(projectId)) return 'failed';
    const expected = this.projects[projectId];
    return expected !== undefined && expected === key ? 'ok' : 'failed';
  }

  private takeFault(): Fault | undefined {
    const head = this.faults[0];
    if (!head) return undefined;
    head.remaining--;
    if (head.remaining <= 0) this.faults.shift();
    return head.fault;
  }

  private handleStatus(res: http.ServerResponse, rec: RecordedRequest): void {
    const fixed = rec.projectId !== undefined ? this.projectStatus.get(rec.projectId) : undefined;
    if (fixed) return this.json(res, rec, 200, { date_created: formatGmt3(this.createdAt), ...fixed });
    const fault = this.takeFault();
    if (!fault) return this.json(res, rec, 200, this.render(true));
    switch (fault.kind) {
      case 'status': {
        const body = fault.body === undefined ? defaultFaultBody(fault.code) : fault.body;
        const text = typeof body === 'string' ? body : JSON.stringify(body);
        return this.send(res, rec, fault.code, text, 'application/json', fault.headers);
      }
      case 'html':
        return this.send(
          res,
          rec,
          fault.code,
          `<!DOCTYPE html>\n<html><head><title>${fault.code} ${REASONS[fault.code] ?? ''}</title></head>` +
            `<body><h1>${fault.code} ${REASONS[fault.code] ?? ''}</h1><hr><center>nginx</center></body></html>\n`,
          'text/html; charset=utf-8',
        );
      case 'raw':
        return this.send(res, rec, fault.code ?? 200, fault.body, fault.contentType ?? 'application/json');
      case 'slow': {
        const t = setTimeout(() => {
          this.timers.delete(t);
          if (!res.destroyed && !res.writableEnded) this.json(res, rec, 200, this.render(true));
        }, fault.ms);
        this.timers.add(t);
        res.on('close', () => {
          clearTimeout(t);
          this.timers.delete(t);
        });
        return;
      }
      case 'truncated':
      case 'reset': {
        const full = Buffer.from(JSON.stringify(this.render(false)), 'utf8');
        const part = full.subarray(0, Math.max(1, Math.floor(full.length / 2)));
        rec.status = 200;
        res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': String(full.length) });
        const socket = res.socket;
        res.write(part, () => {
          if (fault.kind === 'truncated') socket?.end();
          else socket?.destroy();
        });
        return;
      }
      case 'huge':
        return this.streamHuge(res, rec, fault.bytes);
      case 'redirect':
        rec.status = fault.code ?? 302;
        res.writeHead(rec.status, { Location: fault.location, 'Content-Length': '0' });
        res.end();
        return;
    }
  }

  /** 200 with a valid JSON status body of exactly `bytes` bytes (when bytes allows), streamed with backpressure. */
  private streamHuge(res: http.ServerResponse, rec: RecordedRequest, bytes: number): void {
    const entry = (i: number) =>
      JSON.stringify({
        sku: `com.example.bulk_${String(i).padStart(8, '0')}`,
        type: 'virtual_items',
        error_code: 4055,
        error_message: '[0401-4055]: Item default price not set',
      });
    const entryLen = Buffer.byteLength(entry(0)) + 1;
    const headFor = (count: number) =>
      `{"status":"done","progress":100,"date_created":"${formatGmt3(this.createdAt)}","error":null,"error_code":null,` +
      `"result":{"errors_count":${count},"total_entities_count":${count},"errors_by_sku":[`;
    const tail = ']}}';
    const room = bytes - Buffer.byteLength(headFor(0)) - tail.length - 20;
    const count = Math.max(0, Math.floor(room / entryLen));
    const head = headFor(count);
    let written = 0;
    let i = 0;
    const padTotal = Math.max(0, bytes - Buffer.byteLength(head) - tail.length - Math.max(0, count * entryLen - 1));
    let padLeft = padTotal;
    rec.status = 200;
    res.writeHead(200, { 'Content-Type': 'application/json' });
    const pump = () => {
      while (!res.destroyed) {
        let chunk: string;
        if (written === 0 && i === 0) chunk = head;
        else if (i < count) {
          const parts: string[] = [];
          for (let k = 0; k < 256 && i < count; k++, i++) parts.push((i === 0 ? '' : ',') + entry(i));
          chunk = parts.join('');
        } else if (padLeft > 0) {
          const n = Math.min(padLeft, 64 * 1024);
          padLeft -= n;
          chunk = ' '.repeat(n);
        } else {
          res.end(tail);
          return;
        }
        written += Buffer.byteLength(chunk);
        if (!res.write(chunk)) {
          res.once('drain', pump);
          return;
        }
      }
    };
    pump();
  }

  private handleImport(req: http.IncomingMessage, res: http.ServerResponse, rec: RecordedRequest): void {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooBig = false;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_POST_BODY) tooBig = true;
      else chunks.push(c);
    });
    req.on('end', () => {
      if (tooBig) return this.json(res, rec, 413, { statusCode: 413, errorMessage: 'Request body too large (simulated)' });
      let body: unknown;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch {
        return this.json(res, rec, 400, { statusCode: 400, errorCode: 1102, errorMessage: '[0410-1102]: Request body is not valid JSON' });
      }
      rec.body = body;
      const invalid = (msg: string) => this.json(res, rec, 422, { statusCode: 422, errorCode: 1102, errorMessage: `[0410-1102]: ${msg}` });
      if (typeof body !== 'object' || body === null || Array.isArray(body)) return invalid('Request body must be a JSON object');
      const b = body as Record<string, unknown>;
      if (b.connector_external_id !== 'import_items') return invalid('connector_external_id must be "import_items"');
      const mode = b.mode === undefined ? 'create_and_update' : b.mode;
      if (typeof mode !== 'string' || !MODES.has(mode)) return invalid('mode must be one of create, create_and_update, sync');
      if (typeof b.file_url !== 'string' || !/^https?:\/\/[^\s/]+/i.test(b.file_url)) return invalid('file_url must be an http(s) URL');
      if (b.file_url.includes('not-json')) {
        return this.json(res, rec, 422, {
          statusCode: 422,
          errorCode: 1803,
          errorMessage: '[0410-1803]: File is not served as application/json',
        });
      }
      this.importCounter++;
      this.startImport();
      const id = `sim-${String(this.importCounter).padStart(4, '0')}-${this.createdAt.toString(16)}`;
      this.json(res, rec, 201, { import_id: id });
    });
  }

  private json(res: http.ServerResponse, rec: RecordedRequest, code: number, body: unknown): void {
    this.send(res, rec, code, JSON.stringify(body), 'application/json');
  }

  private send(res: http.ServerResponse, rec: RecordedRequest, code: number, text: string, contentType: string, headers?: Record<string, string>): void {
    if (res.destroyed || res.writableEnded) return;
    rec.status = code;
    const buf = Buffer.from(text, 'utf8');
    res.writeHead(code, { 'Content-Type': contentType, 'Content-Length': String(buf.length), ...(headers ?? {}) });
    res.end(buf);
  }
}
