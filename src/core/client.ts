/**
 * The Xsolla connector API client. Requests are plain data (`Request`), executed by one function
 * over node-fetch, which goes through Node's http module (and so VS Code's proxy support).
 * Every failure is an ApiError; no error, message or log line carries the key.
 */
import * as http from 'http';
import * as https from 'https';
import fetch, { Response } from 'node-fetch';
import { checkBaseUrl } from './baseUrl';
import { ApiError } from './errors';
import { parseStatus, splitMessage } from './status';
import { Credentials, ImportMode, ImportStatus } from './types';

export interface Request {
  readonly method: 'GET' | 'POST';
  readonly path: string;
  readonly body?: unknown;
}

export interface RequestLog {
  (entry: { method: string; path: string; status?: number; ms: number; outcome: string }): void;
}

export interface ClientOptions {
  readonly baseUrl: string;
  readonly timeoutMs?: number;
  /** Bodies over this many bytes are cut off. */
  readonly maxBodyBytes?: number;
  readonly onRequest?: RequestLog;
  readonly userAgent?: string;
}

export const DEFAULT_TIMEOUT_MS = 15_000;
export const DEFAULT_MAX_BODY_BYTES = 5 * 1024 * 1024;

export function statusRequest(projectId: number): Request {
  return { method: 'GET', path: `/v1/admin/projects/${projectId}/connectors/import_items/import/status` };
}

export function startImportRequest(projectId: number, fileUrl: string, mode: ImportMode): Request {
  return {
    method: 'POST',
    path: `/v1/projects/${projectId}/import/from_external_file`,
    body: { connector_external_id: 'import_items', file_url: fileUrl, mode },
  };
}

export function authorization(c: Credentials): string {
  return 'Basic ' + Buffer.from(`${c.projectId}:${c.apiKey}`, 'utf8').toString('base64');
}

/** Retry-After as seconds or an HTTP date → milliseconds from now (bounded to one hour). */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const v = value.trim();
  let ms: number | undefined;
  if (/^\d+(\.\d+)?$/.test(v)) ms = Number(v) * 1000;
  else {
    const t = Date.parse(v);
    if (!Number.isNaN(t)) ms = Math.max(0, t - now);
  }
  return ms === undefined ? undefined : Math.min(ms, 3_600_000);
}

function describeNetworkError(e: unknown): { kind: 'network' | 'timeout'; message: string } {
  const code = (e as { code?: string } | undefined)?.code ?? '';
  switch (code) {
    case 'ECONNREFUSED':
      return { kind: 'network', message: 'Connection refused by the server.' };
    case 'ECONNRESET':
    case 'EPIPE':
      return { kind: 'network', message: 'The connection was reset.' };
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return { kind: 'network', message: 'The server name could not be resolved (DNS).' };
    case 'ETIMEDOUT':
    case 'ESOCKETTIMEDOUT':
      return { kind: 'timeout', message: 'The connection timed out.' };
    default:
      return { kind: 'network', message: code ? `Network error (${code}).` : 'Network error.' };
  }
}

/**
 * node-fetch 2 pipes the raw response into a PassThrough and does not forward the raw response's error when the
 * connection breaks mid-body (Content-Length bodies), so reading the body would hang until the timeout.
 * A per-request agent (no keep-alive, like node-fetch's default `Connection: close`) captures the raw response
 * so that such a break can be forwarded into the body stream. If a proxy layer replaces the agent, nothing is
 * captured and the request still works; a broken body then ends in the timeout.
 */
interface RawCapture {
  res?: http.IncomingMessage;
}

function capturingAgent(protocol: string, capture: RawCapture): http.Agent {
  const agent: http.Agent = protocol === 'https:' ? new https.Agent({ keepAlive: false }) : new http.Agent({ keepAlive: false });
  const a = agent as unknown as { addRequest?: (req: http.ClientRequest, ...rest: unknown[]) => unknown };
  const original = a.addRequest;
  if (typeof original === 'function') {
    a.addRequest = function (this: unknown, req: http.ClientRequest, ...rest: unknown[]) {
      req.once('response', (res: http.IncomingMessage) => (capture.res = res));
      return original.call(this, req, ...rest);
    };
  }
  return agent;
}

