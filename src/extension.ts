/** Creates each part of the extension and wires them together. No logic lives here. */
import * as vscode from 'vscode';
import { CatalogIndexer } from './catalog';
import { CatalogValidator } from './catalogValidation';
import { registerCommands } from './commands';
import { Config } from './config';
import { systemClock } from './core/clock';
import { Poller } from './core/poller';
import { SkuIndex } from './core/skuIndex';
import { isFinal } from './core/types';
import { CredentialStore } from './credentials';
import { ImportDiagnostics } from './diagnostics';
import { ImportHistoryStore } from './history';
import { registerHover } from './hover';
import { Logger } from './log';
import { notifyFinished } from './notifications';
import { ProjectWatches } from './projects';
import { Renderer } from './render';
import { StatusBar } from './statusBar';
import { SkuErrorTree } from './tree';

export function activate(context: vscode.ExtensionContext) {
  const started = Date.now();
  const log = new Logger();
  const config = new Config();
  const store = new CredentialStore(context.secrets);
  const index = new SkuIndex();
  const catalog = new CatalogIndexer(index, config, log);
  const validator = new CatalogValidator(catalog, log);
  const history = new ImportHistoryStore(context.workspaceState);
  const statusBar = new StatusBar();
  const tree = new SkuErrorTree();
  const diagnostics = new ImportDiagnostics();
  const newPoller = () => new Poller({ clock: systemClock, intervals: () => config.intervals, onError: (e) => log.error('poller', e) });
  const watches = new ProjectWatches(store, config, log, newPoller, (poller) => [
    poller.onDidChangeState((s) => {
      const projectId = projectOf(poller);
      if (projectId && s.kind === 'ok' && isFinal(s.status.state) && s.status.dateCreated) void history.recordFinished(projectId, s.status);
      renderer.render();
    }),
    poller.onImportFinished((s) => notifyFinished(s, config, log)),
    log.transitions(poller),
  ]);
  const projectOf = (p: Poller) => watches.watches.find((w) => w.poller === p)?.credentials?.projectId;
  const renderer = new Renderer(watches, index, history, statusBar, tree, diagnostics, () => (validator.summary ? [validator.summary] : []));

  context.subscriptions.push(
    log, store, catalog, validator, watches, renderer, statusBar, tree, diagnostics,
    watches.onDidChange(() => {
      watches.setFocused(vscode.window.state.focused);
      renderer.render();
    }),
    index.onDidChange(() => renderer.schedule()),
    validator.onDidValidate(() => renderer.schedule()),
    vscode.window.onDidChangeWindowState((w) => watches.setFocused(w.focused)),
    registerHover(() => renderer.models),
    ...registerCommands({ store, watches, log, tree, history, validator, workspaceState: context.workspaceState }),
  );

  for (const problem of config.problems()) log.warn('config', problem);
  renderer.render();
  void catalog.rebuild();
  void watches.reload();
  log.info('activation', `Activated in ${Date.now() - started} ms.`);
  // The extension API is for tests and scripts that drive the extension; users never need it.
  return { watches, index, catalog, validator, statusBar, tree, store, log, renderer, history, context };
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
