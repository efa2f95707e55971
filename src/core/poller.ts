/**
 * Polls the import status.
 * - Active interval while an import runs, idle interval otherwise (0 = only on refresh).
 * - Paused while the window is unfocused; on refocus, refreshes at once if the data is stale.
 * - At most one request in flight; `dispose` aborts it.
 * - Exponential backoff on failures, capped, and never sooner than a server's Retry-After.
 * - Keeps the last good status through failures, so nothing the user saw is lost.
 * - Fires `onImportFinished` once per import that it saw finish.
 */
import { Clock, TimerHandle } from './clock';
import { ApiError, ApiErrorKind, isApiError } from './errors';
import { importKey } from './status';
import { ImportStatus, isActive, isFinal } from './types';

export type PollState =
  | { readonly kind: 'no-credentials' }
  | { readonly kind: 'loading' }
  | { readonly kind: 'ok'; readonly status: ImportStatus; readonly fetchedAt: number }
  /** The key or project was refused (401/403/404). */
  | { readonly kind: 'auth-failed'; readonly message: string; readonly errorKind: ApiErrorKind; readonly lastStatus?: ImportStatus; readonly retryAt?: number }
  /** Network failure, timeout, 5xx, 429 or an answer we could not read. */
  | { readonly kind: 'unreachable'; readonly message: string; readonly errorKind: ApiErrorKind; readonly lastStatus?: ImportStatus; readonly retryAt?: number; readonly failures: number }
  /** A setting is wrong (e.g. the base URL); polling waits for the user to fix it. */
  | { readonly kind: 'config-error'; readonly message: string };

export interface StatusSource {
  /** Identifies the project being watched; a new key resets the state. */
  readonly key: string;
  fetch(signal: AbortSignal): Promise<ImportStatus>;
}

export interface PollerIntervals {
  readonly activeMs: number;
  /** 0 means: no polling until refresh. */
  readonly idleMs: number;
}

export interface PollerOptions {
  readonly clock: Clock;
  readonly intervals: () => PollerIntervals;
  readonly maxBackoffMs?: number;
  readonly baseBackoffMs?: number;
  /** 0..1 source for refocus jitter; injected for tests. */
  readonly random?: () => number;
  readonly onError?: (error: unknown) => void;
}

export interface Disposable {
  dispose(): void;
}

type Listener<T> = (value: T) => void;

class Emitter<T> {
  private readonly listeners = new Set<Listener<T>>();
  on(l: Listener<T>): Disposable {
    this.listeners.add(l);
    return { dispose: () => this.listeners.delete(l) };
  }
  fire(value: T, onError?: (e: unknown) => void): void {
    for (const l of [...this.listeners]) {
      try {
        l(value);
      } catch (e) {
        onError?.(e);
      }
    }
  }
  get size(): number {
    return this.listeners.size;
  }
  clear(): void {
    this.listeners.clear();
  }
}

export const MAX_BACKOFF_MS = 5 * 60_000;
export const BASE_BACKOFF_MS = 5_000;
const REFOCUS_JITTER_MS = 1_000;
const EXPECT_IMPORT_MS = 60_000;

export class Poller implements Disposable {
  private source: StatusSource | undefined;
  private current: PollState = { kind: 'no-credentials' };
  private lastGood: { status: ImportStatus; at: number } | undefined;
  private timer: TimerHandle | undefined;
  private timerDue: number | undefined;
  private inFlight: { controller: AbortController; promise: Promise<void> } | undefined;
  private failures = 0;
  private focused = true;
  /** After a started import, poll actively until the server reports it, for at most EXPECT_IMPORT_MS. */
  private expectingUntil: number | undefined;
  /** The import shown when the new one was started; any other import means the server reports the new one. */
  private expectingAfter: string | undefined;
  private disposed = false;
  private readonly notified = new Set<string>();
  private previous: ImportStatus | undefined;
  private readonly stateEmitter = new Emitter<PollState>();
  private readonly finishedEmitter = new Emitter<ImportStatus>();
  private readonly requestEmitter = new Emitter<void>();

  constructor(private readonly options: PollerOptions) {}

