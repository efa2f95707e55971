/**
 * Validates catalog files before import (core/catalogRules.ts) and shows the problems in the Problems
 * panel with source "Xsolla catalog", with quick fixes. Updates as the user types: each file is
 * re-analysed when its text changes, and the workspace rules (duplicates, unknown references) rerun
 * over the cached analyses.
 */
import * as vscode from 'vscode';
import { CatalogFileEvent, CatalogIndexer } from './catalog';
import { analyseFile, CATALOG_SOURCE, CatalogProblem, FileAnalysis, Range, summarise, validateAnalyses } from './core/catalogRules';
import { mayContainSku } from './core/skuScanner';
import { Logger } from './log';

const VALIDATE_DEBOUNCE_MS = 250;

function toRange(r: Range): vscode.Range {
  return new vscode.Range(r.start.line, r.start.character, r.end.line, r.end.character);
}

export class CatalogValidator implements vscode.Disposable, vscode.CodeActionProvider {
  private readonly collection = vscode.languages.createDiagnosticCollection('xsollaCatalog');
  private readonly analyses = new Map<string, FileAnalysis>();
  private readonly fixes = new Map<vscode.Diagnostic, NonNullable<CatalogProblem['fix']>>();
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires after each validation pass. */
  readonly onDidValidate = this.changed.event;
  private readonly disposables: vscode.Disposable[] = [this.collection, this.changed];
  private timer: ReturnType<typeof setTimeout> | undefined;
  private problems: readonly CatalogProblem[] = [];
  private validatedOnce = false;
  /** Files given with their content during the current full scan (open documents, non-local files). */
  private readDuringScan = new Set<string>();
  /** Bumped on every onDidReadFile, so that a disk read never overwrites newer editor text. */
  private readonly stamps = new Map<string, number>();
  private stamp = 0;
  private passGeneration = 0;
  /** The analysis pass after the latest full scan. */
  private pass: Promise<void> = Promise.resolve();
  private disposed = false;

  constructor(
    private readonly catalog: CatalogIndexer,
    private readonly log: Logger,
  ) {
    this.disposables.push(
      catalog.onDidReadFile((e) => this.onFile(e)),
      catalog.onDidScan((found) => {
        this.pass = this.analyseAfterScan(found);
      }),
      vscode.languages.registerCodeActionsProvider([{ language: 'json' }, { language: 'jsonc' }], this, { providedCodeActionKinds: [vscode.CodeActionKind.QuickFix] }),
    );
  }

  /** e.g. "Catalog: 1 error, 1 warning in 2 files"; undefined before the first pass. */
  get summary(): string | undefined {
    return this.validatedOnce ? summarise(this.problems).text : undefined;
  }

  /** "Validate Catalog": re-reads every catalog file, validates, and returns the summary. */
  async validateWorkspace(): Promise<ReturnType<typeof summarise>> {
    await this.catalog.rebuild();
    // A newer scan (or pass) may start meanwhile: wait for the latest to finish.
    for (let ready, pass; ready !== this.catalog.whenReady() || pass !== this.pass; ) {
      ready = this.catalog.whenReady();
      await ready;
      pass = this.pass;
      await pass;
    }
    this.validateNow();
    return summarise(this.problems);
  }

  /**
   * After a full scan: files indexed in worker threads came with no content, so read the ones that
   * can matter (files with definitions, and files skipped as invalid JSON) and analyse them, a
   * file at a time with a yield in between, then validate once. Files whose content came with the
   * scan keep that analysis; every other analysis is dropped.
   */
  private async analyseAfterScan(found: ReadonlySet<string>): Promise<void> {
    const gen = ++this.passGeneration;
    const given = this.readDuringScan;
    this.readDuringScan = new Set();
    const wanted = new Set<string>();
    for (const file of this.catalog.index.files()) if (found.has(file) && !given.has(file) && this.catalog.index.definitionsIn(file).length > 0) wanted.add(file);
    for (const [file, reason] of this.catalog.skippedFiles) if (found.has(file) && !given.has(file) && /JSON/i.test(reason)) wanted.add(file);
    for (const file of [...this.analyses.keys()]) if (!found.has(file) || (!given.has(file) && !wanted.has(file))) this.analyses.delete(file);
    const started = this.stamp;
    for (const file of wanted) {
      await new Promise((r) => setImmediate(r));
      if (gen !== this.passGeneration || this.disposed) return;
      if ((this.stamps.get(file) ?? 0) > started) continue; // newer text came from an editor or the watcher
      let bytes: Uint8Array;
      try {
        bytes = await vscode.workspace.fs.readFile(vscode.Uri.parse(file));
      } catch {
        this.analyses.delete(file); // gone since the scan: the watcher drops it
        continue;
      }
      if (gen !== this.passGeneration || this.disposed) return;
      if ((this.stamps.get(file) ?? 0) > started) continue;
      const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      if (mayContainSku(buf)) this.analyses.set(file, analyseFile(file, buf.toString('utf8'), buf.byteLength));
      else this.analyses.delete(file);
    }
    if (gen !== this.passGeneration || this.disposed) return;
    this.validateNow();
  }

