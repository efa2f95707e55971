/** The one notification per finished import, with "Show errors" and "Open log". */
import * as vscode from 'vscode';
import { Config } from './config';
import { COMMANDS, finishMessage } from './core/presentation';
import { ImportStatus } from './core/types';
import { Logger } from './log';

export function notifyFinished(status: ImportStatus, config: Config, log: Logger): void {
  const { severity, text } = finishMessage(status);
  log.info('poller', `Import finished: ${status.state}, ${status.errorsCount} errors of ${status.totalEntities}.`);
  if (!config.notifyOnFinish) return;
  const show = severity === 'error' ? vscode.window.showErrorMessage : severity === 'warning' ? vscode.window.showWarningMessage : vscode.window.showInformationMessage;
  const actions = status.errors.length ? ['Show errors', 'Open log'] : ['Open log'];
  void show(text, ...actions).then((pick) => {
    if (pick === 'Show errors') void vscode.commands.executeCommand(COMMANDS.showErrors);
    if (pick === 'Open log') log.show();
  });
}
