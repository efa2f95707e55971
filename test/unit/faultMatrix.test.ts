/**
 * Fault matrix: every failure the status endpoint can produce, through the REAL XsollaClient and the REAL
 * Poller against the REAL simulator (HTTP on 127.0.0.1). The poller runs on a ManualClock; only the HTTP
 * (and the client's own timeout) uses real time.
 *
 * For each row: (a) what the user sees (poll state and the status bar from presentStatusBar), (b) that polling
 * goes on with the right delay (5 s after the 1st failure, 10 s after the 2nd, Retry-After respected), and
 * (c) recovery: the fault is cleared, the scheduled poll succeeds and the backoff starts over.
 */
import * as assert from 'assert';
import * as net from 'net';
import { statusRequest, XsollaClient } from '../../src/core/client';
import { flush, ManualClock } from '../../src/core/clock';
import { ApiErrorKind } from '../../src/core/errors';
import { PollState, Poller, StatusSource } from '../../src/core/poller';
import { presentStatusBar } from '../../src/core/presentation';
import { Credentials, ImportStatus } from '../../src/core/types';
import { idleDone } from '../sim/scenarios';
import { Fault, Simulator } from '../sim/simulator';

const PROJECT = 44056;
const KEY = 'Sk-matrix-4Hq8ZtW2nV';
const CREDS: Credentials = { projectId: PROJECT, apiKey: KEY };
const SECRETS = [KEY, Buffer.from(`${PROJECT}:${KEY}`).toString('base64')];
const T0 = 1_700_000_000_000;
const ACTIVE_MS = 3_000;
const IDLE_MS = 60_000;
const STATUS_PATH = statusRequest(PROJECT).path;

type Background = 'error' | 'warning' | undefined;

interface Ctx {
  sim: Simulator;
  other: Simulator;
  closedPort: number;
  /** The client the source uses; a row may swap it while its fault is on. */
  client: XsollaClient;
  simClient: XsollaClient;
}

interface FailureRow {
  name: string;
  /** Turns the fault on for the next `times` requests (default: inject a simulator fault). */
  fault?: Fault;
  apply?: (ctx: Ctx, times: number) => void;
  clear?: (ctx: Ctx) => void;
  /** Whether the requests reach the simulator (false for refused / DNS). */
  reachesSim?: boolean;
  kind: 'auth-failed' | 'unreachable';
  errorKind: ApiErrorKind;
  message?: RegExp;
  /** Expected delay after the 1st and 2nd failure: exact, or a [min, max] range (HTTP-date Retry-After). */
  delays: [number | [number, number], number | [number, number]];
}

interface TolerantRow {
  name: string;
  body: unknown;
  text: string;
  background: Background;
  delay: number;
  note?: RegExp;
  check?: (s: ImportStatus) => void;
}

const VIEW: Record<FailureRow['kind'], { text: string; background: Background }> = {
  'auth-failed': { text: '$(lock) Xsolla: key rejected', background: 'error' },
  unreachable: { text: '$(cloud-offline) Xsolla: unreachable', background: 'warning' },
};

const httpDate = (inMs: number) => new Date(Date.now() + inMs).toUTCString();

