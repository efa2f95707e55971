import * as assert from 'assert';
import { ApiError } from '../../src/core/errors';
import { importKey, normaliseKind, parseDate, parseStatus, splitMessage } from '../../src/core/status';

/** A well-formed body in the documented shape; tests override single fields. */
function body(over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    status: 'done',
    date_created: '2024-11-19T14:27:31+03:00',
    date_updated: '2024-11-19T15:27:31+03:00',
    date_completed: '2024-11-19T15:27:31+03:00',
    progress: 100,
    error: '',
    error_code: '',
    result: {
      errors_count: 2,
      total_entities_count: 10,
      errors_by_sku: [
        { sku: 'com.xsolla.sword_1', type: 'virtual_items', error_code: 4055, error_message: '[0401-4055]: Item default price not set' },
        { sku: '', type: null, error_code: 1817, error_message: "[0410-1817]: SKU can't be empty" },
      ],
    },
    ...over,
  };
}

function skuErr(over: Record<string, unknown>): Record<string, unknown> {
  return body({ result: { errors_count: 1, total_entities_count: 1, errors_by_sku: [{ sku: 'a', type: 'bundle', error_code: 1, error_message: 'm', ...over }] } });
}

function assertBadResponse(fn: () => unknown): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof ApiError, 'should be an ApiError');
    assert.strictEqual(e.kind, 'bad-response');
    return true;
  });
}