  get state(): PollState {
    return this.current;
  }

  /** The last status successfully read, kept through failures. */
  get lastStatus(): ImportStatus | undefined {
    return this.lastGood?.status;
  }

  get isFocused(): boolean {
    return this.focused;
  }

  /** Whether a timer is scheduled (for tests and the soak check). */
  get scheduledAt(): number | undefined {
    return this.timerDue;
  }

  get listenerCount(): number {
    return this.stateEmitter.size + this.finishedEmitter.size + this.requestEmitter.size;
  }

  onDidChangeState(l: Listener<PollState>): Disposable {
    return this.stateEmitter.on(l);
  }

  onImportFinished(l: Listener<ImportStatus>): Disposable {
    return this.finishedEmitter.on(l);
  }

  onRequest(l: Listener<void>): Disposable {
    return this.requestEmitter.on(l);
  }

  /** Sets what to watch. `undefined` (no credentials) stops polling. A new source restarts from scratch. */
  setSource(source: StatusSource | undefined): void {
    if (this.disposed) return;
    if (source && this.source && source.key === this.source.key) return; // same project and key: keep polling as is
    this.source = source;
    this.abortInFlight();
    this.clearTimer();
    this.failures = 0;
    this.lastGood = undefined;
    this.previous = undefined;
    this.notified.clear();
    if (!source) {
      this.setState({ kind: 'no-credentials' });
      return;
    }
    this.setState({ kind: 'loading' });
    void this.refresh();
  }

  /** Polls now. Shares the request already in flight, if any. */
  refresh(): Promise<void> {
    if (this.disposed || !this.source) return Promise.resolve();
    if (this.inFlight) return this.inFlight.promise;
    this.clearTimer();
    const controller = new AbortController();
    const source = this.source;
    const promise = this.poll(source, controller).finally(() => {
      if (this.inFlight?.controller === controller) this.inFlight = undefined;
      if (!this.disposed && this.source === source) this.schedule();
    });
    this.inFlight = { controller, promise };
    return promise;
  }

  /** After starting an import: poll at the active interval at once, even before the server reports it. */
  expectImport(): Promise<void> {
    this.expectingUntil = this.options.clock.now() + EXPECT_IMPORT_MS;
    this.expectingAfter = this.lastGood ? importKey(this.lastGood.status) : undefined;
    this.failures = 0;
    return this.refresh();
  }

  setFocused(focused: boolean): void {
    if (this.disposed || focused === this.focused) return;
    this.focused = focused;
    if (!focused) {
      this.clearTimer();
      return;
    }
    if (!this.source || this.inFlight) return;
    const interval = this.nextDelay();
    const last = this.lastAttemptAt;
    const stale = interval === undefined ? false : last === undefined || this.options.clock.now() - last >= interval;
    if (stale) {
      // Jitter, so that many windows refocused together do not poll in the same instant.
      const jitter = Math.floor((this.options.random ?? Math.random)() * REFOCUS_JITTER_MS);
      this.setTimer(jitter);
    } else {
      this.schedule();
    }
  }

  /** Re-reads intervals (after a settings change) and reschedules. */
  reschedule(): void {
    if (this.inFlight) return;
    this.schedule();
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.abortInFlight();
    this.clearTimer();
    this.stateEmitter.clear();
    this.finishedEmitter.clear();
    this.requestEmitter.clear();
  }

  // ---- internals ----

  private lastAttemptAt: number | undefined;

