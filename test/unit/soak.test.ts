/**
 * Soak: 24 simulated hours of polling on a ManualClock against an in-memory source (no HTTP) that cycles
 * through idle periods, imports, fault bursts and focus changes. Checks that nothing accumulates (timers,
 * listeners, memory), that the number of requests stays within the polling policy, and that no request is
 * made while the window is unfocused.
 *
 * SOAK_HOURS=<n> runs longer (rounded up to whole 4-hour blocks).
 *
 * Memory: global.gc is usually not exposed to mocha, so heap growth is compared with process.memoryUsage()
 * before and after, against a generous bound (20 MB). With --expose-gc the heap is collected first.
 */
import * as assert from 'assert';
import { ManualClock } from '../../src/core/clock';
import { ApiError } from '../../src/core/errors';
import { BASE_BACKOFF_MS, MAX_BACKOFF_MS, PollState, Poller, StatusSource } from '../../src/core/poller';
import { parseStatus } from '../../src/core/status';
import { ImportStatus } from '../../src/core/types';

const HOURS = Math.max(4, Number(process.env.SOAK_HOURS) || 24);
const MIN = 60_000;
const BLOCK_MIN = 240;
const BLOCKS = Math.ceil((HOURS * 60) / BLOCK_MIN);
const T0 = Date.UTC(2025, 0, 6, 0, 0, 0);
const ACTIVE_MS = 3_000;
const IDLE_MS = 60_000;
const TIMEOUT_MS = 15_000;
const RETRY_AFTER_MS = 30_000;

/**
 * One 4-hour block, in minutes from its start:
 *   [60, 69)   import A, started by the user (the test calls expectImport at 60)
 *   fault bursts of 3 min each, recovering in between: auth 401 at 100, 5xx at 110,
 *              429 with Retry-After 30 s at 120, timeouts (no answer for 15 s) at 130
 *   [150, 159) import B, started elsewhere (Publisher Account): found by idle polling
 *   [180, 210) window unfocused; import C runs [190, 199) meanwhile
 *   everything else: idle (the last import is done)
 */
const IMPORTS = [
  { name: 'A', start: 60, end: 69, byUser: true },
  { name: 'B', start: 150, end: 159, byUser: false },
  { name: 'C', start: 190, end: 199, byUser: false },
];
const FAULTS: { from: number; to: number; kind: 'auth' | 'server' | 'rate-limited' | 'timeout' }[] = [
  { from: 100, to: 103, kind: 'auth' },
  { from: 110, to: 113, kind: 'server' },
  { from: 120, to: 123, kind: 'rate-limited' },
  { from: 130, to: 133, kind: 'timeout' },
];
const UNFOCUS = { from: 180, to: 210 };

const gmt3 = (ms: number) => new Date(ms + 3 * 3600_000).toISOString().slice(0, 19) + '+03:00';

/** The server: what the status endpoint answers at a given instant. */
class FakeServer implements StatusSource {
  readonly key = 'soak-project';
  readonly requests: number[] = [];

  constructor(private readonly clock: ManualClock) {}

  faultAt(t: number): (typeof FAULTS)[number]['kind'] | undefined {
    const m = ((t - T0) / MIN) % BLOCK_MIN;
    return FAULTS.find((f) => m >= f.from && m < f.to)?.kind;
  }

  statusAt(t: number): ImportStatus {
    const block = Math.floor((t - T0) / (BLOCK_MIN * MIN));
    const m = ((t - T0) / MIN) % BLOCK_MIN;
    let current: { startMs: number; endMs: number } | undefined;
    for (let b = block; b >= 0 && !current; b--) {
      for (const imp of [...IMPORTS].reverse()) {
        if (b === block && imp.start > m) continue;
        current = { startMs: T0 + (b * BLOCK_MIN + imp.start) * MIN, endMs: T0 + (b * BLOCK_MIN + imp.end) * MIN };
        break;
      }
    }
    const startMs = current?.startMs ?? T0 - 86_400_000;
    const endMs = current?.endMs ?? T0 - 86_000_000;
    const state = t < startMs + 30_000 ? 'initialized' : t < endMs ? 'process' : 'done';
    const progress = state === 'done' ? 100 : state === 'initialized' ? 0 : Math.floor(((t - startMs) / (endMs - startMs)) * 100);
    return parseStatus({
      status: state,
      progress,
      date_created: gmt3(startMs),
      date_updated: gmt3(Math.min(t, endMs)),
      date_completed: state === 'done' ? gmt3(endMs) : '',
      error: null,
      error_code: null,
      result: {
        errors_count: state === 'done' ? 2 : 0,
        total_entities_count: 40,
        errors_by_sku: state === 'done' ? [
          { sku: 'com.example.sword', type: 'virtual_items', error_code: 4055, error_message: '[0401-4055]: Item default price not set' },
          { sku: '', type: null, error_code: 1817, error_message: "[0410-1817]: SKU can't be empty" },
        ] : [],
      },
    });
  }

