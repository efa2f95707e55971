/**
 * Keeps the SKU index in step with the workspace: a full scan of the catalog glob at start and on
 * setting changes, then incremental updates from a FileSystemWatcher and from open editors (unsaved
 * text wins over the file on disk). Files that cannot be indexed are skipped with one log line.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { Config } from './config';
import { IndexBuilder } from './core/indexBuild';
import { SkuIndex } from './core/skuIndex';
import { Logger } from './log';

const EXCLUDE = '{**/node_modules/**,**/.git/**,**/.vscode-test/**}';
const EDIT_DEBOUNCE_MS = 150;
const READ_CONCURRENCY = 8;

/** A catalog file's content as last read (from disk or an open editor); `content` undefined = gone. */
export interface CatalogFileEvent {
  readonly uri: vscode.Uri;
  readonly content?: string | Buffer;
}

export class CatalogIndexer implements vscode.Disposable {
  private readonly fileEmitter = new vscode.EventEmitter<CatalogFileEvent>();
  /**
   * Fires for every file read here (open editors, the watcher, non-local files) or dropped, so that
   * other consumers (validation) need not read it again. Files indexed in worker threads during a
   * full scan fire nothing: consumers read what they need after onDidScan.
   */
  readonly onDidReadFile = this.fileEmitter.event;
  private readonly scanEmitter = new vscode.EventEmitter<ReadonlySet<string>>();
  /** Fires when a full scan has finished, with the URIs (as strings) of every catalog file it found. */
  readonly onDidScan = this.scanEmitter.event;
  private readonly disposables: vscode.Disposable[] = [this.fileEmitter, this.scanEmitter];
  private watcher: vscode.FileSystemWatcher | undefined;
  /** Deleting a folder reports only the folder, not the catalog files in it. */
  private readonly folderWatcher = vscode.workspace.createFileSystemWatcher('**/*', true, true, false);
  private readonly pendingEdits = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly skipped = new Map<string, string>();
  private generation = 0;
  private workerWarned = false;
  private readonly builder = new IndexBuilder();
  /** True during a full scan: consumers may wait for onDidScan instead of reacting per file. */
  scanning = false;
  private ready: Promise<void> = Promise.resolve();

  constructor(
    /** The index this indexer fills (read by the validator after a scan). */
    readonly index: SkuIndex,
    private readonly config: Config,
    private readonly log: Logger,
  ) {
    this.disposables.push(
      vscode.workspace.onDidChangeTextDocument((e) => this.onEdit(e.document)),
      vscode.workspace.onDidOpenTextDocument((d) => this.onEdit(d)),
      vscode.workspace.onDidCloseTextDocument((d) => {
        if (this.matches(d) && d.isDirty) void this.indexFromDisk(d.uri);
      }),
      vscode.workspace.onDidChangeWorkspaceFolders(() => this.rebuild()),
      config.onDidChange((e) => {
        if (config.affects(e, 'catalogFiles')) this.rebuild();
      }),
      this.folderWatcher,
      this.folderWatcher.onDidDelete((uri) => {
        const prefix = uri.toString() + '/';
        for (const file of this.index.files()) if (file.startsWith(prefix)) this.drop(vscode.Uri.parse(file));
      }),
    );
  }

  /** Resolves when the current full scan has finished. */
  whenReady(): Promise<void> {
    return this.ready;
  }

  /** Files skipped, with the reason (for the log and tests). */
  get skippedFiles(): ReadonlyMap<string, string> {
    return this.skipped;
  }

  rebuild(): Promise<void> {
    const gen = ++this.generation;
    this.watcher?.dispose();
    const glob = this.config.catalogGlob;
    this.watcher = vscode.workspace.createFileSystemWatcher(glob);
    this.watcher.onDidCreate((uri) => this.onDiskChange(uri));
    this.watcher.onDidChange((uri) => this.onDiskChange(uri));
    this.watcher.onDidDelete((uri) => this.drop(uri));
    const previous = this.ready;
    this.ready = this.scan(gen, glob, previous);
    return this.ready;
  }

  /**
   * A full scan. Files on the local disk that are not open in an editor are read and scanned by
   * worker threads (`IndexBuilder`); open documents and other schemes are read here, one by one.
   * A scan waits for the previous one to end before it clears the index, so that a superseded
   * scan's results (which land in the index as they come) never outlive the newer scan's clear.
   */
  private async scan(gen: number, glob: string, previous: Promise<void>): Promise<void> {
    const started = Date.now();
    let uris: vscode.Uri[];
    try {
      uris = await vscode.workspace.findFiles(glob, EXCLUDE);
    } catch (e) {
      this.log.error('catalog', `Could not list catalog files for "${glob}": ${e instanceof Error ? e.message : String(e)}`);
      return;
    }
    if (gen !== this.generation) return;
    await previous.catch(() => undefined);
    if (gen !== this.generation) return;
    this.index.clear();
    this.skipped.clear();
    this.scanning = true;
    const open = new Set(vscode.workspace.textDocuments.map((d) => d.uri.toString()));
    const onDisk = uris.filter((u) => u.scheme === 'file' && !open.has(u.toString()));
    const rest = uris.filter((u) => u.scheme !== 'file' || open.has(u.toString()));
    if (!(await this.buildFromDisk(gen, onDisk))) rest.push(...onDisk);
    if (gen !== this.generation) return;
    let next = 0;
    const worker = async () => {
      while (next < rest.length && gen === this.generation) {
        const uri = rest[next++];
        const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
        if (doc) this.setFile(uri, doc.getText(), doc.version);
        else await this.indexFromDisk(uri);
      }
    };
    await Promise.all(Array.from({ length: READ_CONCURRENCY }, worker));
    if (gen !== this.generation) return;
    this.scanning = false;
    this.scanEmitter.fire(new Set(uris.map((u) => u.toString())));
    this.log.info('catalog', `Indexed ${this.index.size} SKU definitions in ${uris.length} files matching "${glob}" in ${Date.now() - started} ms${this.skipped.size ? `; skipped ${this.skipped.size}` : ''}.`);
  }

