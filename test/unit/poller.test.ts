import * as assert from 'assert';
import { ManualClock } from '../../src/core/clock';
import { ApiError } from '../../src/core/errors';
import { BASE_BACKOFF_MS, MAX_BACKOFF_MS, PollState, Poller, PollerIntervals, StatusSource } from '../../src/core/poller';
import { parseStatus } from '../../src/core/status';
import { ImportStatus } from '../../src/core/types';

const T0 = 1_700_000_000_000;
const ACTIVE_MS = 3_000;
const IDLE_MS = 60_000;
const CREATED_A = '2024-11-19T14:27:31+03:00';
const CREATED_B = '2024-11-19T16:00:00+03:00';

/** A status as the client would return it (built by the real parser). */
function st(state: string, over: Record<string, unknown> = {}): ImportStatus {
  return parseStatus({
    status: state,
    progress: state === 'done' ? 100 : state === 'initialized' ? 0 : 40,
    date_created: CREATED_A,
    date_completed: state === 'done' || state === 'error' ? '2024-11-19T15:00:00+03:00' : '',
    error: null,
    error_code: null,
    result: { errors_count: 0, total_entities_count: 10, errors_by_sku: [] },
    ...over,
  });
}

const serverError = () => new ApiError('server', 'The Xsolla server failed (HTTP 500).', { httpStatus: 500 });

type Reply = ImportStatus | Error | 'hang';

interface Hanging {
  resolve(s: ImportStatus): void;
  reject(e: unknown): void;
}

/** In-memory StatusSource: answers from a queue (then `fallback`), records calls and their signals. */
class FakeSource implements StatusSource {
  calls = 0;
  readonly signals: AbortSignal[] = [];
  readonly callTimes: number[] = [];
  private readonly queue: Reply[] = [];
  hanging: Hanging | undefined;

  constructor(
    readonly key: string,
    public fallback: Reply,
    private readonly clock: ManualClock,
  ) {}

  push(...r: Reply[]): this {
    this.queue.push(...r);
    return this;
  }

  fetch(signal: AbortSignal): Promise<ImportStatus> {
    this.calls++;
    this.signals.push(signal);
    this.callTimes.push(this.clock.now());
    const r = this.queue.length > 0 ? this.queue.shift()! : this.fallback;
    if (r === 'hang') {
      return new Promise<ImportStatus>((resolve, reject) => {
        this.hanging = { resolve, reject };
        signal.addEventListener('abort', () => reject(new ApiError('aborted', 'The request was cancelled.')));
      });
    }
    if (r instanceof Error) return Promise.reject(r);
    return Promise.resolve(r);
  }
}

interface Rig {
  clock: ManualClock;
  poller: Poller;
  intervals: { activeMs: number; idleMs: number };
  states: PollState[];
  finished: ImportStatus[];
  errors: unknown[];
  src(fallback: Reply, key?: string): FakeSource;
  /** scheduledAt − now, or undefined when nothing is scheduled. */
  delay(): number | undefined;
  /** Advances to the scheduled poll. */
  toNext(): Promise<void>;
}

let rigs: Rig[] = [];

function rig(opts: { idleMs?: number; activeMs?: number; random?: () => number } = {}): Rig {
  const clock = new ManualClock(T0);
  const intervals = { activeMs: opts.activeMs ?? ACTIVE_MS, idleMs: opts.idleMs ?? IDLE_MS };
  const errors: unknown[] = [];
  const poller = new Poller({ clock, intervals: (): PollerIntervals => ({ ...intervals }), random: opts.random ?? (() => 0.5), onError: (e) => errors.push(e) });
  const states: PollState[] = [];
  const finished: ImportStatus[] = [];
  poller.onDidChangeState((s) => states.push(s));
  poller.onImportFinished((s) => finished.push(s));
  const r: Rig = {
    clock,
    poller,
    intervals,
    states,
    finished,
    errors,
    src: (fallback, key = 'project-1') => new FakeSource(key, fallback, clock),
    delay: () => (poller.scheduledAt === undefined ? undefined : poller.scheduledAt - clock.now()),
    toNext: async () => {
      const at = poller.scheduledAt;
      assert.ok(at !== undefined, 'a poll should be scheduled');
      await clock.advance(at - clock.now());
    },
  };
  rigs.push(r);
  return r;
}

