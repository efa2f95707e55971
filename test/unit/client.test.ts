import * as assert from 'assert';
import * as http from 'http';
import { AddressInfo } from 'net';
import { authorization, ClientOptions, parseRetryAfter, statusRequest, XsollaClient } from '../../src/core/client';
import { ApiError, ApiErrorKind } from '../../src/core/errors';
import { Credentials } from '../../src/core/types';
import { DEMO_ERRORS, failedImport, idleDone, progressingImport, quirkyImport } from '../sim/scenarios';
import { Fault, Simulator } from '../sim/simulator';

const PROJECT = 44056;
const KEY = 'Sk-unit-9f3Qx7LmA2b8';
const CREDS: Credentials = { projectId: PROJECT, apiKey: KEY };
const STATUS_PATH = statusRequest(PROJECT).path;

const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');
const secretsOf = (c: Credentials) => [c.apiKey, b64(c.apiKey), b64(`${c.projectId}:${c.apiKey}`)];

function assertNoSecret(e: ApiError, used: Credentials): void {
  const dump = JSON.stringify({ m: e.message, s: e.stack, d: e.details });
  for (const secret of [...secretsOf(CREDS), ...secretsOf(used)]) assert.ok(!dump.includes(secret), `error ${e.kind} leaks a secret: ${dump}`);
}

/**
 * Awaits a promise that must reject with ApiError(kind), checks that neither message, stack nor details
 * carry the key or its base64 forms (of `used`, default CREDS), and returns it.
 */
async function expectApiError(p: Promise<unknown>, kind: ApiErrorKind, used: Credentials = CREDS): Promise<ApiError> {
  let err: unknown;
  let value: unknown;
  try {
    value = await p;
  } catch (e) {
    err = e;
  }
  assert.ok(err !== undefined, `expected ApiError(${kind}), but it resolved with ${JSON.stringify(value)?.slice(0, 200)}`);
  assert.ok(err instanceof ApiError, `expected ApiError(${kind}), got ${String(err)}`);
  assert.strictEqual(err.kind, kind, `kind ${err.kind}: ${err.message}`);
  assertNoSecret(err, used);
  return err;
}

/** GET a path on the simulator with arbitrary headers, bypassing the client. */
function rawGet(url: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      })
      .on('error', reject);
  });
}