  /**
   * Indexes local files with the worker-thread builder. Fires no onDidReadFile (the content stays in
   * the workers); consumers read what they need after onDidScan. Returns false if the workers could
   * not be used (the caller then indexes these files one by one).
   */
  private async buildFromDisk(gen: number, uris: readonly vscode.Uri[]): Promise<boolean> {
    if (!uris.length) return true;
    const workerScript = path.join(__dirname, 'indexWorker.js');
    let results;
    try {
      if (!fs.existsSync(workerScript)) throw new Error(`${path.basename(workerScript)} is missing next to the extension`);
      results = await this.builder.build(this.index, uris.map((u) => u.fsPath), uris.map((u) => u.toString()), { workerScript });
    } catch (e) {
      if (!this.workerWarned) {
        this.workerWarned = true;
        this.log.warn('catalog', `Indexing in worker threads failed (${e instanceof Error ? e.message : String(e)}); reading catalog files one by one.`);
      }
      return false;
    }
    if (gen !== this.generation) return true;
    results.forEach((r, i) => {
      if (r.ok) this.skipped.delete(uris[i].toString());
      else this.skip(uris[i], r.reason);
    });
    return true;
  }

  private drop(uri: vscode.Uri): void {
    this.index.removeFile(uri.toString());
    this.skipped.delete(uri.toString());
    this.fileEmitter.fire({ uri });
  }

  private onDiskChange(uri: vscode.Uri): void {
    const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    if (open?.isDirty) return; // the editor's text is newer than the disk
    void this.indexFromDisk(uri);
  }

  /** Indexes one file from disk; a file that is gone or unreadable is dropped with one log line. */
  async indexFromDisk(uri: vscode.Uri): Promise<void> {
    let bytes: Uint8Array;
    try {
      const stat = await vscode.workspace.fs.stat(uri);
      if (stat.type & vscode.FileType.Directory) return;
      bytes = await vscode.workspace.fs.readFile(uri);
    } catch (e) {
      // Deleted while we were indexing, unreadable, or a broken link: drop it and move on.
      this.index.removeFile(uri.toString());
      this.fileEmitter.fire({ uri });
      this.skip(uri, `could not be read (${e instanceof vscode.FileSystemError ? e.code : 'error'})`);
      return;
    }
    this.setFile(uri, Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  }

  private setFile(uri: vscode.Uri, content: string | Buffer, version?: number): void {
    const key = uri.toString();
    const result = this.index.setFile(key, content, version);
    this.fileEmitter.fire({ uri, content: result.ok || !/too large|binary/.test(result.reason) ? content : undefined });
    if (result.ok) {
      this.skipped.delete(key);
    } else {
      this.skip(uri, result.reason);
    }
  }

  private skip(uri: vscode.Uri, reason: string): void {
    const key = uri.toString();
    if (this.skipped.get(key) === reason) return; // one line per file and reason, not one per keystroke
    this.skipped.set(key, reason);
    this.log.warn('catalog', `Skipped ${vscode.workspace.asRelativePath(uri)}: ${reason}`);
  }

  private matches(doc: vscode.TextDocument): boolean {
    if (doc.uri.scheme !== 'file' && doc.uri.scheme !== 'vscode-remote') return false;
    if (!vscode.workspace.getWorkspaceFolder(doc.uri)) return false;
    return vscode.languages.match({ pattern: this.config.catalogGlob }, doc) > 0;
  }

  private onEdit(doc: vscode.TextDocument): void {
    if (!this.matches(doc)) return;
    const key = doc.uri.toString();
    clearTimeout(this.pendingEdits.get(key));
    this.pendingEdits.set(
      key,
      setTimeout(() => {
        this.pendingEdits.delete(key);
        if (!doc.isClosed) this.setFile(doc.uri, doc.getText(), doc.version);
      }, EDIT_DEBOUNCE_MS),
    );
  }

  dispose(): void {
    this.generation++;
    void this.builder.dispose();
    for (const t of this.pendingEdits.values()) clearTimeout(t);
    this.pendingEdits.clear();
    this.watcher?.dispose();
    for (const d of this.disposables) d.dispose();
  }
}
