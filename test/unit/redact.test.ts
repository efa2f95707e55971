import * as assert from 'assert';
import { authorization } from '../../src/core/client';
import { Redactor } from '../../src/core/redact';

const KEY = 'Sk-live-9f3Qx7LmA2b8';
const PROJECT = 44056;
const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');

describe('Redactor', () => {
  it('removes the key, every occurrence', () => {
    const r = new Redactor();
    r.addCredentials(PROJECT, KEY);
    const out = r.redact(`key=${KEY}; again ${KEY}.`);
    assert.strictEqual(out, 'key=«redacted»; again «redacted».');
  });

  it('removes the base64 Basic credential, alone and in a header line', () => {
    const r = new Redactor();
    r.addCredentials(PROJECT, KEY);
    const token = b64(`${PROJECT}:${KEY}`);
    assert.ok(!r.redact(`token ${token} here`).includes(token));
    const header = authorization({ projectId: PROJECT, apiKey: KEY });
    const line = r.redact(`Authorization: ${header}`);
    assert.ok(!line.includes(token), line);
    assert.ok(!line.includes(KEY), line);
    assert.ok(line.startsWith('Authorization: '), line);
  });

  it('redacts any Authorization header value, even for keys it was never told about', () => {
    const r = new Redactor();
    const foreign = b64('123:other-key-Zz9');
    for (const text of [`Authorization: Basic ${foreign}`, `authorization=basic ${foreign}`, `AUTHORIZATION:  Bearer abc.def-ghi_jkl`]) {
      const out = r.redact(text);
      assert.ok(!out.includes(foreign) && !out.includes('abc.def-ghi_jkl'), out);
      assert.match(out, /«redacted»$/);
    }
  });

  it('leaves other text alone', () => {
    const r = new Redactor();
    r.addCredentials(PROJECT, KEY);
    const text = 'GET /v1/admin/projects/44056/connectors/import_items/import/status → 200 in 120 ms';
    assert.strictEqual(r.redact(text), text);
    assert.strictEqual(r.redact(''), '');
  });

  it('ignores an empty key and does not redact secrets shorter than 4 characters', () => {
    const r = new Redactor();
    r.addCredentials(PROJECT, '');
    assert.strictEqual(r.redact('nothing to hide'), 'nothing to hide');
    r.addCredentials(PROJECT, 'abc');
    assert.strictEqual(r.redact('abc abcdef'), 'abc abcdef', 'a 3-character key would shred ordinary words');
    assert.ok(!r.redact(b64(`${PROJECT}:abc`)).includes(b64(`${PROJECT}:abc`)), 'its base64 form is long enough and is removed');
  });

  it('keeps several keys and forgets them on clear()', () => {
    const r = new Redactor();
    r.addCredentials(1, 'first-key-1111');
    r.addCredentials(2, 'second-key-2222');
    assert.strictEqual(r.redact('first-key-1111 second-key-2222'), '«redacted» «redacted»');
    r.clear();
    assert.strictEqual(r.redact('first-key-1111'), 'first-key-1111');
  });

  it('a key with regex metacharacters is matched literally', () => {
    const r = new Redactor();
    const key = 'a.b*c+(d)?[e]$^|\\';
    r.addCredentials(PROJECT, key);
    assert.strictEqual(r.redact(`x${key}y`), 'x«redacted»y');
    assert.strictEqual(r.redact('aXb*c+(d)?[e]$^|\\'), 'aXb*c+(d)?[e]$^|\\');
  });
  it('redacts an Authorization value in JSON form', () => {
    const r = new Redactor();
    assert.strictEqual(r.redact('{"Authorization":"Basic QUJDOmRlZg=="}'), '{"Authorization":"Basic «redacted»"}');
  });
});
