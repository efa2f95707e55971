import * as assert from 'assert';
import { buildErrorModel, EMPTY_MODEL } from '../../src/core/errorModel';
import { KIND_ORDER, kindLabel } from '../../src/core/presentation';
import { SkuIndex } from '../../src/core/skuIndex';
import { parseStatus } from '../../src/core/status';
import { ImportStatus } from '../../src/core/types';

const ITEMS = `{
  "virtual_items": [
    {"sku": "sword", "name": {"en": "Sword"}},
    {"sku": "shared"},
    {"sku": ""}
  ]
}`;
const BUNDLES = `{
  "bundles": [
    {"sku": "starter", "content": [{"sku": "sword", "quantity": 1}]},
    {"sku": "shared"}
  ]
}`;

function statusWith(errors: { sku: unknown; type: unknown }[]): ImportStatus {
  return parseStatus({
    status: 'done',
    progress: 100,
    result: {
      errors_count: errors.length,
      total_entities_count: 10,
      errors_by_sku: errors.map((e, i) => ({ ...e, error_code: 4000 + i, error_message: `[0401-${4000 + i}]: failure ${i}` })),
    },
  });
}

function index(): SkuIndex {
  const ix = new SkuIndex();
  assert.deepStrictEqual(ix.setFile('file:///ws/items.json', ITEMS), { ok: true, definitions: 3 });
  assert.deepStrictEqual(ix.setFile('file:///ws/bundles.json', BUNDLES), { ok: true, definitions: 2 });
  return ix;
}

describe('buildErrorModel', () => {
  it('no status → the empty model', () => {
    assert.strictEqual(buildErrorModel(undefined, index()), EMPTY_MODEL);
  });

  it('groups by kind in KIND_ORDER, whatever order the server sent', () => {
    const s = statusWith([
      { sku: 'b1', type: 'bundle' },
      { sku: 'u1', type: 'mystery' },
      { sku: 'p1', type: 'virtual_currency_packages' },
      { sku: 'v1', type: 'vi' },
      { sku: 'c1', type: 'virtual_currency' },
      { sku: 'v2', type: 'virtual_items' },
      { sku: 'u2', type: null },
    ]);
    const m = buildErrorModel(s, index());
    assert.deepStrictEqual(
      m.groups.map((g) => g.kind),
      KIND_ORDER,
    );
    assert.deepStrictEqual(m.groups.map((g) => g.label), KIND_ORDER.map(kindLabel));
    assert.deepStrictEqual(
      m.groups.map((g) => g.errors.map((e) => e.error.sku)),
      [['v1', 'v2'], ['c1'], ['p1'], ['b1'], ['u1', 'u2']],
    );
    assert.strictEqual(m.status, s);
  });

  it('leaves out kinds without errors', () => {
    const m = buildErrorModel(statusWith([{ sku: 'x', type: 'bundle' }, { sku: 'y', type: 'virtual_currency' }]), index());
    assert.deepStrictEqual(m.groups.map((g) => g.kind), ['virtual_currency', 'bundle']);
  });

  it('the empty SKU is never located, even though a catalog defines it', () => {
    const ix = index();
    assert.strictEqual(ix.lookup('').length, 1, 'precondition: the index does hold an empty SKU');
    const m = buildErrorModel(statusWith([{ sku: '', type: null }, { sku: null, type: null }]), ix);
    const errors = m.groups.flatMap((g) => g.errors);
    assert.strictEqual(errors.length, 2);
    for (const e of errors) assert.deepStrictEqual(e.locations, []);
    assert.strictEqual(m.byFile.size, 0);
  });

  it('a SKU defined in two files has two locations and appears in byFile of both', () => {
    const m = buildErrorModel(statusWith([{ sku: 'shared', type: 'vi' }, { sku: 'sword', type: 'vi' }, { sku: 'ghost', type: 'vi' }]), index());
    const [shared, sword, ghost] = m.groups[0].errors;
    assert.deepStrictEqual(shared.locations.map((l) => l.file).sort(), ['file:///ws/bundles.json', 'file:///ws/items.json']);
    assert.deepStrictEqual(shared.locations.map((l) => [l.file, l.start.line]).sort(), [['file:///ws/bundles.json', 3], ['file:///ws/items.json', 3]]);
    assert.deepStrictEqual(sword.locations.map((l) => [l.file, l.start.line]), [['file:///ws/items.json', 2]], 'the bundle content reference is not a definition');
    assert.deepStrictEqual(ghost.locations, []);
    assert.deepStrictEqual([...m.byFile.keys()].sort(), ['file:///ws/bundles.json', 'file:///ws/items.json']);
    assert.deepStrictEqual(m.byFile.get('file:///ws/items.json')!.map((e) => e.error.sku), ['shared', 'sword']);
    assert.deepStrictEqual(m.byFile.get('file:///ws/bundles.json')!.map((e) => e.error.sku), ['shared']);
    assert.strictEqual(m.byFile.get('file:///ws/bundles.json')![0], shared, 'the same located error object in both places');
  });

  it('a SKU defined twice in one file is listed once for that file', () => {
    const ix = new SkuIndex();
    ix.setFile('f', '{"virtual_items": [{"sku": "dup"}, {"sku": "dup"}]}');
    const m = buildErrorModel(statusWith([{ sku: 'dup', type: 'vi' }]), ix);
    assert.strictEqual(m.groups[0].errors[0].locations.length, 2);
    assert.strictEqual(m.byFile.get('f')!.length, 1);
  });

  it('follows index changes: a rebuilt model sees a removed file', () => {
    const ix = index();
    const s = statusWith([{ sku: 'shared', type: 'vi' }]);
    ix.removeFile('file:///ws/items.json');
    const m = buildErrorModel(s, ix);
    assert.deepStrictEqual(m.groups[0].errors[0].locations.map((l) => l.file), ['file:///ws/bundles.json']);
    assert.deepStrictEqual([...m.byFile.keys()], ['file:///ws/bundles.json']);
  });
});
