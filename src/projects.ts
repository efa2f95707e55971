/**
 * Which projects this window watches, each with its own poller. A single-folder workspace watches
 * one project: `xsollaImport.projectId`, else the one used last. In a multi-root workspace each folder
 * may set its own `xsollaImport.projectId`; folders that share a project share its poller.
 * Re-evaluated when credentials change (in this window or another) or a relevant setting changes.
 */
import * as vscode from 'vscode';
import { Config } from './config';
import { XsollaClient } from './core/client';
import { ApiError } from './core/errors';
import { Poller } from './core/poller';
import { CredentialStore, CredentialStoreError, ResolvedCredentials } from './credentials';
import { Logger } from './log';

export interface ProjectWatch {
  /** The project ID chosen for these folders (undefined: the default, i.e. env or last used). */
  readonly wanted: number | undefined;
  readonly credentials: ResolvedCredentials | undefined;
  /** Folder URIs (as strings, with a trailing slash) whose files belong to this project; empty = all. */
  readonly folders: readonly string[];
  readonly poller: Poller;
  /** Identifies the credentials and base URL the poller uses. */
  readonly key: string;
}

export class ProjectWatches implements vscode.Disposable {
  private list: ProjectWatch[] = [];
  private readonly disposables: vscode.Disposable[] = [];
  private readonly changed = new vscode.EventEmitter<void>();
  private reloading: Promise<void> = Promise.resolve();
  /** Fires after the set of watched projects or their credentials changed. */
  readonly onDidChange = this.changed.event;

  constructor(
    private readonly store: CredentialStore,
    private readonly config: Config,
    private readonly log: Logger,
    private readonly createPoller: () => Poller,
    private readonly onPollerCreated: (p: Poller) => vscode.Disposable[],
  ) {
    this.disposables.push(
      this.changed,
      store.onDidChange(() => void this.reload()),
      vscode.workspace.onDidChangeWorkspaceFolders(() => void this.reload()),
      config.onDidChange((e) => {
        if (config.affects(e, 'apiBaseUrl') || config.affects(e, 'projectId')) void this.reload();
        else if (config.affects(e, 'pollIntervalSeconds') || config.affects(e, 'idlePollIntervalSeconds')) this.list.forEach((w) => w.poller.reschedule());
      }),
    );
  }

  get watches(): readonly ProjectWatch[] {
    return this.list;
  }

  /** The credentials of the first watched project that has some (for commands that act on "the" project). */
  get primary(): ProjectWatch | undefined {
    return this.list.find((w) => w.credentials) ?? this.list[0];
  }

  get hasCredentials(): boolean {
    return this.list.some((w) => w.credentials);
  }

  /** A client for the current settings, logging each request (method, path, status, duration; never headers). */
  client(): XsollaClient {
    const base = this.config.apiBaseUrl;
    return new XsollaClient({
      baseUrl: base.ok ? base.url : 'invalid:',
      onRequest: (r) => this.log.info('http', `${r.method} ${r.path} → ${r.status ?? '-'} ${r.outcome} (${r.ms} ms)`),
    });
  }

  setFocused(focused: boolean): void {
    this.list.forEach((w) => w.poller.setFocused(focused));
  }

  async refreshAll(): Promise<void> {
    await Promise.all(this.list.map((w) => w.poller.refresh()));
  }

  /** Re-reads folders, settings and credentials; serialised so that concurrent triggers do not interleave. */
  reload(): Promise<void> {
    this.reloading = this.reloading.then(() => this.doReload()).catch((e) => this.log.error('projects', e));
    return this.reloading;
  }

  private async doReload(): Promise<void> {
    const folders = vscode.workspace.workspaceFolders ?? [];
    const wantedByFolder = folders.length ? folders.map((f) => ({ folder: folderKey(f.uri), wanted: this.config.projectId(f.uri) })) : [{ folder: undefined, wanted: this.config.projectId() }];
    const multi = new Set(wantedByFolder.map((w) => w.wanted)).size > 1;

    // Resolve credentials per wanted project; folders resolving to the same project share a watch.
    const groups = new Map<string, { wanted: number | undefined; credentials: ResolvedCredentials | undefined; folders: string[] }>();
    for (const { folder, wanted } of wantedByFolder) {
      let credentials: ResolvedCredentials | undefined;
      try {
        credentials = await this.store.resolve(wanted);
      } catch (e) {
        const message = e instanceof CredentialStoreError ? e.message : 'Could not read the stored credentials.';
        this.log.error('credentials', message);
        void vscode.window.showErrorMessage(message);
        credentials = this.store.fromEnvironment();
      }
      const id = credentials?.projectId ?? wanted;
      const groupKey = id === undefined ? 'none' : String(id);
      const g = groups.get(groupKey) ?? { wanted, credentials, folders: [] };
      if (multi && folder) g.folders.push(folder);
      groups.set(groupKey, g);
    }

    const base = this.config.apiBaseUrl;
    if (!base.ok) this.log.warn('config', base.reason);
    const client = this.client();
    const next: ProjectWatch[] = [];
    const reused = new Set<ProjectWatch>();
    for (const g of groups.values()) {
      if (g.credentials) this.log.redactor.addCredentials(g.credentials.projectId, g.credentials.apiKey);
      const key = g.credentials ? `${base.ok ? base.url : 'invalid'}#${g.credentials.projectId}#${fingerprint(g.credentials.apiKey)}` : `none#${g.wanted ?? ''}`;
      const old = this.list.find((w) => w.key === key && !reused.has(w));
      const poller = old?.poller ?? this.newPoller();
      if (old) reused.add(old);
      const watch: ProjectWatch = { wanted: g.wanted, credentials: g.credentials, folders: g.folders, poller, key };
      next.push(watch);
      if (!old) {
        const creds = g.credentials;
        if (!creds) {
          poller.setSource(undefined);
        } else {
          const problem = base.ok ? undefined : base.reason;
          this.log.info('projects', `Watching project ${creds.projectId} (credentials from ${creds.source === 'environment' ? 'the environment' : 'secret storage'})${g.folders.length ? ` for ${g.folders.length} folder(s)` : ''}.`);
          poller.setSource({ key, fetch: (signal) => (problem ? Promise.reject(new ApiError('config', problem)) : client.getStatus(creds, signal)) });
        }
      }
    }
    for (const w of this.list) if (!reused.has(w)) this.disposePoller(w.poller);
    this.list = next;
    void vscode.commands.executeCommand('setContext', 'xsollaImport.hasCredentials', this.hasCredentials);
    this.changed.fire();
  }

  private readonly pollerDisposables = new Map<Poller, vscode.Disposable[]>();

  private newPoller(): Poller {
    const p = this.createPoller();
    this.pollerDisposables.set(p, this.onPollerCreated(p));
    return p;
  }

  private disposePoller(p: Poller): void {
    this.pollerDisposables.get(p)?.forEach((d) => d.dispose());
    this.pollerDisposables.delete(p);
    p.dispose();
  }

  dispose(): void {
    for (const w of this.list) this.disposePoller(w.poller);
    this.list = [];
    for (const d of this.disposables) d.dispose();
  }
}

export function folderKey(uri: vscode.Uri): string {
  const s = uri.toString();
  return s.endsWith('/') ? s : s + '/';
}

/** A short non-reversible tag of the key, so that a new key for the same project restarts polling. Never logged. */
function fingerprint(key: string): string {
  let h = 2166136261;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 16777619);
  return (h >>> 0).toString(36);
}
