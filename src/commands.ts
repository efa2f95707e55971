/** Every command of the extension. Commands ask the pollers or the credential store; they never render. */
import * as vscode from 'vscode';
import { CatalogValidator } from './catalogValidation';
import { LocatedError } from './core/errorModel';
import { isApiError } from './core/errors';
import { compare } from './core/history';
import { COMMANDS, errorLine, skuLabel } from './core/presentation';
import { ImportMode } from './core/types';
import { CredentialStore, CredentialStoreError } from './credentials';
import { toRange } from './diagnostics';
import { ImportHistoryStore } from './history';
import { Logger } from './log';
import { ProjectWatch, ProjectWatches } from './projects';
import { SkuErrorTree } from './tree';

/** Arguments that let tests and scripts run Set Credentials without the input boxes. */
export interface SetCredentialsArgs {
  readonly projectId: number;
  readonly apiKey: string;
}

export type SetCredentialsResult = 'saved' | 'saved-unverified' | 'rejected' | 'cancelled' | 'failed';

export interface StartImportArgs {
  readonly url: string;
  readonly mode?: ImportMode;
  readonly projectId?: number;
  /** Skips the modal warning for `sync` (tests and scripts only). */
  readonly confirmSync?: boolean;
}

export type StartImportResult = { importId: string } | 'cancelled' | 'failed';

const RECENT_URLS_KEY = 'xsollaImport.recentImportUrls';
const RECENT_URLS_LIMIT = 5;

export interface CommandDeps {
  readonly store: CredentialStore;
  readonly watches: ProjectWatches;
  readonly log: Logger;
  readonly tree: SkuErrorTree;
  readonly history: ImportHistoryStore;
  readonly validator: CatalogValidator;
  readonly workspaceState: vscode.Memento;
}