const FAILURES: FailureRow[] = [
  {
    name: '401 errorCode 1020 (wrong key, real auth check)',
    apply: (c) => c.sim.setProjects({ [PROJECT]: 'some-other-key-000' }),
    clear: (c) => c.sim.setProjects({ [PROJECT]: KEY }),
    kind: 'auth-failed',
    errorKind: 'auth',
    message: /\[0401-1020\]/,
    delays: [5_000, 10_000],
  },
  { name: '401 errorCode 1501 (header not sent)', fault: { kind: 'status', code: 401, body: { statusCode: 401, errorCode: 1501, errorMessage: '[0401-1501]: Authorization failed: Authorization header not sent' } }, kind: 'auth-failed', errorKind: 'auth', message: /1501/, delays: [5_000, 10_000] },
  { name: '403', fault: { kind: 'status', code: 403 }, kind: 'auth-failed', errorKind: 'forbidden', delays: [5_000, 10_000] },
  { name: '404', fault: { kind: 'status', code: 404 }, kind: 'auth-failed', errorKind: 'not-found', delays: [5_000, 10_000] },
  { name: '429 Retry-After seconds', fault: { kind: 'status', code: 429, headers: { 'Retry-After': '42' } }, kind: 'unreachable', errorKind: 'rate-limited', delays: [42_000, 42_000] },
  { name: '429 Retry-After 2 s (below the backoff)', fault: { kind: 'status', code: 429, headers: { 'Retry-After': '2' } }, kind: 'unreachable', errorKind: 'rate-limited', delays: [5_000, 10_000] },
  {
    name: '429 Retry-After HTTP-date',
    apply: (c, times) => c.sim.injectFault({ kind: 'status', code: 429, headers: { 'Retry-After': httpDate(60_000) } }, times),
    kind: 'unreachable',
    errorKind: 'rate-limited',
    delays: [[55_000, 60_000], [55_000, 60_000]],
  },
  { name: '429 without Retry-After', fault: { kind: 'status', code: 429 }, kind: 'unreachable', errorKind: 'rate-limited', delays: [5_000, 10_000] },
  { name: '500', fault: { kind: 'status', code: 500 }, kind: 'unreachable', errorKind: 'server', message: /HTTP 500/, delays: [5_000, 10_000] },
  { name: '502 HTML', fault: { kind: 'html', code: 502 }, kind: 'unreachable', errorKind: 'server', message: /HTTP 502/, delays: [5_000, 10_000] },
  { name: '503', fault: { kind: 'status', code: 503 }, kind: 'unreachable', errorKind: 'server', delays: [5_000, 10_000] },
  { name: '503 Retry-After 20', fault: { kind: 'status', code: 503, headers: { 'Retry-After': '20' } }, kind: 'unreachable', errorKind: 'server', delays: [20_000, 20_000] },
  {
    name: 'timeout (slow answer, client timeout 200 ms)',
    apply: (c, times) => {
      c.sim.injectFault({ kind: 'slow', ms: 5_000 }, times);
      c.client = new XsollaClient({ baseUrl: c.sim.url, timeoutMs: 200 });
    },
    clear: (c) => {
      c.sim.clearFaults();
      c.client = c.simClient;
    },
    kind: 'unreachable',
    errorKind: 'timeout',
    delays: [5_000, 10_000],
  },
  { name: 'connection reset mid-body', fault: { kind: 'reset' }, kind: 'unreachable', errorKind: 'network', delays: [5_000, 10_000] },
  { name: 'connection closed mid-body (truncated by the server)', fault: { kind: 'truncated' }, kind: 'unreachable', errorKind: 'network', delays: [5_000, 10_000] },
  {
    name: 'connection refused (closed port)',
    apply: (c) => (c.client = new XsollaClient({ baseUrl: `http://127.0.0.1:${c.closedPort}` })),
    clear: (c) => (c.client = c.simClient),
    reachesSim: false,
    kind: 'unreachable',
    errorKind: 'network',
    message: /refused/,
    delays: [5_000, 10_000],
  },
  {
    name: 'DNS failure (nonexistent.invalid)',
    apply: (c) => (c.client = new XsollaClient({ baseUrl: 'https://nonexistent.invalid', timeoutMs: 4_000 })),
    clear: (c) => (c.client = c.simClient),
    reachesSim: false,
    kind: 'unreachable',
    errorKind: 'network',
    message: /DNS|resolved/,
    delays: [5_000, 10_000],
  },
  { name: 'truncated JSON (complete HTTP answer)', fault: { kind: 'raw', body: '{"status":"process","progress":4' }, kind: 'unreachable', errorKind: 'bad-response', delays: [5_000, 10_000] },
  { name: 'non-JSON 200', fault: { kind: 'raw', body: 'OK, all good', contentType: 'text/plain' }, kind: 'unreachable', errorKind: 'bad-response', delays: [5_000, 10_000] },
  { name: 'empty 200', fault: { kind: 'raw', body: '' }, kind: 'unreachable', errorKind: 'bad-response', delays: [5_000, 10_000] },
  { name: 'JSON array', fault: { kind: 'raw', body: '[{"status":"done"}]' }, kind: 'unreachable', errorKind: 'bad-response', message: /array/, delays: [5_000, 10_000] },
  { name: 'JSON null', fault: { kind: 'raw', body: 'null' }, kind: 'unreachable', errorKind: 'bad-response', message: /null/, delays: [5_000, 10_000] },
  { name: 'JSON string', fault: { kind: 'raw', body: '"done"' }, kind: 'unreachable', errorKind: 'bad-response', delays: [5_000, 10_000] },
  { name: '10 MB body (over the 5 MB limit)', fault: { kind: 'huge', bytes: 10 * 1024 * 1024 }, kind: 'unreachable', errorKind: 'too-large', delays: [5_000, 10_000] },
  {
    name: 'redirect to another origin',
    apply: (c, times) => c.sim.injectFault({ kind: 'redirect', location: c.other.url + STATUS_PATH }, times),
    kind: 'unreachable',
    errorKind: 'redirect',
    message: /redirect/,
    delays: [5_000, 10_000],
  },
  { name: '307 redirect', fault: { kind: 'redirect', location: 'https://evil.example/steal', code: 307 }, kind: 'unreachable', errorKind: 'redirect', delays: [5_000, 10_000] },
];