describe('parseStatus', () => {
  it('parses the documented example completely', () => {
    const s = parseStatus(body());
    assert.strictEqual(s.state, 'done');
    assert.strictEqual(s.rawState, 'done');
    assert.strictEqual(s.dateCreated?.toISOString(), '2024-11-19T11:27:31.000Z');
    assert.strictEqual(s.dateUpdated?.toISOString(), '2024-11-19T12:27:31.000Z');
    assert.strictEqual(s.dateCompleted?.toISOString(), '2024-11-19T12:27:31.000Z');
    assert.strictEqual(s.progress, 100);
    assert.strictEqual(s.error, undefined, 'empty error string is no error');
    assert.strictEqual(s.errorCode, undefined);
    assert.strictEqual(s.errorsCount, 2);
    assert.strictEqual(s.totalEntities, 10);
    assert.deepStrictEqual(s.errors, [
      { sku: 'com.xsolla.sword_1', kind: 'virtual_good', rawType: 'virtual_items', code: 4055, message: 'Item default price not set', fullMessage: '[0401-4055]: Item default price not set' },
      { sku: '', kind: 'unknown', rawType: null, code: 1817, message: "SKU can't be empty", fullMessage: "[0410-1817]: SKU can't be empty" },
    ]);
    assert.deepStrictEqual(s.notes, []);
  });

  describe('top-level error_code', () => {
    it('keeps a string code', () => assert.strictEqual(parseStatus(body({ status: 'error', error_code: '1806' })).errorCode, '1806'));
    it('turns an integer code into its string', () => assert.strictEqual(parseStatus(body({ status: 'error', error_code: 1806 })).errorCode, '1806'));
    it('treats null as absent', () => assert.strictEqual(parseStatus(body({ error_code: null })).errorCode, undefined));
    it('treats an empty string as absent', () => assert.strictEqual(parseStatus(body({ error_code: '' })).errorCode, undefined));
  });

  describe('per-SKU error_code', () => {
    it('keeps an integer', () => assert.strictEqual(parseStatus(skuErr({ error_code: 4055, error_message: 'x' })).errors[0].code, 4055));
    it('accepts a numeric string', () => assert.strictEqual(parseStatus(skuErr({ error_code: '4055', error_message: 'x' })).errors[0].code, 4055));
    it('falls back to the code in the message prefix when the field is null', () =>
      assert.strictEqual(parseStatus(skuErr({ error_code: null, error_message: '[0401-4021]: Bundle content is invalid' })).errors[0].code, 4021));
    it('is null when neither field nor prefix carries one', () => assert.strictEqual(parseStatus(skuErr({ error_code: 'abc', error_message: 'plain' })).errors[0].code, null));
  });

  describe('type spellings', () => {
    const cases: [unknown, string][] = [
      ['virtual_good', 'virtual_good'],
      ['virtual_items', 'virtual_good'],
      ['vi', 'virtual_good'],
      ['VI', 'virtual_good'],
      ['virtual_currency', 'virtual_currency'],
      ['virtual_currency_packages', 'virtual_currency_packages'],
      ['virtual_currency_package', 'virtual_currency_packages'],
      ['bundle', 'bundle'],
      [null, 'unknown'],
      [undefined, 'unknown'],
      [42, 'unknown'],
      ['spaceship', 'unknown'],
    ];
    for (const [type, kind] of cases) {
      it(`${JSON.stringify(type)} → ${kind}`, () => {
        const e = parseStatus(skuErr({ type })).errors[0];
        assert.strictEqual(e.kind, kind);
        assert.strictEqual(e.rawType, typeof type === 'string' ? type : null);
      });
    }
    it('normaliseKind agrees with parseStatus', () => {
      assert.strictEqual(normaliseKind(' Bundle '), 'bundle');
      assert.strictEqual(normaliseKind({}), 'unknown');
    });
  });

  describe('[SSSS-CCCC] prefix', () => {
    it('splits service, code and text', () => assert.deepStrictEqual(splitMessage('[0410-1817]: SKU can\'t be empty'), { service: '0410', code: 1817, text: "SKU can't be empty" }));
    it('accepts a prefix without colon', () => assert.deepStrictEqual(splitMessage('[0401-4055] Item default price not set'), { service: '0401', code: 4055, text: 'Item default price not set' }));
    it('leaves a message without prefix alone', () => assert.deepStrictEqual(splitMessage('Something went wrong'), { text: 'Something went wrong' }));
    it('does not split a bracket in the middle', () => assert.deepStrictEqual(splitMessage('see [0401-4055]: x'), { text: 'see [0401-4055]: x' }));
    it('strips the prefix from SkuError.message but keeps fullMessage', () => {
      const e = parseStatus(skuErr({ error_message: '[0401-1002]: Virtual currency not found' })).errors[0];
      assert.strictEqual(e.message, 'Virtual currency not found');
      assert.strictEqual(e.fullMessage, '[0401-1002]: Virtual currency not found');
    });
    it('uses an empty message when error_message is null', () => {
      const e = parseStatus(skuErr({ error_message: null })).errors[0];
      assert.strictEqual(e.message, '');
      assert.strictEqual(e.fullMessage, '');
    });
  });

  describe('dates', () => {
    it('empty date_completed → undefined', () => {
      const s = parseStatus(body({ status: 'error', date_completed: '' }));
      assert.strictEqual(s.dateCompleted, undefined);
      assert.ok(s.dateCreated instanceof Date);
    });
    it('invalid or non-string dates → undefined', () => {
      assert.strictEqual(parseStatus(body({ date_created: 'yesterday' })).dateCreated, undefined);
      assert.strictEqual(parseStatus(body({ date_updated: 12345 })).dateUpdated, undefined);
      assert.strictEqual(parseDate(null), undefined);
      assert.strictEqual(parseDate('   '), undefined);
    });
    it('the GMT+3 offset is honoured', () => assert.strictEqual(parseDate('2024-11-19T00:00:00+03:00')?.toISOString(), '2024-11-18T21:00:00.000Z'));
  });

  describe('general error', () => {
    it('error null → undefined', () => assert.strictEqual(parseStatus(body({ error: null })).error, undefined));
    it('keeps the text of a general error', () => assert.strictEqual(parseStatus(body({ status: 'error', error: 'File is broken' })).error, 'File is broken'));
    it('cuts a very long error', () => {
      const e = parseStatus(body({ error: 'x'.repeat(5000) })).error ?? '';
      assert.ok(e.length < 2100 && e.length > 1000, `length ${e.length}`);
    });
    it('ignores an object as error', () => assert.strictEqual(parseStatus(body({ error: { a: 1 } })).error, undefined));
  });

  describe('progress', () => {
    it('accepts a numeric string', () => assert.strictEqual(parseStatus(body({ status: 'process', progress: '45' })).progress, 45));
    it('clamps over 100 and notes it', () => {
      const s = parseStatus(body({ status: 'process', progress: 140 }));
      assert.strictEqual(s.progress, 100);
      assert.ok(s.notes.some((n) => n.includes('140')), JSON.stringify(s.notes));
    });
    it('clamps negative to 0 and notes it', () => {
      const s = parseStatus(body({ status: 'process', progress: -5 }));
      assert.strictEqual(s.progress, 0);
      assert.ok(s.notes.some((n) => n.includes('-5')), JSON.stringify(s.notes));
    });
    it('truncates a fraction', () => assert.strictEqual(parseStatus(body({ status: 'process', progress: 45.9 })).progress, 45));
    it('a non-numeric progress is 0 while running, with a note', () => {
      const s = parseStatus(body({ status: 'process', progress: 'lots' }));
      assert.strictEqual(s.progress, 0);
      assert.ok(s.notes.includes('progress is not a number'));
    });
    it('a missing progress is 100 when done', () => assert.strictEqual(parseStatus(body({ progress: undefined })).progress, 100));
  });

  describe('result', () => {
    it('result null → no errors, zero counts, no note', () => {
      const s = parseStatus(body({ result: null }));
      assert.deepStrictEqual([s.errors.length, s.errorsCount, s.totalEntities], [0, 0, 0]);
      assert.deepStrictEqual(s.notes, []);
    });
    it('result that is not an object is noted', () => {
      const s = parseStatus(body({ result: 'nope' }));
      assert.strictEqual(s.errors.length, 0);
      assert.ok(s.notes.includes('result is not an object'));
    });
    it('errors_by_sku not an array is noted and yields no errors', () => {
      const s = parseStatus(body({ result: { errors_count: 3, total_entities_count: 5, errors_by_sku: { sku: 'a' } } }));
      assert.strictEqual(s.errors.length, 0);
      assert.strictEqual(s.errorsCount, 3, 'the server count is kept');
      assert.ok(s.notes.includes('errors_by_sku is not an array'));
    });
    it('non-object entries are skipped with a note', () => {
      const s = parseStatus(body({ result: { errors_by_sku: ['x', null, { sku: 'ok', type: 'bundle', error_code: 1, error_message: 'm' }] } }));
      assert.deepStrictEqual(s.errors.map((e) => e.sku), ['ok']);
      assert.strictEqual(s.notes.filter((n) => n.includes('is not an object')).length, 2);
    });
    it('missing errors_count falls back to the number of entries', () => {
      const s = parseStatus(body({ result: { errors_by_sku: [{ sku: 'a' }, { sku: 'b' }] } }));
      assert.strictEqual(s.errorsCount, 2);
    });
    it('a numeric sku becomes a string, a null sku an empty one', () => {
      const s = parseStatus(body({ result: { errors_by_sku: [{ sku: 123 }, { sku: null }] } }));
      assert.deepStrictEqual(s.errors.map((e) => e.sku), ['123', '']);
    });
  });

  describe('status', () => {
    for (const st of ['initialized', 'process', 'done', 'error']) {
      it(`known status ${st}`, () => assert.strictEqual(parseStatus(body({ status: st })).state, st));
    }
    it('unknown status → unknown, raw kept, noted', () => {
      const s = parseStatus(body({ status: 'paused' }));
      assert.strictEqual(s.state, 'unknown');
      assert.strictEqual(s.rawState, 'paused');
      assert.ok(s.notes.some((n) => n.includes('paused')));
    });
    it('missing status → unknown', () => assert.strictEqual(parseStatus(body({ status: undefined })).state, 'unknown'));
    it('status is case-sensitive (DONE is not done)', () => assert.strictEqual(parseStatus(body({ status: 'DONE' })).state, 'unknown'));
  });

  describe('bodies that are not objects', () => {
    it('null', () => assertBadResponse(() => parseStatus(null)));
    it('array', () => assertBadResponse(() => parseStatus([body()])));
    it('number', () => assertBadResponse(() => parseStatus(42)));
    it('string', () => assertBadResponse(() => parseStatus('{"status":"done"}')));
    it('undefined', () => assertBadResponse(() => parseStatus(undefined)));
    it('an empty object is tolerated', () => assert.strictEqual(parseStatus({}).state, 'unknown'));
  });

  describe('importKey', () => {
    it('differs between imports created at different times', () => {
      const a = importKey(parseStatus(body()));
      const b = importKey(parseStatus(body({ date_created: '2024-11-19T14:27:32+03:00' })));
      assert.notStrictEqual(a, b);
    });
    it('is stable for the same import', () => assert.strictEqual(importKey(parseStatus(body({ progress: 5 }))), importKey(parseStatus(body()))));
  });
});