  fetch(signal: AbortSignal): Promise<ImportStatus> {
    const t = this.clock.now();
    this.requests.push(t);
    switch (this.faultAt(t)) {
      case 'auth':
        return Promise.reject(new ApiError('auth', '[0401-1020]: Error in Authentication method occurred', { httpStatus: 401, serverCode: 1020 }));
      case 'server':
        return Promise.reject(new ApiError('server', 'The Xsolla server failed (HTTP 503).', { httpStatus: 503 }));
      case 'rate-limited':
        return Promise.reject(new ApiError('rate-limited', 'Too many requests (HTTP 429).', { httpStatus: 429, retryAfterMs: RETRY_AFTER_MS }));
      case 'timeout':
        // No answer: the client's own timeout fires, on the same clock.
        return new Promise<ImportStatus>((_, reject) => {
          const h = this.clock.setTimeout(() => reject(new ApiError('timeout', `No answer within ${TIMEOUT_MS / 1000} s.`)), TIMEOUT_MS);
          signal.addEventListener('abort', () => {
            this.clock.clearTimeout(h);
            reject(new ApiError('aborted', 'The request was cancelled.'));
          });
        });
      default:
        return Promise.resolve(this.statusAt(t));
    }
  }
}

/** How many polls fit in `ms` at `interval`, counting one at each end. */
const slots = (ms: number, interval: number) => Math.floor(ms / interval) + 1;

/** Attempts within `ms` of failing, when every attempt fails: 1 + the backoff steps (5 s doubling, capped) that fit. */
function failureAttempts(ms: number): number {
  let n = 1;
  let t = 0;
  for (;;) {
    t += Math.min(MAX_BACKOFF_MS, BASE_BACKOFF_MS * 2 ** (n - 1));
    if (t > ms) return n;
    n++;
  }
}