const tolerantBody = (over: Record<string, unknown>) => ({ status: 'process', progress: 45, date_created: '2024-11-19T14:27:31+03:00', error: null, error_code: null, result: { errors_count: 0, total_entities_count: 10, errors_by_sku: [] }, ...over });

const TOLERATED: TolerantRow[] = [
  { name: 'string progress "45"', body: tolerantBody({ progress: '45' }), text: '$(sync~spin) Xsolla: 45%', background: undefined, delay: ACTIVE_MS },
  { name: 'string progress "fast"', body: tolerantBody({ progress: 'fast' }), text: '$(sync~spin) Xsolla: 0%', background: undefined, delay: ACTIVE_MS, note: /progress is not a number/ },
  { name: 'progress 150', body: tolerantBody({ progress: 150 }), text: '$(sync~spin) Xsolla: 100%', background: undefined, delay: ACTIVE_MS, note: /progress 150 out of range/ },
  { name: 'progress -5', body: tolerantBody({ progress: -5 }), text: '$(sync~spin) Xsolla: 0%', background: undefined, delay: ACTIVE_MS, note: /progress -5 out of range/ },
  { name: 'result null', body: tolerantBody({ status: 'done', progress: 100, result: null }), text: '$(check) Xsolla: done', background: undefined, delay: IDLE_MS, check: (s) => assert.deepStrictEqual([s.errorsCount, s.totalEntities, s.errors.length], [0, 0, 0]) },
  {
    name: 'errors_by_sku not an array',
    body: tolerantBody({ status: 'done', progress: 100, result: { errors_count: 2, total_entities_count: 10, errors_by_sku: { sku: 'a' } } }),
    text: '$(check) Xsolla: done, 2 errors',
    background: 'warning',
    delay: IDLE_MS,
    note: /errors_by_sku is not an array/,
    check: (s) => assert.strictEqual(s.errors.length, 0),
  },
  { name: 'unknown status value', body: tolerantBody({ status: 'paused' }), text: '$(question) Xsolla: unknown status', background: 'warning', delay: IDLE_MS, note: /unknown status "paused"/ },
  { name: 'status of the wrong type', body: tolerantBody({ status: 5, progress: 'x', result: [] }), text: '$(question) Xsolla: unknown status', background: 'warning', delay: IDLE_MS, note: /result is not an object/ },
];

function inRange(actual: number | undefined, expected: number | [number, number], what: string): void {
  assert.ok(actual !== undefined, `${what}: a poll must be scheduled`);
  if (typeof expected === 'number') assert.strictEqual(actual, expected, what);
  else assert.ok(actual >= expected[0] && actual <= expected[1], `${what}: ${actual} not in [${expected}]`);
}

function assertNoSecret(text: string, what: string): void {
  for (const s of SECRETS) assert.ok(!text.includes(s), `${what} leaks the key`);
}

