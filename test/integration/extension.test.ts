/**
 * The extension inside a real VS Code, against the simulator started in this same extension host.
 * Order matters: the suite walks a user's path (set credentials → watch → jump → clear).
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as vscode from 'vscode';
import { DIAGNOSTIC_SOURCE } from '../../src/diagnostics';
import { ErrorNode } from '../../src/tree';
import { progressingImport, DEMO_ERRORS, idleDone } from '../sim/scenarios';
import { Simulator } from '../sim/simulator';
import { api, setUserSetting, TestApi, waitUntil, workspaceFile } from './helpers';

const PROJECT = 44056;
const KEY = 'itest-secret-key-7f3a9c';

describe('Xsolla Import Status in a real VS Code', function () {
  let sim: Simulator;
  let evil: Simulator;
  let x: TestApi;
  const poller = () => x.watches.primary!.poller;

  before(async function () {
    sim = await Simulator.start({ projects: { [PROJECT]: KEY }, scenario: idleDone() });
    evil = await Simulator.start({ projects: { [PROJECT]: KEY }, scenario: idleDone() });
    await setUserSetting('apiBaseUrl', sim.url);
    await setUserSetting('pollIntervalSeconds', 1);
    await setUserSetting('idlePollIntervalSeconds', 0);
    await setUserSetting('notifyOnFinish', false);
    x = await api();
    await x.catalog.whenReady();
  });

  after(async function () {
    await vscode.commands.executeCommand('xsollaImport.clearCredentials', { all: true });
    await sim?.close();
    await evil?.close();
  });

  it('registers every contract command', async function () {
    const all = await vscode.commands.getCommands(true);
    for (const c of ['xsollaImport.setCredentials', 'xsollaImport.clearCredentials', 'xsollaImport.refresh', 'xsollaImport.showLog']) {
      assert.ok(all.includes(c), `${c} is registered`);
    }
  });

  it('shows "Set Credentials" in the status bar while no credentials are stored', async function () {
    await waitUntil('no-credentials state', () => poller().state.kind === 'no-credentials');
    assert.match(x.statusBar.text, /Set Credentials/);
  });

  it('refuses a rejected key with the server message and saves nothing', async function () {
    const result = await vscode.commands.executeCommand('xsollaImport.setCredentials', { projectId: PROJECT, apiKey: 'wrong-key' });
    assert.strictEqual(result, 'rejected');
    assert.strictEqual(await x.store.resolve(), undefined, 'nothing stored');
    assert.ok(sim.requests.some((r) => r.authorized === false), 'the simulator saw the rejected request');
  });

  it('sets credentials after one status call and round-trips them through SecretStorage', async function () {
    const before = sim.statusRequestCount();
    const result = await vscode.commands.executeCommand('xsollaImport.setCredentials', { projectId: PROJECT, apiKey: KEY });
    assert.strictEqual(result, 'saved');
    assert.ok(sim.statusRequestCount() > before, 'the pair was checked against the server');
    const stored = await x.store.resolve();
    assert.deepStrictEqual(stored && { id: stored.projectId, key: stored.apiKey, source: stored.source }, { id: PROJECT, key: KEY, source: 'secret-storage' });
    await waitUntil('ok state', () => poller().state.kind === 'ok', 15_000, () => JSON.stringify(poller().state) + ' requests=' + JSON.stringify(sim.requests.map((r) => [r.method, r.authorized, r.at])) + ' scheduled=' + poller().scheduledAt);
    assert.match(x.statusBar.text, /done/);
  });

  describe('an import with SKU errors', function () {
    before(async function () {
      sim.setScenario(progressingImport({ errors: DEMO_ERRORS, total: 13, steps: [0, 40, 80, 100] }));
      await vscode.commands.executeCommand('xsollaImport.refresh');
      await waitUntil('the import to finish', () => {
        const s = poller().state;
        return s.kind === 'ok' && s.status.state === 'done' && s.status.errors.length === DEMO_ERRORS.length;
      }, 20_000);
    });

    it('polls while it runs and shows the final error count', function () {
      assert.strictEqual(x.statusBar.text, '$(check) Xsolla: done, 5 errors');
    });

    it('groups the failed SKUs in the tree by item type', function () {
      const roots = x.tree.getChildren();
      const labels = roots.map((r) => (x.tree.getTreeItem(r).label as string));
      assert.deepStrictEqual(labels, ['Virtual items', 'Currency packages', 'Bundles', 'Other items']);
      const items = roots.flatMap((r) => x.tree.getChildren(r)).map((n) => x.tree.getTreeItem(n));
      const byLabel = new Map(items.map((t) => [t.label as string, t]));
      assert.match(String(byLabel.get('com.example.sword_iron')?.description), /^new · 4055: Item default price not set$/, 'new since the previous (error-free) import');
      assert.match(String(byLabel.get('com.example.ghost_item')?.description), /not found in workspace/);
      assert.ok(byLabel.has('(empty SKU)'), 'the empty SKU is shown as such');
    });

    it('puts diagnostics with codes at the SKU definition lines', async function () {
      const uri = workspaceFile('catalog/items.json');
      const diags = await waitUntil('diagnostics', () => {
        const d = vscode.languages.getDiagnostics(uri).filter((d) => d.source === DIAGNOSTIC_SOURCE);
        return d.length ? d : undefined;
      });
      assert.strictEqual(diags.length, 1);
      const text = fs.readFileSync(uri.fsPath, 'utf8').split('\n');
      const line = text.findIndex((l) => l.includes('"sku": "com.example.sword_iron"'));
      assert.strictEqual(diags[0].range.start.line, line, 'on the definition line, not on a bundle reference');
      assert.strictEqual(diags[0].code, 4055);
      assert.match(diags[0].message, /\[0401-4055\]/);
      const bundles = vscode.languages.getDiagnostics(workspaceFile('catalog/bundles.json')).filter((d) => d.source === DIAGNOSTIC_SOURCE);
      assert.deepStrictEqual(bundles.map((d) => d.code), [4021], 'only the bundle definition, not its content references');
    });

    it('opens the defining file with the SKU selected when a tree item is clicked', async function () {
      const node = x.tree.getChildren().flatMap((r) => x.tree.getChildren(r)).find((n: ErrorNode) => n.type === 'sku' && n.item.error.sku === 'com.example.gems_pack_500');
      assert.ok(node);
      const item = x.tree.getTreeItem(node);
      assert.ok(item.command);
      await vscode.commands.executeCommand(item.command.command, ...(item.command.arguments ?? []));
      const editor = await waitUntil('an editor', () => vscode.window.activeTextEditor);
      assert.strictEqual(editor.document.uri.toString(), workspaceFile('catalog/currency.json').toString());
      assert.strictEqual(editor.document.getText(editor.selection), 'com.example.gems_pack_500');
    });

    it('moves the diagnostic when the catalog is edited in the editor', async function () {
      const uri = workspaceFile('catalog/items.json');
      const doc = await vscode.workspace.openTextDocument(uri);
      const editor = await vscode.window.showTextDocument(doc);
      const before = vscode.languages.getDiagnostics(uri).find((d) => d.source === DIAGNOSTIC_SOURCE)!.range.start.line;
      await editor.edit((e) => e.insert(new vscode.Position(1, 0), '\n\n\n'));
      await waitUntil('the diagnostic to move', () => vscode.languages.getDiagnostics(uri).find((d) => d.source === DIAGNOSTIC_SOURCE)?.range.start.line === before + 3);
      await editor.edit((e) => e.delete(new vscode.Range(1, 0, 4, 0)));
      await waitUntil('the diagnostic to move back', () => vscode.languages.getDiagnostics(uri).find((d) => d.source === DIAGNOSTIC_SOURCE)?.range.start.line === before);
      await doc.save();
    });
  });

  describe('faults (one of each family)', function () {
    afterEach(() => sim.clearFaults());

    it('a rejected key is a state of its own, and the last import stays visible', async function () {
      sim.injectFault({ kind: 'status', code: 401, body: { statusCode: 401, errorCode: 1020, errorMessage: '[0401-1020]: Error in Authentication method occurred' } });
      await vscode.commands.executeCommand('xsollaImport.refresh');
      await waitUntil('auth-failed', () => poller().state.kind === 'auth-failed');
      assert.match(x.statusBar.text, /key rejected/);
      assert.ok(x.tree.getChildren().length > 0, 'the tree keeps the last known errors');
    });

    it('a 502 with an HTML body shows unreachable, then recovers', async function () {
      sim.injectFault({ kind: 'html', code: 502 });
      await vscode.commands.executeCommand('xsollaImport.refresh');
      await waitUntil('unreachable', () => poller().state.kind === 'unreachable');
      assert.match(x.statusBar.text, /unreachable/);
      await vscode.commands.executeCommand('xsollaImport.refresh');
      await waitUntil('recovery', () => poller().state.kind === 'ok');
    });

    it('a 429 with Retry-After is a rate limit that polling waits out, then recovers', async function () {
      sim.injectFault({ kind: 'status', code: 429, body: { statusCode: 429, errorMessage: 'Too many requests' }, headers: { 'Retry-After': '7' } });
      await vscode.commands.executeCommand('xsollaImport.refresh');
      const s = await waitUntil('rate-limited', () => {
        const st = poller().state;
        return st.kind === 'unreachable' && st.errorKind === 'rate-limited' ? st : undefined;
      });
      assert.ok(s.retryAt !== undefined && poller().scheduledAt !== undefined && poller().scheduledAt! - Date.now() > 5_000, 'the next poll waits for Retry-After');
      await vscode.commands.executeCommand('xsollaImport.refresh');
      await waitUntil('recovery', () => poller().state.kind === 'ok');
    });

    it('a connection reset mid-body is a network failure, then recovers', async function () {
      sim.injectFault({ kind: 'reset' });
      await vscode.commands.executeCommand('xsollaImport.refresh');
      await waitUntil('unreachable', () => {
        const st = poller().state;
        return st.kind === 'unreachable' && (st.errorKind === 'network' || st.errorKind === 'timeout');
      }, 25_000);
      assert.match(x.statusBar.text, /unreachable/);
      await vscode.commands.executeCommand('xsollaImport.refresh');
      await waitUntil('recovery', () => poller().state.kind === 'ok');
    });

    it('a truncated body is an unreadable answer, not a crash, and polling recovers', async function () {
      sim.injectFault({ kind: 'truncated' });
      await vscode.commands.executeCommand('xsollaImport.refresh');
      const s = await waitUntil('unreachable', () => {
        const st = poller().state;
        return st.kind === 'unreachable' ? st : undefined;
      });
      assert.ok(['bad-response', 'network'].includes(s.errorKind), s.errorKind);
      await vscode.commands.executeCommand('xsollaImport.refresh');
      await waitUntil('recovery', () => poller().state.kind === 'ok');
    });
  });

  describe('settings a workspace cannot change', function () {
    it('refuses to write apiBaseUrl to workspace settings', async function () {
      await assert.rejects(Promise.resolve(vscode.workspace.getConfiguration('xsollaImport').update('apiBaseUrl', evil.url, vscode.ConfigurationTarget.Workspace)));
      await assert.rejects(Promise.resolve(vscode.workspace.getConfiguration('xsollaImport', vscode.workspace.workspaceFolders![0].uri).update('apiBaseUrl', evil.url, vscode.ConfigurationTarget.WorkspaceFolder)));
    });

    it('sends no request to a URL from the folder\'s .vscode/settings.json', async function () {
      const settings = workspaceFile('.vscode/settings.json');
      await vscode.workspace.fs.writeFile(settings, Buffer.from(JSON.stringify({ 'xsollaImport.apiBaseUrl': evil.url }, null, 2)));
      try {
        await waitUntil('VS Code to read the folder settings', () => vscode.workspace.getConfiguration('xsollaImport').inspect('apiBaseUrl')?.workspaceValue === evil.url || true);
        const before = sim.statusRequestCount();
        await vscode.commands.executeCommand('xsollaImport.refresh');
        await vscode.commands.executeCommand('xsollaImport.refresh');
        await waitUntil('requests at the real simulator', () => sim.statusRequestCount() > before);
        assert.strictEqual(evil.requests.length, 0, 'the folder-level URL got no request');
      } finally {
        await vscode.workspace.fs.delete(settings);
      }
    });
  });

  describe('clearing credentials', function () {
  it('removes the diagnostics and the tree items', async function () {
    assert.ok(x.tree.getChildren().length > 0);
    await vscode.commands.executeCommand('xsollaImport.clearCredentials', { all: true });
    await waitUntil('no-credentials', () => poller().state.kind === 'no-credentials');
    assert.strictEqual(x.tree.getChildren().length, 0);
    const ours = vscode.languages.getDiagnostics().flatMap(([, d]) => d).filter((d) => d.source === DIAGNOSTIC_SOURCE);
    assert.strictEqual(ours.length, 0);
    assert.strictEqual(await x.store.resolve(), undefined);
    assert.match(x.statusBar.text, /Set Credentials/);
  });
});
});
