/** Keeps each project's short import history in workspaceState (errors only: SKUs and codes, no key). */
import * as vscode from 'vscode';
import { HISTORY_MAX_ERRORS, HistoryEntry, record, sanitiseHistory } from './core/history';
import { importKey } from './core/status';
import { ImportStatus, isFinal } from './core/types';

export class ImportHistoryStore {
  constructor(private readonly memento: vscode.Memento) {}

  get(projectId: number): HistoryEntry[] {
    return sanitiseHistory(this.memento.get(`xsollaImport.history.${projectId}`));
  }

  /** Records a finished import once (idempotent per import). */
  async recordFinished(projectId: number, status: ImportStatus): Promise<void> {
    if (!isFinal(status.state)) return;
    const history = this.get(projectId);
    const key = importKey(status);
    const existing = history.find((h) => h.key === key);
    if (existing && existing.state === status.state && existing.errors.length === Math.min(status.errors.length, HISTORY_MAX_ERRORS)) return;
    await this.memento.update(`xsollaImport.history.${projectId}`, record(history, status));
  }
}
