/** Every command of the extension. Commands ask the poller or the session; they never render. */
import * as vscode from 'vscode';
import { LocatedError } from './core/errorModel';
import { isApiError } from './core/errors';
import { Poller } from './core/poller';
import { COMMANDS, errorLine, skuLabel } from './core/presentation';
import { CredentialStore, CredentialStoreError } from './credentials';
import { toRange } from './diagnostics';
import { Logger } from './log';
import { WatchSession } from './session';

/** Arguments that let tests and scripts run Set Credentials without the input boxes. */
export interface SetCredentialsArgs {
  readonly projectId: number;
  readonly apiKey: string;
}

export type SetCredentialsResult = 'saved' | 'saved-unverified' | 'rejected' | 'cancelled' | 'failed';

export function registerCommands(deps: { store: CredentialStore; session: WatchSession; poller: Poller; log: Logger }): vscode.Disposable[] {
  const { store, session, poller, log } = deps;

  async function setCredentials(args?: SetCredentialsArgs): Promise<SetCredentialsResult> {
    let projectId = args?.projectId;
    let apiKey = args?.apiKey;
    for (;;) {
      if (!args) {
        const idText = await vscode.window.showInputBox({
          title: 'Xsolla Import: Set Credentials (1/2)',
          prompt: 'Xsolla project ID (shown next to the project name in Publisher Account)',
          placeHolder: 'e.g. 44056',
          value: projectId ? String(projectId) : session.credentials ? String(session.credentials.projectId) : '',
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
        await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Checking the key for project ${projectId}…`, cancellable: false }, () => session.client().getStatus(creds));
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
      await session.reload();
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
      await session.reload();
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

  const reg = vscode.commands.registerCommand;
  return [
    reg(COMMANDS.setCredentials, setCredentials),
    reg(COMMANDS.clearCredentials, clearCredentials),
    reg(COMMANDS.refresh, async () => {
      if (!session.credentials) {
        const pick = await vscode.window.showInformationMessage('Xsolla Import: no credentials are stored yet.', 'Set Credentials');
        if (pick) await setCredentials();
        return;
      }
      log.info('poller', 'Refresh requested.');
      await poller.refresh();
    }),
    reg(COMMANDS.showLog, () => log.show()),
    reg(COMMANDS.showErrors, () => vscode.commands.executeCommand('xsollaImport.skuErrors.focus')),
    reg(COMMANDS.copySku, (node?: { item?: LocatedError }) => node?.item && vscode.env.clipboard.writeText(node.item.error.sku)),
    reg(COMMANDS.copyError, (node?: { item?: LocatedError }) => node?.item && vscode.env.clipboard.writeText(`${skuLabel(node.item.error)}: ${errorLine(node.item.error)}`)),
    reg(COMMANDS.openSku, openSku),
  ];
}
