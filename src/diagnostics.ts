/** The Problems panel: one diagnostic per failed SKU at its definition, replaced as a whole. */
import * as vscode from 'vscode';
import { ErrorModel } from './core/errorModel';
import { SkuLocation } from './core/skuIndex';

export const DIAGNOSTIC_SOURCE = 'Xsolla import';

export function toRange(loc: SkuLocation): vscode.Range {
  return new vscode.Range(loc.start.line, loc.start.character, loc.end.line, loc.end.character);
}

export class ImportDiagnostics implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('xsollaImport');

  /** Replaces the whole set with the errors of every watched project. */
  apply(models: readonly ErrorModel[]): void {
    const entries: [vscode.Uri, vscode.Diagnostic[]][] = [];
    for (const model of models) for (const [file, errors] of model.byFile) {
      const uri = vscode.Uri.parse(file);
      const list: vscode.Diagnostic[] = [];
      for (const { error, locations } of errors) {
        for (const loc of locations) {
          if (loc.file !== file) continue;
          const d = new vscode.Diagnostic(toRange(loc), error.fullMessage || error.message || 'Import failed for this SKU.', vscode.DiagnosticSeverity.Error);
          d.source = DIAGNOSTIC_SOURCE;
          if (error.code !== null) d.code = error.code;
          list.push(d);
        }
      }
      entries.push([uri, list]);
    }
    this.collection.clear();
    this.collection.set(entries);
  }

  clear(): void {
    this.collection.clear();
  }

  dispose(): void {
    this.collection.dispose();
  }
}
