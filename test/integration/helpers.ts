/** Shared helpers for the integration suite (runs inside the extension host). */
import * as assert from 'assert';
import * as vscode from 'vscode';

export const EXTENSION_ID = 'xsolla-import-status.xsolla-import-status';

export interface TestApi {
  watches: import('../../src/projects').ProjectWatches;
  renderer: import('../../src/render').Renderer;
  index: import('../../src/core/skuIndex').SkuIndex;
  catalog: import('../../src/catalog').CatalogIndexer;
  statusBar: import('../../src/statusBar').StatusBar;
  tree: import('../../src/tree').SkuErrorTree;
  store: import('../../src/credentials').CredentialStore;
  log: import('../../src/log').Logger;
  history: import('../../src/history').ImportHistoryStore;
  context: vscode.ExtensionContext;
}

/** Every node of the tree, depth first. */
export function allTreeItems(x: TestApi): vscode.TreeItem[] {
  const out: vscode.TreeItem[] = [];
  const walk = (nodes: ReturnType<TestApi['tree']['getChildren']>) => {
    for (const n of nodes) {
      out.push(x.tree.getTreeItem(n));
      walk(x.tree.getChildren(n));
    }
  };
  walk(x.tree.getChildren());
  return out;
}

export async function api(): Promise<TestApi> {
  const ext = vscode.extensions.getExtension<TestApi>(EXTENSION_ID);
  assert.ok(ext, `extension ${EXTENSION_ID} is installed`);
  return ext.activate();
}

export async function waitUntil<T>(what: string, probe: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 15_000, describe?: () => string): Promise<T> {
  const end = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await probe();
      if (v) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > end) throw new Error(`Timed out waiting for ${what}${last ? `: ${String(last)}` : ''}${describe ? ` (${describe()})` : ''}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export async function setUserSetting(key: string, value: unknown): Promise<void> {
  await vscode.workspace.getConfiguration('xsollaImport').update(key, value, vscode.ConfigurationTarget.Global);
}

export function workspaceFile(rel: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'a workspace folder is open');
  return vscode.Uri.joinPath(folder.uri, rel);
}

/** Reverts every open editor with unsaved changes to its file on disk. */
export async function revertDirty(): Promise<void> {
  for (const doc of vscode.workspace.textDocuments.filter((d) => d.isDirty)) {
    await vscode.window.showTextDocument(doc);
    await vscode.commands.executeCommand('workbench.action.files.revert');
  }
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}