  private async poll(source: StatusSource, controller: AbortController): Promise<void> {
    this.lastAttemptAt = this.options.clock.now();
    this.requestEmitter.fire(undefined, this.options.onError);
    try {
      const status = await source.fetch(controller.signal);
      if (controller.signal.aborted || this.source !== source) return;
      this.failures = 0;
      this.lastGood = { status, at: this.options.clock.now() };
      if (isActive(status.state) || importKey(status) !== this.expectingAfter) this.expectingUntil = undefined;
      this.setState({ kind: 'ok', status, fetchedAt: this.lastGood.at });
      this.detectFinish(status);
    } catch (e) {
      if (controller.signal.aborted || this.source !== source) return;
      const err: ApiError = isApiError(e) ? e : new ApiError('bad-response', 'Unexpected failure while reading the status.');
      if (!isApiError(e)) this.options.onError?.(e);
      if (err.kind === 'aborted') return;
      this.failures++;
      const lastStatus = this.lastGood?.status;
      if (err.kind === 'config') {
        this.setState({ kind: 'config-error', message: err.message });
      } else if (err.kind === 'auth' || err.kind === 'forbidden' || err.kind === 'not-found') {
        this.setState({ kind: 'auth-failed', message: err.message, errorKind: err.kind, lastStatus, retryAt: this.retryAt(err) });
      } else {
        this.setState({ kind: 'unreachable', message: err.message, errorKind: err.kind, lastStatus, retryAt: this.retryAt(err), failures: this.failures });
      }
      this.retryAfterMs = err.details.retryAfterMs;
    }
  }

  private retryAfterMs: number | undefined;

  private retryAt(err: ApiError): number | undefined {
    if (err.kind === 'config') return undefined;
    const delay = this.failureDelay(err.details.retryAfterMs);
    return this.options.clock.now() + delay;
  }

  private failureDelay(retryAfterMs: number | undefined): number {
    const base = this.options.baseBackoffMs ?? BASE_BACKOFF_MS;
    const max = this.options.maxBackoffMs ?? MAX_BACKOFF_MS;
    const backoff = Math.min(max, base * 2 ** Math.max(0, this.failures - 1));
    return Math.max(backoff, retryAfterMs ?? 0);
  }

  /** The delay before the next poll from now, or undefined when nothing should be scheduled. */
  private nextDelay(): number | undefined {
    if (!this.source) return undefined;
    const s = this.current;
    if (s.kind === 'config-error' || s.kind === 'no-credentials') return undefined;
    if (this.failures > 0) return this.failureDelay(this.retryAfterMs);
    const { activeMs, idleMs } = this.options.intervals();
    const expecting = this.expectingUntil !== undefined && this.options.clock.now() < this.expectingUntil;
    const active = expecting || (s.kind === 'ok' && isActive(s.status.state));
    if (active) return Math.max(1000, activeMs);
    return idleMs > 0 ? Math.max(1000, idleMs) : undefined;
  }

  private schedule(): void {
    this.clearTimer();
    if (!this.focused || this.disposed) return;
    const delay = this.nextDelay();
    if (delay === undefined) return;
    // Time already spent since the last attempt counts towards the delay (matters after refocus).
    const since = this.lastAttemptAt === undefined ? 0 : this.options.clock.now() - this.lastAttemptAt;
    this.setTimer(Math.max(0, delay - since));
  }

  private setTimer(ms: number): void {
    this.clearTimer();
    this.timerDue = this.options.clock.now() + ms;
    this.timer = this.options.clock.setTimeout(() => {
      this.timer = undefined;
      this.timerDue = undefined;
      void this.refresh();
    }, ms);
  }

  private clearTimer(): void {
    if (this.timer !== undefined) this.options.clock.clearTimeout(this.timer);
    this.timer = undefined;
    this.timerDue = undefined;
  }

  private abortInFlight(): void {
    this.inFlight?.controller.abort();
    this.inFlight = undefined;
  }

  private setState(s: PollState): void {
    this.current = s;
    this.stateEmitter.fire(s, this.options.onError);
  }

  private detectFinish(status: ImportStatus): void {
    const prev = this.previous;
    this.previous = status;
    if (!isFinal(status.state)) return;
    const key = importKey(status);
    if (this.notified.has(key)) return;
    // Every finished import seen is remembered, announced or not: the first status seen is history, not news,
    // and must not be announced later either (e.g. when a stale answer brings an older import back).
    this.notified.add(key);
    if (this.notified.size > 50) this.notified.delete(this.notified.values().next().value as string);
    if (prev === undefined) return;
    const sameImport = importKey(prev) === key;
    const sawItRun = sameImport && isActive(prev.state);
    const newImport = !sameImport;
    if (!sawItRun && !newImport) return;
    this.finishedEmitter.fire(status, this.options.onError);
  }
}
