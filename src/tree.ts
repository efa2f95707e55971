/** The "SKU Errors" tree: the general import error, then failed SKUs grouped by item type. */
import * as vscode from 'vscode';
import { ErrorGroup, ErrorModel, LocatedError } from './core/errorModel';
import { COMMANDS, errorLine, skuLabel } from './core/presentation';

/** One watched project's errors, as the tree shows them. */
export interface ProjectErrors {
  readonly projectId?: number;
  /** e.g. "Project 44056 · done, 3 errors" */
  readonly title: string;
  readonly model: ErrorModel;
}

/** Each node carries its parent (and its project's position), so ids and getParent need no search. */
type ProjectNode = { readonly type: 'project'; readonly project: ProjectErrors; readonly projectIndex: number };
type GroupNode = { readonly type: 'group'; readonly group: ErrorGroup; readonly projectIndex: number; readonly parent?: ProjectNode };

export type ErrorNode =
  | ProjectNode
  | { readonly type: 'general'; readonly message: string; readonly code?: string; readonly parent?: ProjectNode }
  | GroupNode
  | { readonly type: 'sku'; readonly item: LocatedError; readonly index: number; readonly parent: GroupNode };

export class SkuErrorTree implements vscode.TreeDataProvider<ErrorNode>, vscode.Disposable {
  private projects: readonly ProjectErrors[] = [];
  private readonly changed = new vscode.EventEmitter<ErrorNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  readonly view: vscode.TreeView<ErrorNode>;

  constructor() {
    this.view = vscode.window.createTreeView('xsollaImport.skuErrors', { treeDataProvider: this, showCollapseAll: true });
  }

  apply(projects: readonly ProjectErrors[]): void {
    this.projects = projects;
    const count = projects.reduce((n, p) => n + (p.model.status?.errors.length ?? 0), 0);
    this.view.badge = count ? { value: count, tooltip: `${count} SKU errors in the last import` } : undefined;
    this.changed.fire(undefined);
  }

  getChildren(node?: ErrorNode): ErrorNode[] {
    if (!node) {
      // One project: its errors at the top level. Several (multi-root): one root per project.
      if (this.projects.length === 1) return this.modelChildren(this.projects[0].model, 0);
      return this.projects.map((project, projectIndex) => ({ type: 'project', project, projectIndex }));
    }
    if (node.type === 'project') return this.modelChildren(node.project.model, node.projectIndex, node);
    if (node.type === 'group') return node.group.errors.map((item, index) => ({ type: 'sku', item, index, parent: node }));
    return [];
  }

  private modelChildren(model: ErrorModel, projectIndex: number, parent?: ProjectNode): ErrorNode[] {
    const roots: ErrorNode[] = [];
    const s = model.status;
    if (s?.error || (s?.errorCode && s.state === 'error')) roots.push({ type: 'general', message: s.error ?? 'The import failed.', code: s.errorCode, parent });
    for (const group of model.groups) roots.push({ type: 'group', group, projectIndex, parent });
    return roots;
  }

  getTreeItem(node: ErrorNode): vscode.TreeItem {
    switch (node.type) {
      case 'project': {
        const t = new vscode.TreeItem(node.project.title, vscode.TreeItemCollapsibleState.Expanded);
        t.id = `project:${node.project.projectId ?? 'none'}`;
        t.iconPath = new vscode.ThemeIcon('package');
        t.contextValue = 'project';
        return t;
      }
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
        t.id = `group:${node.projectIndex}:${node.group.kind}`;
        t.description = String(node.group.errors.length);
        t.contextValue = 'group';
        return t;
      }
      case 'sku': {
        const { error, locations } = node.item;
        const t = new vscode.TreeItem(skuLabel(error), vscode.TreeItemCollapsibleState.None);
        t.id = `sku:${node.parent.projectIndex}:${error.kind}:${node.index}:${error.sku}`;
        const where = error.sku === '' ? '' : locations.length === 0 ? ' · not found in workspace' : '';
        t.description = (node.item.isNew ? 'new · ' : '') + errorLine(error) + where;
        const tip = new vscode.MarkdownString();
        if (error.sku) tip.appendCodeblock(error.sku, 'text');
        else tip.appendText('(empty SKU)\n\n');
        tip.appendText(`${error.fullMessage || error.message}\n\n`);
        if (node.item.isNew) tip.appendText('New since the previous import.\n\n');
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
    return node.type === 'project' ? undefined : node.parent;
  }

  /** The tree node of a failed SKU, for "reveal in tree" from a hover. */
  findSku(sku: string): ErrorNode | undefined {
    for (const root of this.getChildren())
      for (const group of root.type === 'project' ? this.getChildren(root) : [root]) {
        if (group.type !== 'group') continue;
        const index = group.group.errors.findIndex((e) => e.error.sku === sku);
        if (index >= 0) return { type: 'sku', item: group.group.errors[index], index, parent: group };
      }
    return undefined;
  }

  dispose(): void {
    this.view.dispose();
    this.changed.dispose();
  }
}