export function registerCommands(deps: CommandDeps): vscode.Disposable[] {
  const { store, watches, log, tree, history, validator, workspaceState } = deps;

  async function setCredentials(args?: SetCredentialsArgs): Promise<SetCredentialsResult> {
    let projectId = args?.projectId;
    let apiKey = args?.apiKey;
    for (;;) {
      if (!args) {
        const idText = await vscode.window.showInputBox({
          title: 'Xsolla Import: Set Credentials (1/2)',
          prompt: 'Xsolla project ID (shown next to the project name in Publisher Account)',
          placeHolder: 'e.g. 44056',
          value: String(projectId ?? watches.primary?.credentials?.projectId ?? ''),
          ignoreFocusOut: true,
          validateInput: (v) => (/^\s*[1-9]\d{0,14}\s*$/.test(v) ? undefined : 'The project ID is a positive whole number.'),
        });
        if (idText === undefined) return 'cancelled';
        projectId = Number(idText.trim());
        apiKey = await vscode.window.showInputBox({
          title: `Xsolla Import: Set Credentials (2/2) · project ${projectId}`,
          prompt: 'API key (Publisher Account → Company settings → API keys). It is stored in the system keychain only.',
          password: true,
          ignoreFocusOut: true,
          validateInput: (v) => (v.trim() ? undefined : 'Enter the API key.'),
        });
        if (apiKey === undefined) return 'cancelled';
        apiKey = apiKey.trim();
      }
      if (!projectId || !Number.isSafeInteger(projectId) || projectId <= 0 || !apiKey) {
        void vscode.window.showErrorMessage('Xsolla Import: the project ID must be a positive integer and the API key must not be empty.');
        return 'failed';
      }
      const creds = { projectId, apiKey };
      log.redactor.addCredentials(projectId, apiKey);
      let verified = true;
      try {
        await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Checking the key for project ${projectId}…`, cancellable: false }, () => watches.client().getStatus(creds));
      } catch (e) {
        if (isApiError(e) && (e.kind === 'auth' || e.kind === 'forbidden' || e.kind === 'not-found')) {
          log.warn('credentials', `The server refused the credentials for project ${projectId}: ${e.message}`);
          if (args) {
            void vscode.window.showErrorMessage(`Xsolla rejected the credentials: ${e.message}`);
            return 'rejected';
          }
          const again = await vscode.window.showErrorMessage(`Xsolla rejected the credentials: ${e.message}. Nothing was saved.`, 'Try Again');
          if (again === 'Try Again') continue;
          return 'rejected';
        }
        if (isApiError(e) && e.kind === 'config') {
          void vscode.window.showErrorMessage(`Xsolla Import: ${e.message}`);
          return 'failed';
        }
        verified = false;
        log.warn('credentials', `Could not check the credentials: ${isApiError(e) ? e.message : 'unexpected error'}`);
        void vscode.window.showWarningMessage(`Saved the key for project ${projectId}, but could not reach Xsolla to check it: ${isApiError(e) ? e.message : 'unexpected error'}`);
      }
      try {
        await store.save(creds);
      } catch (e) {
        void vscode.window.showErrorMessage(e instanceof CredentialStoreError ? e.message : 'Could not save the credentials.');
        return 'failed';
      }
      log.info('credentials', `Saved credentials for project ${projectId}${verified ? '' : ' (not verified)'}.`);
      if (verified) void vscode.window.showInformationMessage(`Xsolla Import: watching project ${projectId}.`);
      await watches.reload();
      return verified ? 'saved' : 'saved-unverified';
    }
  }

  async function clearCredentials(args?: { all?: boolean; projectId?: number }): Promise<void> {
    try {
      let target: number | 'all' | undefined = args?.all ? 'all' : args?.projectId;
      if (target === undefined) {
        const ids = await store.projectIds();
        if (ids.length === 0) {
          void vscode.window.showInformationMessage('Xsolla Import: no stored credentials.');
          return;
        }
        if (ids.length === 1) target = ids[0];
        else {
          const pick = await vscode.window.showQuickPick(
            [...ids.map((id) => ({ label: `Project ${id}`, id: id as number | 'all' })), { label: 'All projects', id: 'all' as const }],
            { title: 'Clear the stored key of…' },
          );
          if (!pick) return;
          target = pick.id;
        }
      }
      await store.remove(target === 'all' ? undefined : target);
      log.info('credentials', target === 'all' ? 'Cleared all stored credentials.' : `Cleared the credentials of project ${target}.`);
      await watches.reload();
      if (store.fromEnvironment()) void vscode.window.showInformationMessage('Xsolla Import: cleared. XSOLLA_PROJECT_ID and XSOLLA_API_KEY are still set in the environment and stay in use.');
    } catch (e) {
      void vscode.window.showErrorMessage(e instanceof CredentialStoreError ? e.message : 'Could not clear the credentials.');
    }
  }

  async function openSku(item?: LocatedError): Promise<boolean> {
    if (!item) return false;
    const loc = item.locations[0];
    if (!loc) {
      void vscode.window.showInformationMessage(item.error.sku === '' ? 'This error is about an item with an empty SKU; it cannot be located.' : `SKU "${item.error.sku}" is not defined in any catalog file of this workspace.`);
      return false;
    }
    if (item.locations.length > 1) log.info('tree', `SKU ${item.error.sku} is defined ${item.locations.length} times; opening the first.`);
    const range = toRange(loc);
    await vscode.window.showTextDocument(vscode.Uri.parse(loc.file), { selection: range, preview: true });
    return true;
  }

  /** The project a command acts on: the only one, or the user's pick in a multi-root workspace. */
  async function pickProject(projectId?: number): Promise<ProjectWatch | undefined> {
    const ready = watches.watches.filter((w) => w.credentials);
    if (projectId !== undefined) return ready.find((w) => w.credentials!.projectId === projectId);
    if (ready.length <= 1) return ready[0];
    const pick = await vscode.window.showQuickPick(
      ready.map((w) => ({ label: `Project ${w.credentials!.projectId}`, w })),
      { title: 'Which project?' },
    );
    return pick?.w;
  }

  async function startImport(args?: StartImportArgs): Promise<StartImportResult> {
    const watch = await pickProject(args?.projectId);
    const creds = watch?.credentials;
    if (!watch || !creds) {
      const pick = await vscode.window.showInformationMessage('Xsolla Import: set credentials before starting an import.', 'Set Credentials');
      if (pick) await setCredentials();
      return 'cancelled';
    }
    const recent = workspaceState.get<string[]>(RECENT_URLS_KEY, []).filter((u) => typeof u === 'string');
    let url = args?.url;
    if (url === undefined) {
      if (recent.length) {
        const NEW = '$(add) Enter a new URL…';
        const pick = await vscode.window.showQuickPick([NEW, ...recent], { title: `Start import into project ${creds.projectId}: catalog file URL`, placeHolder: 'A public https URL of the JSON import file' });
        if (pick === undefined) return 'cancelled';
        if (pick !== NEW) url = pick;
      }
      url ??= await vscode.window.showInputBox({
        title: `Start import into project ${creds.projectId}`,
        prompt: 'Public URL of the JSON import file (served as application/json, at most 7 MB)',
        placeHolder: 'https://example.com/catalog/items.json',
        ignoreFocusOut: true,
        validateInput: (v) => (isHttpUrl(v.trim()) ? undefined : 'Enter an http(s) URL.'),
      });
      if (url === undefined) return 'cancelled';
    }
    url = url.trim();
    if (!isHttpUrl(url)) {
      void vscode.window.showErrorMessage(`Xsolla Import: "${url}" is not an http(s) URL.`);
      return 'failed';
    }
    let mode = args?.mode;
    if (!mode) {
      const pick = await vscode.window.showQuickPick(
        [
          { label: 'create_and_update', description: 'default', detail: 'Add new items and update existing ones.', mode: 'create_and_update' as const },
          { label: 'create', detail: 'Add new items only; existing items are left as they are.', mode: 'create' as const },
          { label: 'sync', detail: 'Make the store match the file: items missing from the file are disabled.', mode: 'sync' as const },
        ],
        { title: 'Import mode' },
      );
      if (!pick) return 'cancelled';
      mode = pick.mode;
    }
    if (mode === 'sync' && !args?.confirmSync) {
      const ok = await vscode.window.showWarningMessage(
        `Sync disables every item of project ${creds.projectId} that is missing from the file.`,
        { modal: true, detail: 'Use create_and_update if the file holds only part of the catalog.' },
        'Start Sync Import',
      );
      if (ok !== 'Start Sync Import') return 'cancelled';
    }
    try {
      const { importId } = await watches.client().startImport(creds, url, mode);
      log.info('import', `Started import ${importId} into project ${creds.projectId} (mode ${mode}).`);
      await workspaceState.update(RECENT_URLS_KEY, [url, ...recent.filter((u) => u !== url)].slice(0, RECENT_URLS_LIMIT));
      void vscode.window.showInformationMessage(`Xsolla import started (mode ${mode}).`);
      void watch.poller.expectImport();
      return { importId };
    } catch (e) {
      const message = isApiError(e) ? e.message : 'Unexpected error while starting the import.';
      log.warn('import', `Could not start the import: ${message}`);
      void vscode.window.showErrorMessage(`Xsolla could not start the import: ${message}`);
      return 'failed';
    }
  }

  async function showFixed(): Promise<readonly string[]> {
    const fixed: { label: string; description: string }[] = [];
    for (const w of watches.watches) {
      const id = w.credentials?.projectId;
      const status = w.poller.lastStatus;
      if (id === undefined || !status) continue;
      for (const [sku, code] of compare(history.get(id), status).fixed) fixed.push({ label: sku || '(empty SKU)', description: `fixed · was ${code ?? 'an error'}${watches.watches.length > 1 ? ` · project ${id}` : ''}` });
    }
    if (fixed.length === 0) {
      void vscode.window.showInformationMessage('Xsolla Import: no SKU was fixed since the previous import.');
      return [];
    }
    void vscode.window.showQuickPick(fixed, { title: `${fixed.length} SKUs fixed since the previous import`, canPickMany: false });
    return fixed.map((f) => f.label);
  }

  const reg = vscode.commands.registerCommand;
  return [
    reg(COMMANDS.setCredentials, setCredentials),
    reg(COMMANDS.clearCredentials, clearCredentials),
    reg(COMMANDS.refresh, async () => {
      if (!watches.hasCredentials) {
        const pick = await vscode.window.showInformationMessage('Xsolla Import: no credentials are stored yet.', 'Set Credentials');
        if (pick) await setCredentials();
        return;
      }
      log.info('poller', 'Refresh requested.');
      await watches.refreshAll();
    }),
    reg(COMMANDS.startImport, startImport),
    reg(COMMANDS.validateCatalog, async () => {
      const summary = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: 'Validating the catalog…' }, () => validator.validateWorkspace());
      log.info('catalog', summary.text);
      const show = summary.errors ? vscode.window.showErrorMessage : summary.warnings ? vscode.window.showWarningMessage : vscode.window.showInformationMessage;
      void show(`Xsolla Import: ${summary.text}.`, ...(summary.errors + summary.warnings ? ['Show Problems'] : [])).then((pick) => {
        if (pick) void vscode.commands.executeCommand('workbench.actions.view.problems');
      });
      return summary;
    }),
    reg(COMMANDS.showFixed, showFixed),
    reg(COMMANDS.revealSku, async (sku?: string) => {
      const node = typeof sku === 'string' ? tree.findSku(sku) : undefined;
      if (!node) return false;
      await tree.view.reveal(node, { select: true, focus: true, expand: true });
      return true;
    }),
    reg(COMMANDS.showLog, () => log.show()),
    reg(COMMANDS.showErrors, () => vscode.commands.executeCommand('xsollaImport.skuErrors.focus')),
    reg(COMMANDS.copySku, (node?: { item?: LocatedError }) => node?.item && vscode.env.clipboard.writeText(node.item.error.sku)),
    reg(COMMANDS.copyError, (node?: { item?: LocatedError }) => node?.item && vscode.env.clipboard.writeText(`${skuLabel(node.item.error)}: ${errorLine(node.item.error)}`)),
    reg(COMMANDS.openSku, openSku),
  ];
}

function isHttpUrl(v: string): boolean {
  try {
    const u = new URL(v);
    return u.protocol === 'https:' || u.protocol === 'http:';
  } catch {
    return false;
  }
}
