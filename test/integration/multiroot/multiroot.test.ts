/**
 * A multi-root workspace whose folders set different `xsollaImport.projectId`s: one status bar item
 * summarises both projects, the tree has one root per project, and diagnostics go to the right folder.
 */
import * as assert from 'assert';
import * as vscode from 'vscode';
import { DIAGNOSTIC_SOURCE } from '../../../src/diagnostics';
import { Simulator } from '../../sim/simulator';
import { api, setUserSetting, TestApi, waitUntil } from '../helpers';

const A = 1001;
const B = 1002;
const body = (sku: string, code: number) => ({
  status: 'done',
  progress: 100,
  error: null,
  error_code: null,
  result: { errors_count: 1, total_entities_count: 2, errors_by_sku: [{ sku, type: 'virtual_items', error_code: code, error_message: `[0401-${code}]: Error ${code}` }] },
});

describe('Multi-root: one project per folder', function () {
  let sim: Simulator;
  let x: TestApi;
  const folder = (name: string) => vscode.workspace.workspaceFolders!.find((f) => f.name === name)!;
  const file = (name: string) => vscode.Uri.joinPath(folder(name).uri, 'catalog/items.json');

  before(async function () {
    sim = await Simulator.start({ projects: { [A]: 'key-a-123456', [B]: 'key-b-654321' } });
    sim.setProjectStatus(A, body('com.shared.sword', 4055));
    sim.setProjectStatus(B, body('com.gameb.only', 1002));
    await setUserSetting('apiBaseUrl', sim.url);
    await setUserSetting('idlePollIntervalSeconds', 0);
    x = await api();
    await x.catalog.whenReady();
    assert.strictEqual(vscode.workspace.workspaceFolders?.length, 2, 'the multi-root workspace is open');
    for (const [projectId, apiKey] of [[A, 'key-a-123456'], [B, 'key-b-654321']] as const) {
      assert.strictEqual(await vscode.commands.executeCommand('xsollaImport.setCredentials', { projectId, apiKey }), 'saved');
    }
    await waitUntil('both projects to report', () => x.watches.watches.length === 2 && x.watches.watches.every((w) => w.poller.state.kind === 'ok'), 20_000, () => JSON.stringify(x.watches.watches.map((w) => [w.wanted, w.credentials?.projectId, w.poller.state.kind])));
  });

  after(async function () {
    await vscode.commands.executeCommand('xsollaImport.clearCredentials', { all: true });
    await sim?.close();
  });

  it('summarises both projects in one status bar item', function () {
    assert.match(x.statusBar.text, /1001 done, 1 error/);
    assert.match(x.statusBar.text, /1002 done, 1 error/);
  });

  it('shows one tree root per project', function () {
    const roots = x.tree.getChildren().map((n) => String(x.tree.getTreeItem(n).label));
    assert.deepStrictEqual(roots.sort(), ['Project 1001 · done, 1 error', 'Project 1002 · done, 1 error']);
  });

  it('puts each project\'s diagnostics only in its own folder', async function () {
    await waitUntil('diagnostics', () => vscode.languages.getDiagnostics(file('game-b')).some((d) => d.source === DIAGNOSTIC_SOURCE));
    const a = vscode.languages.getDiagnostics(file('game-a')).filter((d) => d.source === DIAGNOSTIC_SOURCE).map((d) => d.code);
    const b = vscode.languages.getDiagnostics(file('game-b')).filter((d) => d.source === DIAGNOSTIC_SOURCE).map((d) => d.code);
    // com.shared.sword is defined in both folders, but only project 1001 (game-a) reported it.
    assert.deepStrictEqual(a, [4055]);
    assert.deepStrictEqual(b, [1002]);
  });
});
