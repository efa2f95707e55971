/** Creates each part of the extension and wires them together. No logic lives here. */
import * as vscode from 'vscode';
import { registerCommands } from './commands';
import { CatalogIndexer } from './catalog';
import { Config } from './config';
import { systemClock } from './core/clock';
import { buildErrorModel } from './core/errorModel';
import { Poller, PollState } from './core/poller';
import { presentStatusBar } from './core/presentation';
import { SkuIndex } from './core/skuIndex';
import { CredentialStore } from './credentials';
import { ImportDiagnostics } from './diagnostics';
import { Logger } from './log';
import { notifyFinished } from './notifications';
import { WatchSession } from './session';
import { StatusBar } from './statusBar';
import { SkuErrorTree } from './tree';

export function activate(context: vscode.ExtensionContext) {
  const started = Date.now();
  const log = new Logger();
  const config = new Config();
  const store = new CredentialStore(context.secrets);
  const index = new SkuIndex();
  const catalog = new CatalogIndexer(index, config, log);
  const poller = new Poller({ clock: systemClock, intervals: () => config.intervals, onError: (e) => log.error('poller', e) });
  const session = new WatchSession(store, config, poller, log);
  const statusBar = new StatusBar();
  const tree = new SkuErrorTree();
  const diagnostics = new ImportDiagnostics();

  const render = (state: PollState = poller.state) => {
    statusBar.apply(presentStatusBar(state, { projectId: session.credentials?.projectId }));
    const model = buildErrorModel(state.kind === 'no-credentials' ? undefined : poller.lastStatus, index);
    tree.apply(model);
    diagnostics.apply(model);
  };

  context.subscriptions.push(
    log, store, catalog, poller, session, statusBar, tree, diagnostics,
    poller.onDidChangeState((s) => render(s)),
    poller.onImportFinished((s) => notifyFinished(s, config, log)),
    index.onDidChange(() => render()),
    vscode.window.onDidChangeWindowState((w) => poller.setFocused(w.focused)),
    ...registerCommands({ store, session, poller, log }),
  );

  for (const problem of config.problems()) log.warn('config', problem);
  poller.setFocused(vscode.window.state.focused);
  render();
  void catalog.rebuild();
  void session.reload();
  log.info('activation', `Activated in ${Date.now() - started} ms.`);
  return { poller, index, catalog, statusBar, tree, session, store, log };
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