describe('XsollaClient against the simulator', function () {
  let sim: Simulator;
  let client: XsollaClient;
  const mk = (o: Partial<ClientOptions> = {}) => new XsollaClient({ baseUrl: sim.url, ...o });

  before(async () => {
    sim = await Simulator.start({ projects: { [PROJECT]: KEY } });
    client = mk();
  });
  after(async () => {
    await sim.close();
  });
  beforeEach(() => {
    sim.setProjects({ [PROJECT]: KEY });
    sim.setScenario(idleDone());
    sim.reset();
  });

  describe('successful status', () => {
    it('follows a progressing import field by field', async () => {
      const errors = DEMO_ERRORS.slice(0, 2);
      sim.setScenario(progressingImport({ errors, total: 7, steps: [0, 50, 100] }));
      const created = new Date(sim.currentDateCreated());

      const s0 = await client.getStatus(CREDS);
      assert.strictEqual(s0.state, 'initialized');
      assert.strictEqual(s0.progress, 0);
      assert.strictEqual(s0.dateCreated?.getTime(), created.getTime());
      assert.strictEqual(s0.dateCompleted, undefined);
      assert.strictEqual(s0.errorsCount, 0);
      assert.strictEqual(s0.totalEntities, 7);

      const s1 = await client.getStatus(CREDS);
      assert.strictEqual(s1.state, 'process');
      assert.strictEqual(s1.progress, 50);
      assert.strictEqual(s1.errorsCount, 1);
      assert.deepStrictEqual(s1.errors.map((e) => e.sku), ['com.example.sword_iron']);

      const s2 = await client.getStatus(CREDS);
      assert.strictEqual(s2.state, 'done');
      assert.strictEqual(s2.rawState, 'done');
      assert.strictEqual(s2.progress, 100);
      assert.strictEqual(s2.dateCreated?.getTime(), created.getTime(), 'same import, same date_created');
      assert.ok(s2.dateUpdated instanceof Date);
      assert.ok(s2.dateCompleted instanceof Date);
      assert.ok(s2.dateCompleted.getTime() >= created.getTime());
      assert.strictEqual(s2.error, undefined);
      assert.strictEqual(s2.errorCode, undefined);
      assert.strictEqual(s2.errorsCount, 2);
      assert.strictEqual(s2.totalEntities, 7);
      assert.deepStrictEqual(s2.errors, [
        { sku: 'com.example.sword_iron', kind: 'virtual_good', rawType: 'virtual_items', code: 4055, message: 'Item default price not set', fullMessage: '[0401-4055]: Item default price not set' },
        { sku: 'com.example.gems_pack_500', kind: 'virtual_currency_packages', rawType: 'virtual_currency_packages', code: 1002, message: 'Virtual currency not found', fullMessage: '[0401-1002]: Virtual currency not found' },
      ]);
      assert.deepStrictEqual(s2.notes, []);

      const s3 = await client.getStatus(CREDS);
      assert.strictEqual(s3.state, 'done', 'the last step repeats');
      assert.strictEqual(s3.dateCompleted?.getTime(), s2.dateCompleted.getTime(), 'a repeated final step keeps its completion date');
      assert.strictEqual(sim.statusRequestCount(), 4);
    });

    it('a looping scenario starts a new import with a later date_created', async () => {
      sim.setScenario(progressingImport({ steps: [0, 100], loop: true }));
      const a = await client.getStatus(CREDS);
      const b = await client.getStatus(CREDS);
      const c = await client.getStatus(CREDS);
      assert.deepStrictEqual([a.state, b.state, c.state], ['initialized', 'done', 'initialized']);
      assert.ok(c.dateCreated!.getTime() > a.dateCreated!.getTime(), `${c.dateCreated?.toISOString()} > ${a.dateCreated?.toISOString()}`);
    });

    it('setScenario gives a fresh date_created', async () => {
      const a = await client.getStatus(CREDS);
      sim.setScenario(idleDone());
      const b = await client.getStatus(CREDS);
      assert.ok(b.dateCreated!.getTime() > a.dateCreated!.getTime());
    });

    it('parses the quirky scenario', async () => {
      sim.setScenario(quirkyImport());
      const s = await client.getStatus(CREDS);
      assert.strictEqual(s.state, 'error');
      assert.strictEqual(s.error, undefined, 'error: null');
      assert.strictEqual(s.errorCode, '1817', 'string error_code');
      assert.strictEqual(s.dateCompleted, undefined, 'date_completed ""');
      assert.ok(s.dateCreated instanceof Date);
      assert.deepStrictEqual(
        s.errors.map((e) => [e.rawType, e.kind]),
        [
          ['virtual_items', 'virtual_good'],
          ['vi', 'virtual_good'],
          [null, 'unknown'],
          ['virtual_currency_packages', 'virtual_currency_packages'],
          ['bundle', 'bundle'],
          [null, 'unknown'],
        ],
      );
      const empty = s.errors[5];
      assert.deepStrictEqual([empty.sku, empty.code, empty.message], ['', 1817, "SKU can't be empty"]);
      assert.strictEqual(s.errorsCount, 6);
      assert.strictEqual(s.totalEntities, 12);
    });

    it('parses a failed import', async () => {
      sim.setScenario(failedImport());
      const s = await client.getStatus(CREDS);
      assert.strictEqual(s.state, 'error');
      assert.match(s.error ?? '', /not valid JSON/);
      assert.strictEqual(s.errorCode, '1806');
      assert.strictEqual(s.dateCompleted, undefined);
      assert.strictEqual(s.errors.length, 0);
    });

    it('sends exactly Basic base64(id:key) and JSON Accept', async () => {
      await client.getStatus(CREDS);
      const r = sim.requests[sim.requests.length - 1];
      assert.strictEqual(r.authHeader, 'Basic ' + b64(`${PROJECT}:${KEY}`));
      assert.strictEqual(r.authHeader, authorization(CREDS));
      assert.strictEqual(r.method, 'GET');
      assert.strictEqual(r.path, STATUS_PATH);
      assert.strictEqual(r.projectId, PROJECT);
      assert.strictEqual(r.authorized, true);
    });

    it('strips a trailing slash of the base URL', async () => {
      await mk({ baseUrl: sim.url + '/' }).getStatus(CREDS);
      assert.strictEqual(sim.requests[0].path, STATUS_PATH);
    });

    it('tolerates wrong field types in a 200 JSON object', async () => {
      sim.injectFault({ kind: 'raw', body: '{"status":5,"progress":"x","result":[]}' });
      const s = await client.getStatus(CREDS);
      assert.strictEqual(s.state, 'unknown');
      assert.ok(s.notes.length >= 2, JSON.stringify(s.notes));
    });
  });

  describe('HTTP errors', () => {
    it('401 1020 for a wrong key', async () => {
      const wrong = { projectId: PROJECT, apiKey: 'wrong-key-Zq81' };
      const e = await expectApiError(client.getStatus(wrong), 'auth', wrong);
      assert.ok(e.message.includes('[0401-1020]'), e.message);
      assert.strictEqual(e.details.httpStatus, 401);
      assert.strictEqual(e.details.serverCode, 1020);
      assert.strictEqual(sim.requests[0].authorized, false);
    });

    it('401 1020 for a project the key does not belong to', async () => {
      const other = { projectId: 99999, apiKey: KEY };
      const e = await expectApiError(client.getStatus(other), 'auth', other);
      assert.ok(e.message.includes('[0401-1020]'), e.message);
    });

    it('401 1501 (header not sent) is kind auth with its message', async () => {
      sim.injectFault({ kind: 'status', code: 401, body: { statusCode: 401, errorCode: 1501, errorMessage: '[0401-1501]: Authorization failed: Authorization header not sent' } });
      const e = await expectApiError(client.getStatus(CREDS), 'auth');
      assert.ok(e.message.includes('[0401-1501]'), e.message);
      assert.strictEqual(e.details.serverCode, 1501);
    });

    it('403 → forbidden', async () => {
      sim.injectFault({ kind: 'status', code: 403 });
      const e = await expectApiError(client.getStatus(CREDS), 'forbidden');
      assert.strictEqual(e.details.httpStatus, 403);
    });

    it('404 → not-found', async () => {
      sim.injectFault({ kind: 'status', code: 404, body: { statusCode: 404, errorCode: 1404, errorMessage: '[0401-1404]: Project not found' } });
      const e = await expectApiError(client.getStatus(CREDS), 'not-found');
      assert.ok(e.message.includes('Project not found'));
    });

    it('429 with Retry-After in seconds', async () => {
      sim.injectFault({ kind: 'status', code: 429, headers: { 'Retry-After': '7' } });
      const e = await expectApiError(client.getStatus(CREDS), 'rate-limited');
      assert.strictEqual(e.details.retryAfterMs, 7000);
    });

    it('429 with Retry-After as an HTTP date', async () => {
      const when = new Date(Date.now() + 30_000).toUTCString();
      sim.injectFault({ kind: 'status', code: 429, headers: { 'Retry-After': when } });
      const e = await expectApiError(client.getStatus(CREDS), 'rate-limited');
      const ms = e.details.retryAfterMs ?? -1;
      assert.ok(ms > 27_000 && ms <= 30_000, `retryAfterMs ${ms}`);
    });

    it('429 without Retry-After has no retryAfterMs', async () => {
      sim.injectFault({ kind: 'status', code: 429 });
      const e = await expectApiError(client.getStatus(CREDS), 'rate-limited');
      assert.strictEqual(e.details.retryAfterMs, undefined);
    });

    it('500 → server', async () => {
      sim.injectFault({ kind: 'status', code: 500 });
      const e = await expectApiError(client.getStatus(CREDS), 'server');
      assert.strictEqual(e.details.httpStatus, 500);
    });

    it('503 with Retry-After → server with retryAfterMs', async () => {
      sim.injectFault({ kind: 'status', code: 503, headers: { 'Retry-After': '2' } });
      const e = await expectApiError(client.getStatus(CREDS), 'server');
      assert.strictEqual(e.details.retryAfterMs, 2000);
    });

    it('502 with an HTML body → server, no HTML in the message', async () => {
      sim.injectFault({ kind: 'html', code: 502 });
      const e = await expectApiError(client.getStatus(CREDS), 'server');
      assert.strictEqual(e.details.httpStatus, 502);
      assert.ok(!/<html|<body/i.test(e.message), e.message);
    });

    it('a fault injected twice fails two requests, then the scenario answers', async () => {
      sim.injectFault({ kind: 'status', code: 500 }, 2);
      await expectApiError(client.getStatus(CREDS), 'server');
      await expectApiError(client.getStatus(CREDS), 'server');
      assert.strictEqual((await client.getStatus(CREDS)).state, 'done');
    });
  });

  describe('transport failures', () => {
    it('a slow answer with a small timeoutMs → timeout, quickly', async () => {
      sim.injectFault({ kind: 'slow', ms: 3000 });
      const e = await expectApiError(mk({ timeoutMs: 150 }).getStatus(CREDS), 'timeout');
      assert.match(e.message, /150 ms/);
    });

    it('a slow answer within the timeout succeeds', async () => {
      sim.injectFault({ kind: 'slow', ms: 100 });
      assert.strictEqual((await mk({ timeoutMs: 2000 }).getStatus(CREDS)).state, 'done');
    });

    it('a truncated body (socket ended early) → network', async () => {
      // The server announces the full Content-Length and ends the socket halfway. The client notices that the
      // raw response never completed and says 'network' (not 'bad-response', and not a hang until the timeout).
      sim.injectFault({ kind: 'truncated' });
      const e = await expectApiError(client.getStatus(CREDS), 'network');
      assert.strictEqual(e.details.httpStatus, 200);
    });

    it('a connection reset mid-body → network', async () => {
      sim.injectFault({ kind: 'reset' });
      await expectApiError(client.getStatus(CREDS), 'network');
    });

    it('connection refused on a closed port → network', async () => {
      const srv = http.createServer();
      await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
      const port = (srv.address() as AddressInfo).port;
      await new Promise<void>((r) => srv.close(() => r()));
      const e = await expectApiError(mk({ baseUrl: `http://127.0.0.1:${port}` }).getStatus(CREDS), 'network');
      assert.match(e.message, /refused/i);
    });

    it('a DNS failure → network', async () => {
      const e = await expectApiError(mk({ baseUrl: 'https://nonexistent.invalid', timeoutMs: 5000 }).getStatus(CREDS), 'network');
      assert.match(e.message, /DNS/);
    });

    it('a 10 MB body with the default limit → too-large', async () => {
      sim.injectFault({ kind: 'huge', bytes: 10 * 1024 * 1024 });
      const e = await expectApiError(client.getStatus(CREDS), 'too-large');
      assert.strictEqual(e.details.httpStatus, 200);
    });

    it('a big body under the limit parses (the huge fault is valid JSON)', async () => {
      sim.injectFault({ kind: 'huge', bytes: 200_000 });
      const s = await client.getStatus(CREDS);
      assert.strictEqual(s.state, 'done');
      assert.ok(s.errors.length > 500, `errors ${s.errors.length}`);
      assert.strictEqual(s.errorsCount, s.errors.length);
    });

    it('maxBodyBytes is honoured', async () => {
      sim.injectFault({ kind: 'huge', bytes: 200_000 });
      await expectApiError(mk({ maxBodyBytes: 50_000 }).getStatus(CREDS), 'too-large');
    });

    it('a redirect to another origin → redirect, and the other server sees nothing', async () => {
      const other = await Simulator.start({ projects: { [PROJECT]: KEY } });
      try {
        for (const code of [301, 302, 307, 308]) {
          sim.injectFault({ kind: 'redirect', location: other.url + STATUS_PATH, code });
          const e = await expectApiError(client.getStatus(CREDS), 'redirect');
          assert.strictEqual(e.details.httpStatus, code);
        }
        assert.strictEqual(other.requests.length, 0);
      } finally {
        await other.close();
      }
    });

    it('an aborted signal → aborted', async () => {
      sim.injectFault({ kind: 'slow', ms: 2000 });
      const ac = new AbortController();
      setTimeout(() => ac.abort(), 50);
      await expectApiError(client.getStatus(CREDS, ac.signal), 'aborted');
    });
  });

  describe('bad 200 bodies', () => {
    const cases: [string, Fault][] = [
      ['plain text', { kind: 'raw', body: 'OK', contentType: 'text/plain' }],
      ['null', { kind: 'raw', body: 'null' }],
      ['[]', { kind: 'raw', body: '[]' }],
      ['a number', { kind: 'raw', body: '42' }],
      ['an empty body', { kind: 'raw', body: '' }],
      ['broken JSON', { kind: 'raw', body: '{"status":"done",' }],
    ];
    for (const [name, fault] of cases) {
      it(`${name} → bad-response`, async () => {
        sim.injectFault(fault);
        await expectApiError(client.getStatus(CREDS), 'bad-response');
      });
    }
  });

  describe('configuration', () => {
    it('http to a non-loopback host → config, no request made', async () => {
      const calls: unknown[] = [];
      await expectApiError(mk({ baseUrl: 'http://example.com', onRequest: (x) => calls.push(x) }).getStatus(CREDS), 'config');
      assert.strictEqual(calls.length, 0);
    });

    it('http://0.0.0.0 (which would reach the simulator) is refused before connecting', async () => {
      await expectApiError(mk({ baseUrl: `http://0.0.0.0:${sim.port}` }).getStatus(CREDS), 'config');
      assert.strictEqual(sim.requests.length, 0);
    });

    it('a project id that is not a positive integer → config', async () => {
      await expectApiError(client.getStatus({ projectId: 0, apiKey: KEY }), 'config');
      await expectApiError(client.getStatus({ projectId: 1.5, apiKey: KEY }), 'config');
      assert.strictEqual(sim.requests.length, 0);
    });

    it('a base URL with user info → config', async () => {
      await expectApiError(mk({ baseUrl: `http://user:pw@127.0.0.1:${sim.port}` }).getStatus(CREDS), 'config');
      assert.strictEqual(sim.requests.length, 0);
    });
  });

  describe('startImport', () => {
    it('201 → importId; the body follows the contract; the status restarts as a new import', async () => {
      sim.setScenario(progressingImport({ steps: [0, 100] }));
      await client.getStatus(CREDS);
      const before = await client.getStatus(CREDS);
      assert.strictEqual(before.state, 'done');

      const { importId } = await client.startImport(CREDS, 'https://files.example.com/catalog/items.json', 'sync');
      assert.ok(importId.length > 0);
      const post = sim.requests.find((r) => r.method === 'POST');
      assert.ok(post);
      assert.strictEqual(post.path, `/v1/projects/${PROJECT}/import/from_external_file`);
      assert.strictEqual(post.authHeader, authorization(CREDS));
      assert.deepStrictEqual(post.body, { connector_external_id: 'import_items', file_url: 'https://files.example.com/catalog/items.json', mode: 'sync' });

      const after = await client.getStatus(CREDS);
      assert.strictEqual(after.state, 'initialized');
      assert.ok(after.dateCreated!.getTime() > before.dateCreated!.getTime());
    });

    it('two imports get different ids', async () => {
      const a = await client.startImport(CREDS, 'https://files.example.com/a.json', 'create');
      const b = await client.startImport(CREDS, 'https://files.example.com/b.json', 'create_and_update');
      assert.notStrictEqual(a.importId, b.importId);
    });

    it('422 when the file is not served as JSON → client with [0410-1803]', async () => {
      const e = await expectApiError(client.startImport(CREDS, 'https://files.example.com/not-json.txt', 'create'), 'client');
      assert.ok(e.message.includes('[0410-1803]'), e.message);
      assert.strictEqual(e.details.httpStatus, 422);
      assert.strictEqual(e.details.serverCode, 1803);
    });

    it('a file_url that is not http(s) → 422 client', async () => {
      await expectApiError(client.startImport(CREDS, 'ftp://files.example.com/a.json', 'create'), 'client');
    });

    it('a wrong key → auth', async () => {
      const wrong = { projectId: PROJECT, apiKey: 'nope-Kx7' };
      await expectApiError(client.startImport(wrong, 'https://files.example.com/a.json', 'create'), 'auth', wrong);
    });
  });

  describe('the simulator itself', () => {
    it('answers 401 1501 when the Authorization header is missing', async () => {
      const r = await rawGet(sim.url + STATUS_PATH);
      assert.strictEqual(r.status, 401);
      assert.deepStrictEqual(JSON.parse(r.body), { statusCode: 401, errorCode: 1501, errorMessage: '[0401-1501]: Authorization failed: Authorization header not sent' });
    });

    it('answers 401 1020 for a malformed header', async () => {
      const r = await rawGet(sim.url + STATUS_PATH, { Authorization: 'Bearer abc' });
      assert.strictEqual(JSON.parse(r.body).errorCode, 1020);
    });

    it('answers 404 JSON for other paths and does not count them as status requests', async () => {
      const r = await rawGet(sim.url + '/v1/unknown', { Authorization: authorization(CREDS) });
      assert.strictEqual(r.status, 404);
      assert.strictEqual(JSON.parse(r.body).statusCode, 404);
      assert.strictEqual(sim.statusRequestCount(), 0);
      assert.strictEqual(sim.requests.length, 1);
    });

    it('unauthorized requests do not consume faults or advance the scenario', async () => {
      sim.setScenario(progressingImport({ steps: [0, 100] }));
      sim.injectFault({ kind: 'status', code: 500 });
      await rawGet(sim.url + STATUS_PATH);
      await expectApiError(client.getStatus(CREDS), 'server');
      assert.strictEqual((await client.getStatus(CREDS)).state, 'initialized');
    });

    it('injectFault(f, Infinity) persists until clearFaults', async () => {
      sim.injectFault({ kind: 'status', code: 503 }, Infinity);
      for (let i = 0; i < 3; i++) await expectApiError(client.getStatus(CREDS), 'server');
      sim.clearFaults();
      assert.strictEqual((await client.getStatus(CREDS)).state, 'done');
    });

    it('everyMs advances by wall time', async () => {
      sim.setScenario(progressingImport({ steps: [0, 50, 100], advance: { everyMs: 150 } }));
      assert.strictEqual((await client.getStatus(CREDS)).progress, 0);
      await new Promise((r) => setTimeout(r, 350));
      assert.strictEqual((await client.getStatus(CREDS)).progress, 100);
    });

    it('dates are in GMT+3 format', async () => {
      const r = await rawGet(sim.url + STATUS_PATH, { Authorization: authorization(CREDS) });
      assert.match(JSON.parse(r.body).date_created, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+03:00$/);
    });
  });
});

describe('parseRetryAfter', () => {
  it('seconds, dates, garbage', () => {
    const now = Date.parse('2024-11-19T12:00:00Z');
    assert.strictEqual(parseRetryAfter('3', now), 3000);
    assert.strictEqual(parseRetryAfter('Tue, 19 Nov 2024 12:00:10 GMT', now), 10_000);
    assert.strictEqual(parseRetryAfter('Tue, 19 Nov 2024 11:00:00 GMT', now), 0);
    assert.strictEqual(parseRetryAfter('soon', now), undefined);
    assert.strictEqual(parseRetryAfter(null, now), undefined);
    assert.strictEqual(parseRetryAfter('999999', now), 3_600_000);
  });
});
