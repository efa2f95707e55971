/** Typed access to the extension's settings. The only file that reads `xsollaImport.*` settings. */
import * as vscode from 'vscode';
import { checkBaseUrl } from './core/baseUrl';

export const SECTION = 'xsollaImport';
export const DEFAULT_BASE_URL = 'https://connector.xsolla.com';

export interface Intervals {
  readonly activeMs: number;
  readonly idleMs: number;
}

export class Config {
  private cfg(scope?: vscode.ConfigurationScope): vscode.WorkspaceConfiguration {
    return vscode.workspace.getConfiguration(SECTION, scope);
  }

  /**
   * The API base URL, read from user (application) settings only. The setting is application-scoped,
   * and we read the global value explicitly as well, so that no workspace can redirect the key.
   */
  get apiBaseUrl(): { ok: true; url: string } | { ok: false; reason: string } {
    const inspected = this.cfg().inspect<unknown>('apiBaseUrl');
    const raw = inspected?.globalValue ?? inspected?.defaultValue ?? DEFAULT_BASE_URL;
    if (typeof raw !== 'string') return { ok: false, reason: 'xsollaImport.apiBaseUrl must be a string.' };
    const check = checkBaseUrl(raw);
    return check.ok ? { ok: true, url: check.url.href } : { ok: false, reason: `xsollaImport.apiBaseUrl: ${check.reason}` };
  }

  /** The project chosen for this window, or for one folder of a multi-root workspace, if a valid one is set. */
  projectId(folder?: vscode.Uri): number | undefined {
    const v = this.cfg(folder).get<unknown>('projectId');
    return typeof v === 'number' && Number.isSafeInteger(v) && v > 0 ? v : undefined;
  }

  get intervals(): Intervals {
    return {
      activeMs: 1000 * this.number('pollIntervalSeconds', 3, 1),
      idleMs: 1000 * this.number('idlePollIntervalSeconds', 60, 0),
    };
  }

  get catalogGlob(): string {
    const v = this.cfg().get<unknown>('catalogFiles');
    return typeof v === 'string' && v.trim() !== '' ? v.trim() : '**/*.json';
  }

  get notifyOnFinish(): boolean {
    return this.cfg().get<unknown>('notifyOnFinish') !== false;
  }

  /** Human-readable problems with the current settings (each falls back to a safe value). */
  problems(): string[] {
    const out: string[] = [];
    const base = this.apiBaseUrl;
    if (!base.ok) out.push(base.reason);
    const pid = this.cfg().get<unknown>('projectId');
    if (pid !== undefined && pid !== null && this.projectId() === undefined) out.push(`xsollaImport.projectId must be a positive integer; got ${JSON.stringify(pid)}.`);
    for (const [key, min] of [['pollIntervalSeconds', 1], ['idlePollIntervalSeconds', 0]] as const) {
      const v = this.cfg().get<unknown>(key);
      if (typeof v !== 'number' || !Number.isFinite(v) || v < min) out.push(`xsollaImport.${key} must be a number ≥ ${min}; using the default.`);
    }
    const glob = this.cfg().get<unknown>('catalogFiles');
    if (typeof glob !== 'string' || glob.trim() === '') out.push('xsollaImport.catalogFiles must be a non-empty glob; using **/*.json.');
    return out;
  }

  onDidChange(listener: (e: vscode.ConfigurationChangeEvent) => void): vscode.Disposable {
    return vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration(SECTION)) listener(e);
    });
  }

  affects(e: vscode.ConfigurationChangeEvent, key: string): boolean {
    return e.affectsConfiguration(`${SECTION}.${key}`);
  }

  private number(key: string, fallback: number, min: number): number {
    const v = this.cfg().get<unknown>(key);
    return typeof v === 'number' && Number.isFinite(v) && v >= min ? v : fallback;
  }
}
