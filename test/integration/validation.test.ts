/** Catalog validation before import, in the real VS Code: squiggles as you type, quick fixes, the command. */
import * as assert from 'assert';
import * as vscode from 'vscode';
import { api, revertDirty, TestApi, waitUntil, workspaceFile } from './helpers';

const SOURCE = 'Xsolla catalog';

describe('Catalog validation', function () {
  this.timeout(60_000);
  let x: TestApi;
  const ours = (uri: vscode.Uri) => vscode.languages.getDiagnostics(uri).filter((d) => d.source === SOURCE);

  before(async function () {
    x = await api();
  });

  afterEach(async function () {
    await revertDirty();
    assert.ok(!vscode.workspace.textDocuments.some((d) => d.isDirty), 'every edit was reverted');
  });

  it('"Validate Catalog" finds the sample\'s missing default price and the misspelt reference', async function () {
    const summary = await vscode.commands.executeCommand<{ errors: number; warnings: number; text: string }>('xsollaImport.validateCatalog');
    const all = vscode.languages.getDiagnostics().flatMap(([u, ds]) => ds.filter((d) => d.source === SOURCE).map((d) => `${vscode.workspace.asRelativePath(u)}: ${d.code} ${d.message}`));
    assert.strictEqual(summary.text, 'Catalog: 1 error, 1 warning in 2 files', all.join('\n'));
    const items = ours(workspaceFile('catalog/items.json'));
    assert.deepStrictEqual(items.map((d) => d.code), [4055]);
    const doc = await vscode.workspace.openTextDocument(workspaceFile('catalog/items.json'));
    assert.strictEqual(doc.getText(items[0].range), 'com.example.sword_iron');
    const currency = ours(workspaceFile('catalog/currency.json'));
    assert.deepStrictEqual(currency.map((d) => [d.code, d.severity]), [['unknown-reference', vscode.DiagnosticSeverity.Warning]]);
    await waitUntil('the summary in the status bar tooltip', () => x.statusBar.tooltipMarkdown.includes('Catalog: 1 error, 1 warning in 2 files'));
  });

  it('squiggles an invalid SKU as the user types, before saving', async function () {
    const uri = workspaceFile('catalog/items.json');
    const doc = await vscode.workspace.openTextDocument(uri);
    const editor = await vscode.window.showTextDocument(doc);
    const offset = doc.getText().indexOf('com.example.shield_oak');
    const range = new vscode.Range(doc.positionAt(offset), doc.positionAt(offset + 'com.example.shield_oak'.length));
    await editor.edit((e) => e.replace(range, 'com.example.shield oak!'));
    const d = await waitUntil('a sku-invalid-chars diagnostic', () => ours(uri).find((d) => d.code === 'sku-invalid-chars'));
    assert.strictEqual(doc.getText(d.range), 'com.example.shield oak!');
    assert.ok(doc.isDirty, 'validated from the editor text, not from disk');
  });

  it('offers a quick fix for the missing default price that clears the problem', async function () {
    const uri = workspaceFile('catalog/items.json');
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc);
    const d = await waitUntil('the 4055 diagnostic', () => ours(uri).find((d) => d.code === 4055));
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, d.range, vscode.CodeActionKind.QuickFix.value);
    const fix = actions.find((a) => a.kind?.value === vscode.CodeActionKind.QuickFix.value && /default/.test(a.title));
    assert.ok(fix?.edit, `a quick fix is offered (got ${actions.map((a) => a.title).join(', ')})`);
    assert.ok(await vscode.workspace.applyEdit(fix.edit));
    await waitUntil('the 4055 diagnostic to go', () => !ours(uri).some((d) => d.code === 4055));
    JSON.parse(doc.getText()); // still valid JSON
  });

  it('reports a SKU defined twice, with related information pointing at the other definition', async function () {
    const dup = workspaceFile('catalog/extra.json');
    await vscode.workspace.fs.writeFile(dup, Buffer.from(JSON.stringify({ virtual_currency: [{ sku: 'com.example.gems', name: { en: 'Gems again' } }] }, null, 2)));
    try {
      const d = await waitUntil('a duplicate diagnostic', () => ours(dup).find((d) => d.code === 'sku-duplicate'));
      assert.ok(d.relatedInformation?.some((r) => r.location.uri.toString() === workspaceFile('catalog/currency.json').toString()));
    } finally {
      await vscode.workspace.fs.delete(dup);
    }
    await waitUntil('the duplicate to go with the file', () => !vscode.languages.getDiagnostics(workspaceFile('catalog/currency.json')).some((d) => d.code === 'sku-duplicate'));
  });
});