describe('soak', function () {
  this.timeout(Math.max(20_000, HOURS * 2_000));
  let requests = 0;
  const bounds = { min: 0, max: 0 };

  after(() => {
    console.log(`soak: ${BLOCKS * 4} simulated hours, ${requests} requests`);
    console.log(`soak: request policy bounds [${bounds.min}, ${bounds.max}]`);
  });

  it(`${BLOCKS * 4} simulated hours: bounded timers, listeners, memory and requests`, async () => {
    const gc = (global as { gc?: () => void }).gc;
    gc?.();
    const heapBefore = process.memoryUsage().heapUsed;

    const clock = new ManualClock(T0);
    let seed = 42;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const poller = new Poller({ clock, intervals: () => ({ activeMs: ACTIVE_MS, idleMs: IDLE_MS }), random });
    const server = new FakeServer(clock);

    const kinds = new Map<string, number>();
    const errorKinds = new Map<string, number>();
    const finished: string[] = [];
    const progressSeen = new Set<number>();
    let requestEvents = 0;
    const subs = [
      poller.onDidChangeState((s: PollState) => {
        kinds.set(s.kind, (kinds.get(s.kind) ?? 0) + 1);
        if (s.kind === 'auth-failed' || s.kind === 'unreachable') errorKinds.set(s.errorKind, (errorKinds.get(s.errorKind) ?? 0) + 1);
        if (s.kind === 'ok' && s.status.state === 'process') progressSeen.add(s.status.progress);
      }),
      poller.onImportFinished((s) => finished.push(s.dateCreated!.toISOString())),
      poller.onRequest(() => requestEvents++),
    ];
    const listenersAtStart = poller.listenerCount;
    assert.strictEqual(listenersAtStart, 3);

    poller.setSource(server);
    await clock.advance(0);

    let maxPending = 0;
    const unfocusedWindows: [number, number][] = [];
    const recoveredAfterBurst: number[] = [];
    for (let minute = 0; minute < BLOCKS * BLOCK_MIN; minute++) {
      const m = minute % BLOCK_MIN;
      const now = clock.now();
      if (m === IMPORTS[0].start) await poller.expectImport(); // the user started import A
      if (m === UNFOCUS.from) poller.setFocused(false);
      if (m === UNFOCUS.to) {
        unfocusedWindows.push([now - (UNFOCUS.to - UNFOCUS.from) * MIN, now]);
        poller.setFocused(true);
      }
      if (m === UNFOCUS.from + 1) assert.strictEqual(clock.pending, 0, 'unfocused: no timers');
      await clock.advance(MIN);
      maxPending = Math.max(maxPending, clock.pending);
      if (FAULTS.some((f) => m === f.to + 6)) recoveredAfterBurst.push(poller.state.kind === 'ok' ? 1 : 0);
    }
    requests = server.requests.length;

    // Timers and listeners do not accumulate.
    assert.ok(clock.pending <= 1, `pending timers at the end: ${clock.pending}`);
    assert.ok(maxPending <= 2, `at most the poll timer and one request timeout: ${maxPending}`);
    assert.strictEqual(poller.listenerCount, listenersAtStart);
    assert.strictEqual(requestEvents, requests, 'onRequest fired once per request');

    // No request while unfocused.
    const duringUnfocus = server.requests.filter((t) => unfocusedWindows.some(([a, b]) => t > a && t < b));
    assert.deepStrictEqual(duringUnfocus, [], 'requests while unfocused');
    assert.strictEqual(unfocusedWindows.length, BLOCKS);

    // What the user saw.
    for (const f of FAULTS) assert.ok((errorKinds.get(f.kind) ?? 0) >= 3 * BLOCKS, `fault ${f.kind} shown ${errorKinds.get(f.kind)} times`);
    assert.ok((kinds.get('auth-failed') ?? 0) >= 3 * BLOCKS, 'the auth fault shows as auth-failed');
    assert.ok(!kinds.has('config-error') && !kinds.has('no-credentials'));
    assert.deepStrictEqual(recoveredAfterBurst, new Array(FAULTS.length * BLOCKS).fill(1), 'recovered within 6 min of the end of each fault burst');

    // A user-started import is polled at once, then at the active interval until it is done.
    for (let b = 0; b < BLOCKS; b++) {
      const start = T0 + (b * BLOCK_MIN + IMPORTS[0].start) * MIN;
      const end = T0 + (b * BLOCK_MIN + IMPORTS[0].end) * MIN;
      assert.ok(server.requests.includes(start), `import A of block ${b} polled the moment it was started`);
      const during = [...new Set(server.requests.filter((t) => t >= start && t <= end))].map((t) => t - start);
      const expected = Array.from({ length: Math.floor((end - start) / ACTIVE_MS) + 1 }, (_, i) => i * ACTIVE_MS);
      assert.deepStrictEqual(during, expected, `import A of block ${b} polled every ${ACTIVE_MS / 1000} s`);
    }

    // Backoff within the bursts: gaps grow from 5 s; Retry-After is never undercut.
    for (const f of FAULTS) {
      for (let b = 0; b < BLOCKS; b++) {
        const from = T0 + (b * BLOCK_MIN + f.from) * MIN;
        const inBurst = server.requests.filter((t) => t >= from && t < from + (f.to - f.from) * MIN);
        assert.ok(inBurst.length >= 3, `${f.kind} burst hit ${inBurst.length} times`);
        const gaps = inBurst.slice(1).map((t, i) => t - inBurst[i]);
        const min = f.kind === 'rate-limited' ? RETRY_AFTER_MS : BASE_BACKOFF_MS;
        assert.ok(gaps.every((g) => g >= min), `${f.kind} gaps ${gaps}`);
        assert.ok(gaps.every((g, i) => i === 0 || g >= gaps[i - 1]), `${f.kind} gaps never shrink: ${gaps}`);
      }
    }
    assert.strictEqual(poller.state.kind, 'ok');
    assert.ok(progressSeen.size > 50, `progress followed closely: ${progressSeen.size} distinct values`);
    // Every import finishes once: A and B were seen running, C finished while unfocused and was first seen done.
    assert.strictEqual(finished.length, 3 * BLOCKS, `finished: ${finished.join(', ')}`);
    assert.strictEqual(new Set(finished).size, finished.length, 'never twice for the same import');

    // Requests within the policy.
    const importMs = (IMPORTS[0].end - IMPORTS[0].start) * MIN;
    const faultMs = FAULTS.reduce((a, f) => a + (f.to - f.from) * MIN, 0);
    const unfocusedMs = (UNFOCUS.to - UNFOCUS.from) * MIN;
    const activeMs = 2 * importMs; // A and B; C runs while unfocused
    const idleMs = BLOCK_MIN * MIN - activeMs - faultMs - unfocusedMs;
    const perBlockMax =
      slots(activeMs, ACTIVE_MS) + 2 + // active polling during A and B (+ one poll at each end)
      slots(idleMs, IDLE_MS) + 12 + // idle polling in the idle segments (+ one at each segment boundary)
      FAULTS.reduce((a, f) => a + failureAttempts((f.to - f.from) * MIN) + 1, 0) + // fault bursts: backoff retries
      1 + // the refocus poll
      1; // expectImport's immediate poll
    const maxRequests = BLOCKS * perBlockMax;
    // At least: import A polled at the active interval, and the idle time minus the backoff tails after the bursts.
    const perBlockMin = Math.floor(importMs / ACTIVE_MS) + Math.floor((idleMs - FAULTS.length * (MAX_BACKOFF_MS + IDLE_MS)) / IDLE_MS);
    const minRequests = BLOCKS * perBlockMin;
    bounds.min = minRequests;
    bounds.max = maxRequests;
    assert.ok(requests <= maxRequests, `${requests} requests > policy maximum ${maxRequests}`);
    assert.ok(requests >= minRequests, `${requests} requests < sensible minimum ${minRequests}`);

    // Memory.
    for (const s of subs) s.dispose();
    poller.dispose();
    assert.strictEqual(clock.pending, 0);
    gc?.();
    const growth = process.memoryUsage().heapUsed - heapBefore;
    assert.ok(growth < 20 * 1024 * 1024, `heap grew by ${(growth / 1024 / 1024).toFixed(1)} MB${gc ? '' : ' (no global.gc: rough)'}`);
  });
});
