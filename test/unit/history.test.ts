import * as assert from 'assert';
import { compare, describeComparison, HISTORY_LIMIT, record, sanitiseHistory } from '../../src/core/history';
import { parseStatus } from '../../src/core/status';

let minute = 0;
function done(skus: string[], state = 'done') {
  minute++;
  return parseStatus({
    status: state,
    progress: 100,
    date_created: `2024-11-19T14:${String(minute).padStart(2, '0')}:00+03:00`,
    result: { errors_count: skus.length, total_entities_count: 10, errors_by_sku: skus.map((sku) => ({ sku, type: 'vi', error_code: 4055, error_message: '[0401-4055]: x' })) },
  });
}

describe('import history', () => {
  it('compares with the previous import: new, fixed, unchanged', () => {
    const first = done(['a', 'b', 'c']);
    const second = done(['b', 'c', 'd']);
    const history = record(record([], first), second);
    const c = compare(history, second);
    assert.deepStrictEqual([...c.added], ['d']);
    assert.deepStrictEqual(c.fixed, [['a', 4055]]);
    assert.strictEqual(c.unchanged, 2);
    assert.strictEqual(describeComparison(c), '1 new, 1 fixed, 2 unchanged since the previous import');
  });

  it('has nothing to compare for the first import', () => {
    const only = done(['a']);
    const c = compare(record([], only), only);
    assert.strictEqual(c.previous, undefined);
    assert.strictEqual(describeComparison(c), undefined);
  });

  it('keeps the newest few imports, once each, and ignores running ones', () => {
    let h = record([], done(['x'], 'process'));
    assert.strictEqual(h.length, 0, 'a running import is not history');
    const same = done(['x']);
    h = record(record(h, same), same);
    assert.strictEqual(h.length, 1, 'the same import is recorded once');
    for (let i = 0; i < 10; i++) h = record(h, done([`s${i}`]));
    assert.strictEqual(h.length, HISTORY_LIMIT);
    assert.deepStrictEqual(h[0].errors, [['s9', 4055]], 'newest first');
  });

  it('drops malformed stored entries', () => {
    const good = { key: 'k', state: 'done', errors: [['a', 1], ['b', null]] };
    const h = sanitiseHistory([good, null, 5, { key: 1, errors: [] }, { key: 'bad', errors: [[1, 2], ['ok', 'x']] }]);
    assert.deepStrictEqual(h.map((e) => [e.key, e.errors]), [['k', [['a', 1], ['b', null]]], ['bad', []]]);
    assert.deepStrictEqual(sanitiseHistory('nope'), []);
  });
});
