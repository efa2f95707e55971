/**
 * Credentials live in SecretStorage only (the OS keychain on desktop), as one JSON secret that maps
 * project IDs to keys and remembers the project used last. Nothing goes to settings or globalState.
 * XSOLLA_PROJECT_ID + XSOLLA_API_KEY in the environment override the stored ones (CI, demos).
 */
import * as vscode from 'vscode';
import { Credentials } from './core/types';

const SECRET_KEY = 'xsollaImport.credentials.v1';

interface Stored {
  projects: Record<string, string>;
  lastUsed?: number;
}

export type CredentialSource = 'environment' | 'secret-storage';
export interface ResolvedCredentials extends Credentials {
  readonly source: CredentialSource;
}

/** SecretStorage failed (no keychain, locked keychain). The message is for the user and never contains the key. */
export class CredentialStoreError extends Error {
  override readonly name = 'CredentialStoreError';
}

export class CredentialStore implements vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<void>();
  /** Fires when the stored credentials change, also from another window. */
  readonly onDidChange = this.emitter.event;
  private readonly subscription: vscode.Disposable;

  constructor(
    private readonly secrets: vscode.SecretStorage,
    private readonly env: NodeJS.ProcessEnv = process.env,
  ) {
    this.subscription = secrets.onDidChange((e) => {
      if (e.key === SECRET_KEY) this.emitter.fire();
    });
  }

  /** Credentials from the environment, when both variables are set and valid. */
  fromEnvironment(): ResolvedCredentials | undefined {
    const id = Number(this.env.XSOLLA_PROJECT_ID);
    const key = this.env.XSOLLA_API_KEY;
    if (!key || !Number.isSafeInteger(id) || id <= 0) return undefined;
    return { projectId: id, apiKey: key, source: 'environment' };
  }

  /**
   * The credentials to watch for a chosen project (or none chosen): the environment's when they are
   * for that project (or none is chosen), else the stored ones; with no choice, the project used last.
   */
  async resolve(preferredProjectId?: number): Promise<ResolvedCredentials | undefined> {
    const env = this.fromEnvironment();
    if (env && (preferredProjectId === undefined || preferredProjectId === env.projectId)) return env;
    const stored = await this.read();
    const id = preferredProjectId ?? stored.lastUsed ?? Number(Object.keys(stored.projects)[0]);
    const key = id ? stored.projects[String(id)] : undefined;
    return key ? { projectId: id, apiKey: key, source: 'secret-storage' } : undefined;
  }

  async projectIds(): Promise<number[]> {
    return Object.keys((await this.read()).projects).map(Number);
  }

  async save(c: Credentials): Promise<void> {
    const stored = await this.read();
    stored.projects[String(c.projectId)] = c.apiKey;
    stored.lastUsed = c.projectId;
    await this.write(stored);
  }

  /** Removes one project's key, or all of them. */
  async remove(projectId?: number): Promise<void> {
    if (projectId === undefined) {
      await this.guard(() => this.secrets.delete(SECRET_KEY));
      return;
    }
    const stored = await this.read();
    delete stored.projects[String(projectId)];
    if (stored.lastUsed === projectId) stored.lastUsed = Number(Object.keys(stored.projects)[0]) || undefined;
    if (Object.keys(stored.projects).length === 0) await this.guard(() => this.secrets.delete(SECRET_KEY));
    else await this.write(stored);
  }

  private async read(): Promise<Stored> {
    const raw = await this.guard(() => this.secrets.get(SECRET_KEY));
    if (!raw) return { projects: {} };
    try {
      const parsed = JSON.parse(raw) as Partial<Stored>;
      const projects: Record<string, string> = {};
      for (const [k, v] of Object.entries(parsed.projects ?? {})) if (/^\d+$/.test(k) && typeof v === 'string' && v) projects[k] = v;
      const lastUsed = typeof parsed.lastUsed === 'number' && projects[String(parsed.lastUsed)] ? parsed.lastUsed : undefined;
      return { projects, lastUsed };
    } catch {
      return { projects: {} };
    }
  }

  private async write(s: Stored): Promise<void> {
    await this.guard(() => this.secrets.store(SECRET_KEY, JSON.stringify(s)));
  }

  private async guard<T>(op: () => Thenable<T>): Promise<T> {
    try {
      return await op();
    } catch (e) {
      // The underlying message can be platform noise; we never include a key in ours.
      const why = e instanceof Error && e.message ? ` (${e.message.replace(/[^\x20-\x7e]/g, '').slice(0, 120)})` : '';
      throw new CredentialStoreError(`VS Code could not use its secret storage (the system keychain)${why}. Nothing was saved anywhere else. Unlock or set up the keychain, or set XSOLLA_PROJECT_ID and XSOLLA_API_KEY in the environment.`);
    }
  }

  dispose(): void {
    this.subscription.dispose();
    this.emitter.dispose();
  }
}
