/** Hovering a SKU definition that failed in the last import shows the error, with a link to the tree. */
import * as vscode from 'vscode';
import { ErrorModel } from './core/errorModel';
import { COMMANDS, errorLine } from './core/presentation';
import { toRange } from './diagnostics';

export class SkuHoverProvider implements vscode.HoverProvider {
  constructor(private readonly models: () => readonly ErrorModel[]) {}

  provideHover(doc: vscode.TextDocument, pos: vscode.Position): vscode.Hover | undefined {
    const file = doc.uri.toString();
    for (const model of this.models()) {
      const here = model.byFile.get(file);
      if (!here) continue;
      for (const located of here) {
        const loc = located.locations.find((l) => l.file === file && toRange(l).contains(pos));
        if (!loc) continue;
        const e = located.error;
        const md = new vscode.MarkdownString(undefined, true);
        md.appendMarkdown(`$(error) **Xsolla import error${e.code !== null ? ` ${e.code}` : ''}**${located.isNew ? ' · new since the previous import' : ''}\n\n`);
        md.appendText(errorLine(e));
        md.appendMarkdown(`\n\n[Reveal in SKU Errors](command:${COMMANDS.revealSku}?${encodeURIComponent(JSON.stringify([e.sku]))})`);
        md.isTrusted = { enabledCommands: [COMMANDS.revealSku] };
        return new vscode.Hover(md, toRange(loc));
      }
    }
    return undefined;
  }
}

export function registerHover(models: () => readonly ErrorModel[]): vscode.Disposable {
  return vscode.languages.registerHoverProvider([{ language: 'json' }, { language: 'jsonc' }], new SkuHoverProvider(models));
}
