/** The status bar item. It applies `presentStatusBar`; it makes no decisions of its own. */
import * as vscode from 'vscode';
import { COMMANDS, StatusBarView } from './core/presentation';

export class StatusBar implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;

  constructor() {
    this.item = vscode.window.createStatusBarItem('xsollaImport.status', vscode.StatusBarAlignment.Left, 10);
    this.item.name = 'Xsolla Import';
    this.item.show();
  }

  apply(view: StatusBarView): void {
    const item = this.item;
    item.text = view.text;
    const tooltip = new vscode.MarkdownString(view.tooltip, true);
    // Command links work only for our own commands and the settings editor.
    tooltip.isTrusted = { enabledCommands: [...Object.values(COMMANDS), 'workbench.action.openSettings'] };
    item.tooltip = tooltip;
    item.backgroundColor = view.background ? new vscode.ThemeColor(view.background === 'error' ? 'statusBarItem.errorBackground' : 'statusBarItem.warningBackground') : undefined;
    item.command = view.command;
    item.accessibilityInformation = { label: view.accessibilityLabel, role: 'button' };
  }

  /** What is shown now (used by the integration tests). */
  get text(): string {
    return this.item.text;
  }

  get tooltipMarkdown(): string {
    const t = this.item.tooltip;
    return typeof t === 'string' ? t : (t?.value ?? '');
  }

  dispose(): void {
    this.item.dispose();
  }
}
