/** The whole loop in the real VS Code: start an import, watch it, compare with the previous one, hover. */
import * as assert from 'assert';
import * as vscode from 'vscode';
import { progressingImport } from '../sim/scenarios';
import { Simulator } from '../sim/simulator';
import { api, setUserSetting, TestApi, waitUntil, workspaceFile } from './helpers';

const PROJECT = 44056;
const KEY = 'workflow-secret-key-51c0';

const err = (sku: string, code: number, type = 'virtual_items') => ({ sku, type, error_code: code, error_message: `[0401-${code}]: Error ${code}` });

describe('The import loop: start, watch, compare, hover', function () {
  let sim: Simulator;
  let x: TestApi;
  const poller = () => x.watches.primary!.poller;
  /** Waits for an import (other than the one created at `previous`) to finish with that many errors. */
  const finished = async (errors: number, previous?: number) =>
    waitUntil(`an import with ${errors} errors to finish`, () => {
      const s = poller().state;
      return s.kind === 'ok' && s.status.state === 'done' && s.status.errors.length === errors && s.status.dateCreated?.getTime() !== previous;
    }, 20_000);

  before(async function () {
    sim = await Simulator.start({ projects: { [PROJECT]: KEY }, scenario: progressingImport({ errors: [err('com.example.sword_iron', 4055), err('com.example.shield_oak', 4055), err('com.example.health_potion', 4021)], steps: [0, 50, 100] }) });
    await setUserSetting('apiBaseUrl', sim.url);
    await setUserSetting('pollIntervalSeconds', 1);
    await setUserSetting('idlePollIntervalSeconds', 0);
    x = await api();
    assert.strictEqual(await vscode.commands.executeCommand('xsollaImport.setCredentials', { projectId: PROJECT, apiKey: KEY }), 'saved');
    await finished(3);
  });

  after(async function () {
    await vscode.commands.executeCommand('xsollaImport.clearCredentials', { all: true });
    await sim?.close();
  });

  it('starts an import from the editor and polls actively at once', async function () {
    sim.setScenario(progressingImport({ errors: [err('com.example.shield_oak', 4055), err('com.example.health_potion', 4021), err('com.example.xp_booster_7d', 1002)], steps: [0, 30, 60, 100] }));
    const previous = poller().lastStatus?.dateCreated?.getTime();
    const idleRequests = sim.statusRequestCount();
    const result = await vscode.commands.executeCommand<{ importId: string }>('xsollaImport.startImport', { url: 'https://cdn.example.com/catalog/items.json', mode: 'create_and_update' });
    assert.ok(result && typeof result === 'object' && result.importId, 'an import id came back');
    const post = sim.requests.find((r) => r.method === 'POST');
    assert.deepStrictEqual(post?.body, { connector_external_id: 'import_items', file_url: 'https://cdn.example.com/catalog/items.json', mode: 'create_and_update' });
    // Idle polling is off (0), so every further request comes from the switch to active polling.
    await waitUntil('active polling', () => sim.statusRequestCount() >= idleRequests + 2);
    await finished(3, previous);
  });

  it('marks what is new and counts what was fixed since the previous import', async function () {
    await waitUntil('the comparison in the tooltip', () => x.statusBar.tooltipMarkdown.includes('1 new, 1 fixed, 2 unchanged'), 5_000, () => x.statusBar.tooltipMarkdown);
    const items = x.tree.getChildren().flatMap((r) => x.tree.getChildren(r)).map((n) => x.tree.getTreeItem(n));
    const newOnes = items.filter((t) => String(t.description).startsWith('new · ')).map((t) => t.label);
    assert.deepStrictEqual(newOnes, ['com.example.xp_booster_7d']);
    const fixed = await vscode.commands.executeCommand<string[]>('xsollaImport.showFixed');
    assert.deepStrictEqual(fixed, ['com.example.sword_iron']);
    await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
  });

  it('shows the server message when the import cannot start (422)', async function () {
    const result = await vscode.commands.executeCommand('xsollaImport.startImport', { url: 'https://cdn.example.com/not-json/items.txt', mode: 'create' });
    assert.strictEqual(result, 'failed');
    const last = sim.requests.filter((r) => r.method === 'POST').pop();
    assert.strictEqual(last?.status, 422);
  });

  it('sends mode sync once confirmed', async function () {
    const previous = poller().lastStatus?.dateCreated?.getTime();
    const result = await vscode.commands.executeCommand('xsollaImport.startImport', { url: 'https://cdn.example.com/catalog/all.json', mode: 'sync', confirmSync: true });
    assert.ok(result && typeof result === 'object');
    assert.strictEqual((sim.requests.filter((r) => r.method === 'POST').pop()?.body as { mode?: string })?.mode, 'sync');
    await finished(3, previous);
  });

  it('shows the error when hovering a failed SKU, with a link to the tree', async function () {
    const uri = workspaceFile('catalog/items.json');
    const doc = await vscode.workspace.openTextDocument(uri);
    const line = doc.getText().split('\n').findIndex((l) => l.includes('"sku": "com.example.shield_oak"'));
    const col = doc.lineAt(line).text.indexOf('com.example.shield_oak') + 3;
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, new vscode.Position(line, col));
    const text = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : (c as vscode.MarkdownString).value))).join('\n');
    assert.match(text, /Xsolla import error 4055/);
    assert.match(text, /command:xsollaImport\.revealSku/);
    const nothing = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, new vscode.Position(0, 0));
    assert.ok(!nothing.some((h) => h.contents.some((c) => (typeof c === 'string' ? c : (c as vscode.MarkdownString).value).includes('Xsolla import error'))));
    assert.strictEqual(await vscode.commands.executeCommand('xsollaImport.revealSku', 'com.example.shield_oak'), true);
  });
});