/** Makes a broken connection (raw response aborted before it was complete) fail the body stream. */
function forwardAbort(capture: RawCapture, body: NodeJS.ReadableStream): void {
  const res = capture.res;
  const stream = body as NodeJS.ReadableStream & { destroy?: (e: Error) => void };
  if (!res || typeof stream.destroy !== 'function') return;
  const broken = () => {
    const err = Object.assign(new Error('The connection broke while the answer was being read.'), { code: 'ECONNRESET' });
    stream.destroy!(err);
  };
  if (res.complete) return;
  if (res.destroyed) return broken();
  res.once('error', () => (res.complete ? undefined : broken()));
  res.once('close', () => (res.complete ? undefined : broken()));
}

function seconds(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${Math.round(ms / 100) / 10} s`;
}

export class XsollaClient {
  constructor(private readonly options: ClientOptions) {}

  async getStatus(creds: Credentials, signal?: AbortSignal): Promise<ImportStatus> {
    return parseStatus(await this.execute(statusRequest(creds.projectId), creds, signal));
  }

  async startImport(creds: Credentials, fileUrl: string, mode: ImportMode, signal?: AbortSignal): Promise<{ importId: string }> {
    const body = await this.execute(startImportRequest(creds.projectId, fileUrl, mode), creds, signal);
    const id = (body as { import_id?: unknown } | null)?.import_id;
    if (typeof id !== 'string' && typeof id !== 'number') throw new ApiError('bad-response', 'The server accepted the import but sent no import_id.');
    return { importId: String(id) };
  }

  /** Executes one request: auth, timeout, size limit, no redirects, JSON body. */
  async execute(req: Request, creds: Credentials, outerSignal?: AbortSignal): Promise<unknown> {
    if (!Number.isSafeInteger(creds.projectId) || creds.projectId <= 0) throw new ApiError('config', 'The project ID must be a positive integer.');
    const base = checkBaseUrl(this.options.baseUrl);
    if (!base.ok) throw new ApiError('config', base.reason);
    const url = base.url.href.replace(/\/+$/, '') + req.path;

    const timeoutMs = this.options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const maxBytes = this.options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, timeoutMs);
    const onOuterAbort = () => controller.abort();
    if (outerSignal?.aborted) controller.abort();
    outerSignal?.addEventListener('abort', onOuterAbort);

    const started = Date.now();
    const log = (status: number | undefined, outcome: string) =>
      this.options.onRequest?.({ method: req.method, path: req.path, status, ms: Date.now() - started, outcome });
    const fail = (err: ApiError, status?: number): never => {
      log(status, err.kind);
      throw err;
    };

    const capture: RawCapture = {};
    try {
      let res: Response;
      try {
        res = await fetch(url, {
          method: req.method,
          headers: {
            Authorization: authorization(creds),
            Accept: 'application/json',
            'User-Agent': this.options.userAgent ?? 'xsolla-import-status',
            ...(req.body !== undefined ? { 'Content-Type': 'application/json' } : {}),
          },
          body: req.body !== undefined ? JSON.stringify(req.body) : undefined,
          redirect: 'manual',
          size: maxBytes,
          signal: controller.signal as never,
          compress: true,
          agent: capturingAgent(base.url.protocol, capture),
        });
      } catch (e) {
        if (timedOut) return fail(new ApiError('timeout', `No answer within ${seconds(timeoutMs)}.`));
        if (controller.signal.aborted) return fail(new ApiError('aborted', 'The request was cancelled.'));
        const d = describeNetworkError(e);
        return fail(new ApiError(d.kind, d.message));
      }

      if (res.status >= 300 && res.status < 400) {
        return fail(new ApiError('redirect', `The server answered with a redirect (HTTP ${res.status}); redirects are not followed, so the key is never sent elsewhere. Check xsollaImport.apiBaseUrl.`, { httpStatus: res.status }), res.status);
      }

      let raw: string;
      try {
        forwardAbort(capture, res.body);
        raw = await res.text();
      } catch (e) {
        if (timedOut) return fail(new ApiError('timeout', `The answer did not finish within ${seconds(timeoutMs)}.`, { httpStatus: res.status }), res.status);
        if (controller.signal.aborted) return fail(new ApiError('aborted', 'The request was cancelled.'), res.status);
        if ((e as { type?: string }).type === 'max-size') {
          return fail(new ApiError('too-large', `The answer was larger than ${Math.round(maxBytes / 1024 / 1024)} MB and was cut off.`, { httpStatus: res.status }), res.status);
        }
        return fail(new ApiError('network', 'The connection broke while the answer was being read.', { httpStatus: res.status }), res.status);
      }

      let body: unknown;
      let parsed = false;
      try {
        body = JSON.parse(raw);
        parsed = true;
      } catch {
        /* handled per status below */
      }

      if (res.ok) {
        if (!parsed) return fail(new ApiError('bad-response', raw.trim() === '' ? `HTTP ${res.status} with an empty body.` : `HTTP ${res.status} with a body that is not valid JSON (it may be truncated).`, { httpStatus: res.status }), res.status);
        log(res.status, 'ok');
        return body;
      }

      const serverMessage = parsed ? pickMessage(body) : undefined;
      const serverCode = parsed ? pickCode(body, serverMessage) : undefined;
      const withMessage = (fallback: string) => (serverMessage ? serverMessage : fallback);
      const details = { httpStatus: res.status, serverCode };
      switch (true) {
        case res.status === 401:
          return fail(new ApiError('auth', withMessage('The API key was rejected (HTTP 401).'), details), res.status);
        case res.status === 403:
          return fail(new ApiError('forbidden', withMessage('The key has no access to this project (HTTP 403).'), details), res.status);
        case res.status === 404:
          return fail(new ApiError('not-found', withMessage('Project not found (HTTP 404). Check the project ID.'), details), res.status);
        case res.status === 429:
          return fail(new ApiError('rate-limited', withMessage('Too many requests (HTTP 429).'), { ...details, retryAfterMs: parseRetryAfter(res.headers.get('retry-after')) }), res.status);
        case res.status >= 500:
          return fail(new ApiError('server', `The Xsolla server failed (HTTP ${res.status}${serverMessage ? `: ${serverMessage}` : ''}).`, { ...details, retryAfterMs: parseRetryAfter(res.headers.get('retry-after')) }), res.status);
        default:
          return fail(new ApiError('client', withMessage(`The request was refused (HTTP ${res.status}).`), details), res.status);
      }
    } finally {
      // A body we stopped reading (too large, parse failure paths) must not keep the connection open.
      if (capture.res && !capture.res.complete && !capture.res.destroyed) capture.res.destroy();
      clearTimeout(timer);
      outerSignal?.removeEventListener('abort', onOuterAbort);
    }
  }
}

function pickMessage(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const b = body as Record<string, unknown>;
  for (const k of ['errorMessage', 'error_message', 'message', 'error']) {
    const v = b[k];
    if (typeof v === 'string' && v.trim()) return v.length > 500 ? v.slice(0, 500) + '…' : v;
  }
  return undefined;
}

function pickCode(body: unknown, message: string | undefined): number | undefined {
  const b = body as Record<string, unknown>;
  for (const k of ['errorCode', 'error_code', 'code']) {
    const v = b?.[k];
    if (typeof v === 'number' && Number.isFinite(v)) return v;
    if (typeof v === 'string' && /^\d+$/.test(v)) return Number(v);
  }
  return message ? splitMessage(message).code : undefined;
}