describe('fault matrix: real client + real poller + simulator', function () {
  this.timeout(20_000);
  let rows = 0;
  const ctx = {} as Ctx;

  before(async () => {
    ctx.sim = await Simulator.start({ projects: { [PROJECT]: KEY } });
    ctx.other = await Simulator.start({ projects: { [PROJECT]: KEY } });
    ctx.simClient = new XsollaClient({ baseUrl: ctx.sim.url });
    const probe = net.createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', () => r()));
    ctx.closedPort = (probe.address() as net.AddressInfo).port;
    await new Promise<void>((r) => probe.close(() => r()));
  });

  after(async () => {
    await ctx.sim?.close();
    await ctx.other?.close();
    console.log(`fault matrix: ${rows} rows`);
  });

  let poller: Poller | undefined;
  let clock: ManualClock;
  afterEach(() => {
    poller?.dispose();
    assert.strictEqual(clock.pending, 0, 'no timers left after dispose');
    poller = undefined;
  });

  /** Builds a poller on a ManualClock whose source is the real client (whichever ctx.client is at the time). */
  function rig() {
    ctx.sim.reset();
    ctx.sim.setProjects({ [PROJECT]: KEY });
    ctx.sim.setScenario(idleDone());
    ctx.other.reset();
    ctx.client = ctx.simClient;
    clock = new ManualClock(T0);
    const p = new Poller({ clock, intervals: () => ({ activeMs: ACTIVE_MS, idleMs: IDLE_MS }), random: () => 0.5 });
    poller = p;
    let inflight: Promise<unknown> | undefined;
    const source: StatusSource = {
      key: `${PROJECT}`,
      fetch: (signal) => {
        const req = ctx.client.getStatus(CREDS, signal);
        inflight = req;
        return req;
      },
    };
    /** Waits for the poll a timer started: its real HTTP request and the poller's handling of the answer. */
    const settle = async () => {
      await flush();
      while (inflight) {
        const req = inflight;
        await req.then(
          () => undefined,
          () => undefined,
        );
        if (inflight === req) inflight = undefined;
        await flush();
      }
    };
    const delay = () => (p.scheduledAt === undefined ? undefined : p.scheduledAt - clock.now());
    const toNext = async () => {
      const d = delay();
      assert.ok(d !== undefined, 'a poll must be scheduled');
      await clock.advance(d, settle);
    };
    const start = async () => {
      p.setSource(source);
      await settle();
    };
    return { p, settle, delay, toNext, start };
  }

  function assertFailureView(state: PollState, row: FailureRow, failures: number): void {
    assert.strictEqual(state.kind, row.kind, `state of ${row.name}: ${JSON.stringify(state)}`);
    if (state.kind !== 'auth-failed' && state.kind !== 'unreachable') return;
    assert.strictEqual(state.errorKind, row.errorKind, `${row.name}: ${state.message}`);
    if (row.message) assert.match(state.message, row.message);
    if (state.kind === 'unreachable') assert.strictEqual(state.failures, failures);
    const view = presentStatusBar(state, { projectId: PROJECT });
    assert.strictEqual(view.text, VIEW[row.kind].text);
    assert.strictEqual(view.background, VIEW[row.kind].background);
    assertNoSecret(JSON.stringify(state) + view.tooltip + view.accessibilityLabel, row.name);
  }

  describe('failures: state, backoff, recovery', () => {
    for (const row of FAILURES) {
      it(row.name, async () => {
        rows++;
        const r = rig();
        const apply = (times: number) => (row.apply ? row.apply(ctx, times) : ctx.sim.injectFault(row.fault!, times));
        const clear = () => (row.clear ? row.clear(ctx) : ctx.sim.clearFaults());
        const reaches = row.reachesSim !== false;
        const count = () => ctx.sim.statusRequestCount();

        apply(2);
        await r.start();
        assert.strictEqual(count(), reaches ? 1 : 0, 'one request per poll');
        assertFailureView(r.p.state, row, 1);
        inRange(r.delay(), row.delays[0], 'delay after the 1st failure');
        const state1 = r.p.state;
        if (state1.kind === 'unreachable' || state1.kind === 'auth-failed') assert.strictEqual(state1.retryAt, r.p.scheduledAt);

        // Nothing happens before the scheduled time.
        await r.toNext();
        assert.strictEqual(count(), reaches ? 2 : 0, 'one more request, at the scheduled time');
        assertFailureView(r.p.state, row, 2);
        inRange(r.delay(), row.delays[1], 'delay after the 2nd failure');

        // Recovery.
        clear();
        await r.toNext();
        const ok = r.p.state;
        assert.strictEqual(ok.kind, 'ok', `recovered: ${JSON.stringify(ok)}`);
        assert.strictEqual(count(), reaches ? 3 : 1);
        const view = presentStatusBar(ok);
        assert.strictEqual(view.text, '$(check) Xsolla: done');
        assert.strictEqual(view.background, undefined);
        assert.strictEqual(r.delay(), IDLE_MS, 'back to the idle interval');

        // The backoff starts over: the next failure waits as long as the first one did.
        apply(1);
        await r.toNext();
        assertFailureView(r.p.state, row, 1);
        inRange(r.delay(), row.delays[0], 'delay after a failure following recovery');
        assert.strictEqual(r.p.lastStatus?.state, 'done', 'the last good status is kept');
        clear();

        if (row.errorKind === 'redirect') assert.strictEqual(ctx.other.requests.length, 0, 'the redirect target was never contacted');
        assert.strictEqual(clock.pending, 1, 'exactly one timer');
      });
    }
  });

  describe('tolerated 200 bodies: state ok, values clamped, notes kept', () => {
    for (const row of TOLERATED) {
      it(row.name, async () => {
        rows++;
        const r = rig();
        ctx.sim.injectFault({ kind: 'raw', body: JSON.stringify(row.body) });
        await r.start();
        const state = r.p.state;
        assert.strictEqual(state.kind, 'ok', JSON.stringify(state));
        if (state.kind !== 'ok') return;
        const view = presentStatusBar(state);
        assert.strictEqual(view.text, row.text);
        assert.strictEqual(view.background, row.background);
        assert.ok(Number.isInteger(state.status.progress) && state.status.progress >= 0 && state.status.progress <= 100);
        if (row.note) assert.ok(state.status.notes.some((n) => row.note!.test(n)), JSON.stringify(state.status.notes));
        row.check?.(state.status);
        assert.strictEqual(r.delay(), row.delay, 'polling goes on at the normal interval');

        await r.toNext();
        assert.strictEqual(r.p.state.kind, 'ok');
        assert.strictEqual(presentStatusBar(r.p.state).text, '$(check) Xsolla: done');
        assert.strictEqual(ctx.sim.statusRequestCount(), 2);
        assert.strictEqual(r.delay(), IDLE_MS);
      });
    }
  });
});
