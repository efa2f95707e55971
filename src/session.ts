/**
 * Connects credentials and settings to the poller: which project is watched, through which client.
 * Re-evaluated when credentials change (in this window or another) or a relevant setting changes.
 */
import * as vscode from 'vscode';
import { Config } from './config';
import { XsollaClient } from './core/client';
import { ApiError } from './core/errors';
import { Poller } from './core/poller';
import { CredentialStore, CredentialStoreError, ResolvedCredentials } from './credentials';
import { Logger } from './log';

export class WatchSession implements vscode.Disposable {
  private creds: ResolvedCredentials | undefined;
  private generation = 0;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly changed = new vscode.EventEmitter<ResolvedCredentials | undefined>();
  /** Fires after the watched credentials changed (or were removed). */
  readonly onDidChange = this.changed.event;

  constructor(
    private readonly store: CredentialStore,
    private readonly config: Config,
    private readonly poller: Poller,
    private readonly log: Logger,
  ) {
    this.disposables.push(
      this.changed,
      store.onDidChange(() => void this.reload()),
      config.onDidChange((e) => {
        if (config.affects(e, 'apiBaseUrl') || config.affects(e, 'projectId')) void this.reload();
        else if (config.affects(e, 'pollIntervalSeconds') || config.affects(e, 'idlePollIntervalSeconds')) poller.reschedule();
      }),
    );
  }

  get credentials(): ResolvedCredentials | undefined {
    return this.creds;
  }

  /** A client for the current settings, logging each request (method, path, status, duration; never headers). */
  client(): XsollaClient {
    const base = this.config.apiBaseUrl;
    return new XsollaClient({
      baseUrl: base.ok ? base.url : 'invalid:',
      onRequest: (r) => this.log.info('http', `${r.method} ${r.path} → ${r.status ?? '-'} ${r.outcome} (${r.ms} ms)`),
    });
  }

  async reload(): Promise<void> {
    let creds: ResolvedCredentials | undefined;
    try {
      creds = await this.store.resolve(this.config.projectId);
    } catch (e) {
      const message = e instanceof CredentialStoreError ? e.message : 'Could not read the stored credentials.';
      this.log.error('credentials', message);
      void vscode.window.showErrorMessage(message);
      creds = this.store.fromEnvironment();
    }
    const same = creds && this.creds && creds.projectId === this.creds.projectId && creds.apiKey === this.creds.apiKey;
    const base = this.config.apiBaseUrl;
    this.creds = creds;
    if (creds) this.log.redactor.addCredentials(creds.projectId, creds.apiKey);
    if (!base.ok) this.log.warn('config', base.reason);
    if (!same) this.generation++;
    void vscode.commands.executeCommand('setContext', 'xsollaImport.hasCredentials', !!creds);
    if (!creds) {
      this.poller.setSource(undefined);
      this.changed.fire(undefined);
      return;
    }
    const client = this.client();
    const baseProblem = base.ok ? undefined : base.reason;
    const key = `${base.ok ? base.url : 'invalid'}#${creds.projectId}#${this.generation}`;
    const watched = creds;
    this.log.info('session', `Watching project ${creds.projectId} (credentials from ${creds.source === 'environment' ? 'the environment' : 'secret storage'}) at ${base.ok ? base.url : 'an invalid base URL'}.`);
    this.poller.setSource({
      key,
      fetch: (signal) => (baseProblem ? Promise.reject(new ApiError('config', baseProblem)) : client.getStatus(watched, signal)),
    });
    this.changed.fire(creds);
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