  private onFile(e: CatalogFileEvent): void {
    const key = e.uri.toString();
    this.stamps.set(key, ++this.stamp);
    if (this.catalog.scanning) this.readDuringScan.add(key);
    if (e.content === undefined || !mayContainSku(e.content)) {
      if (!this.analyses.delete(key)) return;
    } else {
      const text = typeof e.content === 'string' ? e.content : e.content.toString('utf8');
      const byteLength = typeof e.content === 'string' ? undefined : e.content.byteLength;
      this.analyses.set(key, analyseFile(key, text, byteLength));
    }
    if (!this.catalog.scanning) this.schedule();
  }

  private schedule(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.validateNow(), VALIDATE_DEBOUNCE_MS);
  }

  private validateNow(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const started = Date.now();
    this.problems = validateAnalyses(this.analyses.values());
    this.validatedOnce = true;
    this.fixes.clear();
    const byFile = new Map<string, vscode.Diagnostic[]>();
    for (const p of this.problems) {
      const d = new vscode.Diagnostic(toRange(p.range), p.message, p.severity === 'error' ? vscode.DiagnosticSeverity.Error : p.severity === 'warning' ? vscode.DiagnosticSeverity.Warning : vscode.DiagnosticSeverity.Information);
      d.source = CATALOG_SOURCE;
      d.code = p.code;
      if (p.related?.length) d.relatedInformation = p.related.map((r) => new vscode.DiagnosticRelatedInformation(new vscode.Location(vscode.Uri.parse(r.file), toRange(r.range)), r.message));
      if (p.fix) this.fixes.set(d, p.fix);
      let list = byFile.get(p.file);
      if (!list) byFile.set(p.file, (list = []));
      list.push(d);
    }
    this.collection.clear();
    this.collection.set([...byFile].map(([file, diags]) => [vscode.Uri.parse(file), diags]));
    this.log.debug('catalog', `Validated ${this.analyses.size} catalog files in ${Date.now() - started} ms: ${summarise(this.problems).text}.`);
    this.changed.fire();
  }

  provideCodeActions(doc: vscode.TextDocument, _range: vscode.Range, ctx: vscode.CodeActionContext): vscode.CodeAction[] {
    const actions: vscode.CodeAction[] = [];
    for (const d of ctx.diagnostics) {
      if (d.source !== CATALOG_SOURCE) continue;
      const fix = this.findFix(doc.uri, d);
      if (!fix) continue;
      const action = new vscode.CodeAction(fix.title, vscode.CodeActionKind.QuickFix);
      action.diagnostics = [d];
      action.isPreferred = true;
      action.edit = new vscode.WorkspaceEdit();
      action.edit.replace(doc.uri, toRange(fix.range), fix.newText);
      actions.push(action);
    }
    return actions;
  }

  /** The diagnostics in ctx are copies, so match on file, range, code and message. */
  private findFix(uri: vscode.Uri, d: vscode.Diagnostic): CatalogProblem['fix'] | undefined {
    for (const mine of this.collection.get(uri) ?? []) {
      if (mine.range.isEqual(d.range) && mine.code === d.code && mine.message === d.message) return this.fixes.get(mine);
    }
    return undefined;
  }

  dispose(): void {
    this.disposed = true;
    clearTimeout(this.timer);
    for (const d of this.disposables) d.dispose();
  }
}