/** Sets the source and lets its first poll finish. */
async function start(r: Rig, s: FakeSource): Promise<void> {
  r.poller.setSource(s);
  await r.clock.advance(0);
}

function failuresOf(r: Rig): number | undefined {
  const s = r.poller.state;
  return s.kind === 'unreachable' ? s.failures : undefined;
}

function kind(r: Rig): PollState['kind'] {
  return r.poller.state.kind;
}

describe('Poller', () => {
  afterEach(() => {
    for (const r of rigs) r.poller.dispose();
    for (const r of rigs) assert.strictEqual(r.clock.pending, 0, 'dispose leaves no timers');
    rigs = [];
  });

  describe('intervals', () => {
    it('polls at the active interval while an import runs and at the idle interval otherwise', async () => {
      const r = rig();
      const s = r.src(st('process'));
      await start(r, s);
      assert.deepStrictEqual(r.states.map((x) => x.kind), ['loading', 'ok']);
      assert.strictEqual(s.calls, 1);
      assert.strictEqual(r.delay(), ACTIVE_MS);

      await r.clock.advance(ACTIVE_MS - 1);
      assert.strictEqual(s.calls, 1, 'not before the active interval');
      await r.clock.advance(1);
      assert.strictEqual(s.calls, 2);
      assert.strictEqual(r.delay(), ACTIVE_MS);

      s.fallback = st('done');
      await r.toNext();
      assert.strictEqual(s.calls, 3);
      assert.strictEqual(r.delay(), IDLE_MS, 'done → idle interval');
      await r.clock.advance(IDLE_MS - 1);
      assert.strictEqual(s.calls, 3);
      await r.clock.advance(1);
      assert.strictEqual(s.calls, 4);
      assert.deepStrictEqual(s.callTimes.map((t) => t - T0), [0, 3_000, 6_000, 66_000]);
    });

    it('initialized counts as active; error and unknown count as idle', async () => {
      for (const [state, expected] of [['initialized', ACTIVE_MS], ['error', IDLE_MS], ['surprise', IDLE_MS]] as const) {
        const r = rig();
        await start(r, r.src(st(state)));
        assert.strictEqual(r.delay(), expected, state);
      }
    });

    it('never polls faster than once a second, whatever the settings say', async () => {
      const r = rig({ activeMs: 10, idleMs: 20 });
      const s = r.src(st('process'));
      await start(r, s);
      assert.strictEqual(r.delay(), 1_000);
      s.fallback = st('done');
      await r.toNext();
      assert.strictEqual(r.delay(), 1_000);
    });

    it('idle interval 0: no polling until refresh(), but an active import is still followed', async () => {
      const r = rig({ idleMs: 0 });
      const s = r.src(st('done'));
      await start(r, s);
      assert.strictEqual(kind(r), 'ok');
      assert.strictEqual(r.poller.scheduledAt, undefined);
      assert.strictEqual(r.clock.pending, 0);
      await r.clock.advance(24 * 3600_000);
      assert.strictEqual(s.calls, 1, 'nothing in a day');

      s.fallback = st('process');
      await r.poller.refresh();
      assert.strictEqual(s.calls, 2);
      assert.strictEqual(r.delay(), ACTIVE_MS, 'a running import is polled at the active interval');
      s.fallback = st('done');
      await r.toNext();
      assert.strictEqual(s.calls, 3);
      assert.strictEqual(r.poller.scheduledAt, undefined, 'back to no polling once it is done');
      assert.strictEqual(r.clock.pending, 0);
    });

    it('reschedule() applies changed intervals, counting the time already waited', async () => {
      const r = rig();
      const s = r.src(st('done'));
      await start(r, s);
      assert.strictEqual(r.poller.scheduledAt, T0 + IDLE_MS);

      await r.clock.advance(20_000);
      r.intervals.idleMs = 30_000;
      r.poller.reschedule();
      assert.strictEqual(r.poller.scheduledAt, T0 + 30_000, 'due 30 s after the last poll');
      assert.strictEqual(r.clock.pending, 1, 'the old timer is replaced, not added to');

      r.intervals.idleMs = 0;
      r.poller.reschedule();
      assert.strictEqual(r.poller.scheduledAt, undefined);
      assert.strictEqual(r.clock.pending, 0);

      r.intervals.idleMs = 10_000;
      r.poller.reschedule();
      assert.strictEqual(r.poller.scheduledAt, r.clock.now(), 'already overdue → at once');
      await r.clock.advance(0);
      assert.strictEqual(s.calls, 2);
      assert.strictEqual(r.delay(), 10_000);

      r.intervals.idleMs = 120_000;
      r.poller.reschedule();
      assert.strictEqual(r.delay(), 120_000);
      await r.clock.advance(119_999);
      assert.strictEqual(s.calls, 2);
      await r.clock.advance(1);
      assert.strictEqual(s.calls, 3);
    });
  });

  describe('failures', () => {
    it('backs off exponentially from 5 s, doubling, capped at 5 min', async () => {
      const r = rig();
      const s = r.src(serverError());
      await start(r, s);
      const delays: number[] = [];
      const failures: number[] = [];
      for (let i = 0; i < 10; i++) {
        const state = r.poller.state;
        assert.strictEqual(state.kind, 'unreachable');
        if (state.kind === 'unreachable') {
          failures.push(state.failures);
          assert.strictEqual(state.retryAt, r.poller.scheduledAt, 'the state tells when the retry is due');
        }
        delays.push(r.delay()!);
        await r.toNext();
      }
      assert.strictEqual(BASE_BACKOFF_MS, 5_000);
      assert.strictEqual(MAX_BACKOFF_MS, 300_000);
      assert.deepStrictEqual(delays, [5_000, 10_000, 20_000, 40_000, 80_000, 160_000, 300_000, 300_000, 300_000, 300_000]);
      assert.deepStrictEqual(failures, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
      assert.strictEqual(s.calls, 11);
      assert.strictEqual(r.clock.pending, 1);
    });

    it('honours Retry-After: never sooner, even beyond the backoff cap', async () => {
      const r = rig();
      const limited = (ms: number) => new ApiError('rate-limited', 'Too many requests (HTTP 429).', { httpStatus: 429, retryAfterMs: ms });
      const s = r.src(st('done')).push(limited(42_000), limited(1_000), limited(3_600_000), serverError());
      await start(r, s);
      assert.strictEqual(kind(r), 'unreachable');
      assert.strictEqual(r.delay(), 42_000, 'Retry-After 42 s > backoff 5 s');
      await r.clock.advance(41_999);
      assert.strictEqual(s.calls, 1, 'not before Retry-After');
      await r.clock.advance(1);
      assert.strictEqual(s.calls, 2);
      assert.strictEqual(r.delay(), 10_000, 'Retry-After 1 s < backoff 10 s → backoff');
      await r.toNext();
      assert.strictEqual(r.delay(), 3_600_000, 'a Retry-After longer than the cap is honoured');
      const state = r.poller.state;
      assert.ok(state.kind === 'unreachable' && state.errorKind === 'rate-limited' && state.retryAt === r.poller.scheduledAt);
      await r.toNext();
      assert.strictEqual(r.delay(), 40_000, 'a later failure without Retry-After uses plain backoff (4th failure)');
      await r.toNext();
      assert.strictEqual(kind(r), 'ok');
    });

    for (const [errorKind, httpStatus] of [['auth', 401], ['forbidden', 403], ['not-found', 404]] as const) {
      it(`${errorKind} (HTTP ${httpStatus}) → auth-failed, last status kept, retried with backoff`, async () => {
        const r = rig();
        const good = st('done');
        const s = r.src(good);
        await start(r, s);
        s.fallback = new ApiError(errorKind, `[0401-1020]: refused ${httpStatus}`, { httpStatus, serverCode: 1020 });
        await r.toNext();
        const state = r.poller.state;
        assert.strictEqual(state.kind, 'auth-failed');
        if (state.kind !== 'auth-failed') return;
        assert.strictEqual(state.errorKind, errorKind);
        assert.strictEqual(state.message, `[0401-1020]: refused ${httpStatus}`);
        assert.strictEqual(state.lastStatus, good);
        assert.strictEqual(r.poller.lastStatus, good);
        assert.strictEqual(r.delay(), 5_000);
        assert.strictEqual(state.retryAt, r.poller.scheduledAt);
        await r.toNext();
        assert.strictEqual(r.delay(), 10_000);
        assert.strictEqual(kind(r), 'auth-failed');
      });
    }

    it('a config error stops polling until refresh()', async () => {
      const r = rig();
      const s = r.src(new ApiError('config', 'The project ID must be a positive integer.'));
      await start(r, s);
      const state = r.poller.state;
      assert.deepStrictEqual(state, { kind: 'config-error', message: 'The project ID must be a positive integer.' });
      assert.strictEqual(r.poller.scheduledAt, undefined);
      assert.strictEqual(r.clock.pending, 0);
      await r.clock.advance(3600_000);
      assert.strictEqual(s.calls, 1);

      s.fallback = st('done');
      await r.poller.refresh();
      assert.strictEqual(kind(r), 'ok');
      assert.strictEqual(r.delay(), IDLE_MS);
    });

    it('an unexpected exception becomes unreachable/bad-response and is reported to onError', async () => {
      const r = rig();
      const boom = new TypeError('boom');
      await start(r, r.src(boom));
      const state = r.poller.state;
      assert.ok(state.kind === 'unreachable' && state.errorKind === 'bad-response', JSON.stringify(state));
      assert.deepStrictEqual(r.errors, [boom]);
      assert.strictEqual(r.delay(), 5_000);
    });

    it('keeps the last good status through failures of every kind', async () => {
      const r = rig();
      const good = st('process', { progress: 45 });
      const s = r.src(good).push(
        good,
        new ApiError('timeout', 'No answer within 15 s.'),
        new ApiError('network', 'Connection refused by the server.'),
        new ApiError('auth', 'rejected'),
        new ApiError('bad-response', 'not JSON'),
        new ApiError('too-large', 'too large'),
      );
      await start(r, s);
      const seen: (ImportStatus | undefined)[] = [];
      for (let i = 0; i < 5; i++) {
        await r.toNext();
        const state = r.poller.state;
        assert.ok(state.kind === 'unreachable' || state.kind === 'auth-failed', state.kind);
        seen.push(state.kind === 'unreachable' || state.kind === 'auth-failed' ? state.lastStatus : undefined);
        assert.strictEqual(r.poller.lastStatus, good);
      }
      assert.ok(seen.every((x) => x === good));
    });

    it('a success resets the backoff', async () => {
      const r = rig();
      const s = r.src(st('done')).push(serverError(), serverError(), serverError());
      await start(r, s);
      const delays = [r.delay()];
      await r.toNext();
      delays.push(r.delay());
      await r.toNext();
      delays.push(r.delay());
      await r.toNext();
      assert.strictEqual(kind(r), 'ok');
      delays.push(r.delay());
      assert.deepStrictEqual(delays, [5_000, 10_000, 20_000, IDLE_MS]);

      s.push(serverError());
      await r.toNext();
      assert.ok(r.poller.state.kind === 'unreachable' && r.poller.state.failures === 1);
      assert.strictEqual(r.delay(), 5_000, 'backoff starts over, not at 40 s');
    });
  });

  describe('focus', () => {
    it('unfocused: no timers, no requests', async () => {
      const r = rig();
      const s = r.src(st('process'));
      await start(r, s);
      r.poller.setFocused(false);
      assert.strictEqual(r.poller.isFocused, false);
      assert.strictEqual(r.poller.scheduledAt, undefined);
      assert.strictEqual(r.clock.pending, 0);
      await r.clock.advance(10 * 3600_000);
      assert.strictEqual(s.calls, 1);
    });

    it('refocus when stale: polls after a jitter below 1 s from the injected random', async () => {
      for (const rnd of [0, 0.37, 0.999]) {
        const r = rig({ random: () => rnd });
        const s = r.src(st('done'));
        await start(r, s);
        await r.clock.advance(1_000);
        r.poller.setFocused(false);
        await r.clock.advance(2 * 3600_000);
        assert.strictEqual(s.calls, 1);
        r.poller.setFocused(true);
        const jitter = Math.floor(rnd * 1000);
        assert.strictEqual(r.delay(), jitter, `random ${rnd}`);
        assert.ok(r.delay()! < 1_000);
        if (jitter > 0) {
          await r.clock.advance(jitter - 1);
          assert.strictEqual(s.calls, 1);
        }
        await r.clock.advance(jitter > 0 ? 1 : 0);
        assert.strictEqual(s.calls, 2, `polled after the jitter (random ${rnd})`);
        assert.strictEqual(r.delay(), IDLE_MS);
      }
    });

    it('refocus when fresh: waits the rest of the interval', async () => {
      const r = rig();
      const s = r.src(st('done'));
      await start(r, s);
      await r.clock.advance(10_000);
      r.poller.setFocused(false);
      await r.clock.advance(15_000);
      r.poller.setFocused(true);
      assert.strictEqual(r.poller.scheduledAt, T0 + IDLE_MS, 'due one idle interval after the last poll');
      assert.strictEqual(r.clock.pending, 1);
      await r.clock.advance(IDLE_MS - 25_000 - 1);
      assert.strictEqual(s.calls, 1);
      await r.clock.advance(1);
      assert.strictEqual(s.calls, 2);
    });

    it('refocus with idle interval 0 and a finished import schedules nothing', async () => {
      const r = rig({ idleMs: 0 });
      const s = r.src(st('done'));
      await start(r, s);
      r.poller.setFocused(false);
      await r.clock.advance(3600_000);
      r.poller.setFocused(true);
      assert.strictEqual(r.clock.pending, 0);
      assert.strictEqual(s.calls, 1);
    });

    it('a request that finishes while unfocused schedules nothing', async () => {
      const r = rig();
      const s = r.src('hang');
      r.poller.setSource(s);
      await r.clock.advance(0);
      r.poller.setFocused(false);
      s.hanging!.resolve(st('process'));
      await r.clock.advance(0);
      assert.strictEqual(kind(r), 'ok');
      assert.strictEqual(r.clock.pending, 0);
      assert.strictEqual(r.poller.scheduledAt, undefined);
    });
  });

  describe('in-flight request', () => {
    it('at most one request: refresh() while in flight shares the promise', async () => {
      const r = rig();
      const s = r.src('hang');
      r.poller.setSource(s);
      const p1 = r.poller.refresh();
      const p2 = r.poller.refresh();
      const p3 = r.poller.expectImport();
      assert.strictEqual(p1, p2);
      assert.strictEqual(p1, p3);
      await r.clock.advance(60_000);
      assert.strictEqual(s.calls, 1, 'source.fetch called once');
      assert.strictEqual(r.poller.scheduledAt, undefined, 'no timer while a request is in flight');
      r.poller.reschedule();
      assert.strictEqual(r.poller.scheduledAt, undefined, 'reschedule waits for the request');
      s.hanging!.resolve(st('done'));
      await p1;
      assert.strictEqual(kind(r), 'ok');
      assert.strictEqual(s.calls, 1);
      assert.strictEqual(r.clock.pending, 1);
    });

    it('dispose aborts the in-flight request and leaves no timers or listeners', async () => {
      const r = rig();
      const s = r.src('hang');
      r.poller.setSource(s);
      await r.clock.advance(0);
      assert.strictEqual(s.signals[0].aborted, false);
      const statesBefore = r.states.length;
      r.poller.dispose();
      assert.strictEqual(s.signals[0].aborted, true);
      assert.strictEqual(r.clock.pending, 0);
      assert.strictEqual(r.poller.listenerCount, 0);
      await r.clock.advance(3600_000);
      assert.strictEqual(r.states.length, statesBefore, 'no state changes after dispose');
      await r.poller.refresh();
      r.poller.setSource(r.src(st('done'), 'other'));
      assert.strictEqual(s.calls, 1);
      assert.strictEqual(r.clock.pending, 0);
    });

    it('dispose clears a scheduled timer', async () => {
      const r = rig();
      await start(r, r.src(st('process')));
      assert.strictEqual(r.clock.pending, 1);
      r.poller.dispose();
      assert.strictEqual(r.clock.pending, 0);
      assert.strictEqual(r.poller.scheduledAt, undefined);
    });
  });

  describe('setSource', () => {
    it('undefined → no-credentials, no timers, in-flight request aborted', async () => {
      const r = rig();
      const s = r.src(st('process'));
      await start(r, s);
      assert.strictEqual(r.clock.pending, 1);
      s.fallback = 'hang';
      await r.toNext();
      assert.strictEqual(s.calls, 2);
      r.poller.setSource(undefined);
      assert.deepStrictEqual(r.poller.state, { kind: 'no-credentials' });
      assert.strictEqual(s.signals[1].aborted, true);
      assert.strictEqual(r.clock.pending, 0);
      assert.strictEqual(r.poller.lastStatus, undefined);
      s.hanging!.resolve(st('done'));
      await r.clock.advance(3600_000);
      assert.strictEqual(kind(r), 'no-credentials', 'a late answer does not resurrect the state');
      assert.strictEqual(s.calls, 2);
      assert.strictEqual(r.clock.pending, 0);
    });

    it('the same key is a no-op', async () => {
      const r = rig();
      const s = r.src(st('done'));
      await start(r, s);
      await r.clock.advance(10_000);
      const before = { at: r.poller.scheduledAt, state: r.poller.state, n: r.states.length };
      const twin = r.src(st('process'));
      r.poller.setSource(twin);
      await r.clock.advance(0);
      assert.strictEqual(twin.calls, 0);
      assert.strictEqual(s.calls, 1);
      assert.strictEqual(r.poller.scheduledAt, before.at);
      assert.strictEqual(r.poller.state, before.state);
      assert.strictEqual(r.states.length, before.n);
      await r.clock.advance(50_000);
      assert.strictEqual(s.calls, 2, 'the original source keeps being polled');
    });

    it('a new key starts over: loading, fresh backoff, no old status', async () => {
      const r = rig();
      const a = r.src(serverError(), 'a');
      await start(r, a);
      await r.toNext();
      assert.strictEqual(failuresOf(r), 2);
      const b = r.src(st('done'), 'b').push(serverError());
      r.poller.setSource(b);
      assert.strictEqual(kind(r), 'loading');
      await r.clock.advance(0);
      assert.strictEqual(failuresOf(r), 1);
      assert.strictEqual(r.delay(), 5_000);
      assert.strictEqual(a.calls, 2);
      assert.strictEqual(b.calls, 1);
    });
  });

  describe('expectImport', () => {
    it('polls at the active interval at once, before the server reports the new import, for at most a minute', async () => {
      const r = rig();
      const s = r.src(st('done'));
      await start(r, s);
      assert.strictEqual(r.delay(), IDLE_MS);
      await r.clock.advance(5_000);
      const at = r.clock.now();
      await r.poller.expectImport();
      assert.strictEqual(s.calls, 2, 'polled at once');
      assert.strictEqual(r.delay(), ACTIVE_MS, 'old import still done, but polled at the active interval');
      await r.clock.advance(60_000);
      assert.strictEqual(s.calls, 2 + 20, 'every 3 s for the minute');
      assert.strictEqual(r.clock.now() - at, 60_000);
      assert.strictEqual(r.delay(), IDLE_MS, 'gives up expecting after a minute');
    });

    it('once the import shows up, its state drives the interval', async () => {
      const r = rig();
      const s = r.src(st('done'));
      await start(r, s);
      s.fallback = st('process', { date_created: CREATED_B });
      await r.poller.expectImport();
      assert.strictEqual(r.delay(), ACTIVE_MS);
      s.fallback = st('done', { date_created: CREATED_B });
      await r.toNext();
      assert.strictEqual(r.delay(), IDLE_MS, 'done → idle, the expectation ended when the import was seen');
      assert.strictEqual(r.finished.length, 1);
    });

    it('a new import that is already done when first seen ends the expectation', async () => {
      const r = rig();
      const s = r.src(st('done'));
      await start(r, s);
      s.fallback = st('done', { date_created: CREATED_B });
      await r.poller.expectImport();
      assert.strictEqual(r.delay(), IDLE_MS, 'no minute of active polling for an import that already finished');
      assert.strictEqual(r.finished.length, 1, 'and it is announced once');
    });
  });

  describe('onImportFinished', () => {
    async function run(replies: Reply[]): Promise<Rig> {
      const r = rig();
      const s = r.src(replies[replies.length - 1]).push(...replies);
      await start(r, s);
      for (let i = 1; i < replies.length; i++) await r.toNext();
      assert.strictEqual(s.calls, replies.length);
      return r;
    }

    it('the first status seen never fires (history, not news)', async () => {
      for (const first of ['done', 'error']) {
        const r = await run([st(first), st(first), st(first)]);
        assert.strictEqual(r.finished.length, 0, first);
      }
    });

    it('active → done fires once; repeated done polls do not re-fire', async () => {
      const done = st('done', { result: { errors_count: 1, total_entities_count: 10, errors_by_sku: [{ sku: 'x', type: 'bundle', error_code: 1, error_message: 'm' }] } });
      const r = await run([st('initialized'), st('process'), done, st('done'), st('done'), st('done')]);
      assert.strictEqual(r.finished.length, 1);
      assert.strictEqual(r.finished[0], done);
    });

    it('active → error fires once', async () => {
      const r = await run([st('process'), st('error'), st('error')]);
      assert.deepStrictEqual(r.finished.map((s) => s.state), ['error']);
    });

    it('a first status that is active does not fire, its end does', async () => {
      const r = await run([st('process'), st('process')]);
      assert.strictEqual(r.finished.length, 0);
      const r2 = await run([st('process'), st('process'), st('done')]);
      assert.strictEqual(r2.finished.length, 1);
    });

    it('failures between active and done do not lose the finish', async () => {
      const r = await run([st('process'), serverError(), new ApiError('timeout', 't'), st('done'), st('done')]);
      assert.strictEqual(r.finished.length, 1);
    });

    it('a new import (new date_created) already done when first seen fires, once', async () => {
      const b = st('done', { date_created: CREATED_B });
      const r = await run([st('done'), st('done'), b, st('done', { date_created: CREATED_B })]);
      assert.deepStrictEqual(r.finished, [b]);
    });

    it('an import that flips back to running and finishes again is announced once', async () => {
      const r = await run([st('process'), st('done'), st('process'), st('done'), st('done')]);
      assert.strictEqual(r.finished.length, 1);
    });

    it('a stale answer that brings back an older, already finished import does not announce it', async () => {
      const b = st('done', { date_created: CREATED_B });
      const r = await run([st('done'), b, st('done'), b, st('done')]);
      assert.deepStrictEqual(r.finished, [b], 'only B, the import that was new; A was history');
    });

    it('two imports seen running fire twice in total', async () => {
      const r = await run([st('done'), st('process', { date_created: CREATED_B }), st('done', { date_created: CREATED_B }), st('process', { date_created: '2024-11-20T10:00:00+03:00' }), st('error', { date_created: '2024-11-20T10:00:00+03:00' }), st('error', { date_created: '2024-11-20T10:00:00+03:00' })]);
      assert.deepStrictEqual(r.finished.map((s) => [s.state, s.dateCreated?.toISOString()]), [
        ['done', '2024-11-19T13:00:00.000Z'],
        ['error', '2024-11-20T07:00:00.000Z'],
      ]);
    });

    it('a listener that throws does not break polling; the error goes to onError', async () => {
      const r = rig();
      const bad = new Error('listener failed');
      r.poller.onImportFinished(() => {
        throw bad;
      });
      const s = r.src(st('done')).push(st('process'));
      await start(r, s);
      await r.toNext();
      assert.strictEqual(r.finished.length, 1);
      assert.deepStrictEqual(r.errors, [bad]);
      assert.strictEqual(r.delay(), IDLE_MS);
    });
  });
});
