/** The "SKU Errors" tree: the general import error, then failed SKUs grouped by item type. */
import * as vscode from 'vscode';
import { ErrorGroup, ErrorModel, EMPTY_MODEL, LocatedError } from './core/errorModel';
import { COMMANDS, errorLine, skuLabel } from './core/presentation';

export type ErrorNode =
  | { readonly type: 'general'; readonly message: string; readonly code?: string }
  | { readonly type: 'group'; readonly group: ErrorGroup }
  | { readonly type: 'sku'; readonly item: LocatedError; readonly index: number };

export class SkuErrorTree implements vscode.TreeDataProvider<ErrorNode>, vscode.Disposable {
  private model: ErrorModel = EMPTY_MODEL;
  private readonly changed = new vscode.EventEmitter<ErrorNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  readonly view: vscode.TreeView<ErrorNode>;

  constructor() {
    this.view = vscode.window.createTreeView('xsollaImport.skuErrors', { treeDataProvider: this, showCollapseAll: true });
  }

  apply(model: ErrorModel): void {
    this.model = model;
    const count = model.status?.errors.length ?? 0;
    this.view.badge = count ? { value: count, tooltip: `${count} SKU errors in the last import` } : undefined;
    this.changed.fire(undefined);
  }

  getChildren(node?: ErrorNode): ErrorNode[] {
    if (!node) {
      const roots: ErrorNode[] = [];
      const s = this.model.status;
      if (s?.error || (s?.errorCode && s.state === 'error')) roots.push({ type: 'general', message: s.error ?? 'The import failed.', code: s.errorCode });
      for (const group of this.model.groups) roots.push({ type: 'group', group });
      return roots;
    }
    if (node.type === 'group') return node.group.errors.map((item, index) => ({ type: 'sku', item, index }));
    return [];
  }

  getTreeItem(node: ErrorNode): vscode.TreeItem {
    switch (node.type) {
      case 'general': {
        const t = new vscode.TreeItem(`Import error${node.code ? ` ${node.code}` : ''}`, vscode.TreeItemCollapsibleState.None);
        t.description = node.message;
        t.tooltip = node.message;
        t.iconPath = new vscode.ThemeIcon('error', new vscode.ThemeColor('errorForeground'));
        t.contextValue = 'generalError';
        return t;
      }
      case 'group': {
        const t = new vscode.TreeItem(node.group.label, vscode.TreeItemCollapsibleState.Expanded);
        t.id = `group:${node.group.kind}`;
        t.description = String(node.group.errors.length);
        t.contextValue = 'group';
        return t;
      }
      case 'sku': {
        const { error, locations } = node.item;
        const t = new vscode.TreeItem(skuLabel(error), vscode.TreeItemCollapsibleState.None);
        t.id = `sku:${error.kind}:${node.index}:${error.sku}`;
        const where = error.sku === '' ? '' : locations.length === 0 ? ' · not found in workspace' : '';
        t.description = errorLine(error) + where;
        const tip = new vscode.MarkdownString();
        if (error.sku) tip.appendCodeblock(error.sku, 'text');
        else tip.appendText('(empty SKU)\n\n');
        tip.appendText(`${error.fullMessage || error.message}\n\n`);
        tip.appendText(locations.length ? `Defined in ${vscode.workspace.asRelativePath(vscode.Uri.parse(locations[0].file))}, line ${locations[0].start.line + 1}` : error.sku === '' ? 'The import had an item with an empty SKU.' : 'Not found in any catalog file of this workspace.');
        t.tooltip = tip;
        t.iconPath = new vscode.ThemeIcon(locations.length ? 'error' : 'question', new vscode.ThemeColor(locations.length ? 'errorForeground' : 'descriptionForeground'));
        t.contextValue = 'skuError';
        t.accessibilityInformation = { label: `${skuLabel(error)}, error ${errorLine(error)}${where ? ', not found in workspace' : ''}` };
        t.command = { command: COMMANDS.openSku, title: 'Open SKU Definition', arguments: [node.item] };
        return t;
      }
    }
  }

  getParent(node: ErrorNode): ErrorNode | undefined {
    if (node.type !== 'sku') return undefined;
    const group = this.model.groups.find((g) => g.errors.includes(node.item));
    return group ? { type: 'group', group } : undefined;
  }

  dispose(): void {
    this.view.dispose();
    this.changed.dispose();
  }
}
