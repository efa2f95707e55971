/**
 * Renders every watched project onto the three surfaces: status bar, tree and Problems panel.
 * How things look is decided in core/presentation.ts; this only gathers the inputs and applies them.
 */
import * as vscode from 'vscode';
import { buildErrorModel, ErrorModel } from './core/errorModel';
import { compare, describeComparison } from './core/history';
import { presentProjects, ProjectState, projectTitle } from './core/presentation';
import { SkuIndex } from './core/skuIndex';
import { ImportDiagnostics } from './diagnostics';
import { ImportHistoryStore } from './history';
import { ProjectWatches } from './projects';
import { StatusBar } from './statusBar';
import { ProjectErrors, SkuErrorTree } from './tree';

export class Renderer implements vscode.Disposable {
  private pending: ReturnType<typeof setTimeout> | undefined;
  /** The models last rendered, one per watched project. */
  models: readonly ErrorModel[] = [];

  constructor(
    private readonly watches: ProjectWatches,
    private readonly index: SkuIndex,
    private readonly history: ImportHistoryStore,
    private readonly statusBar: StatusBar,
    private readonly tree: SkuErrorTree,
    private readonly diagnostics: ImportDiagnostics,
    private readonly extraLines: () => readonly string[] = () => [],
  ) {}

  /** Renders now. */
  render(): void {
    clearTimeout(this.pending);
    this.pending = undefined;
    const projects: ProjectErrors[] = [];
    const states: ProjectState[] = [];
    for (const w of this.watches.watches) {
      const state = w.poller.state;
      const projectId = w.credentials?.projectId ?? w.wanted;
      const status = state.kind === 'no-credentials' ? undefined : w.poller.lastStatus;
      const comparison = status && projectId !== undefined ? compare(this.history.get(projectId), status) : undefined;
      const summary = comparison && describeComparison(comparison);
      states.push({ projectId, state, extraLines: summary ? [summary] : [] });
      projects.push({ projectId, title: projectTitle({ projectId, state }), model: buildErrorModel(status, this.index, { comparison, folders: w.folders }) });
    }
    this.statusBar.apply(presentProjects(states, { extraLines: this.extraLines() }));
    this.models = projects.map((p) => p.model);
    this.tree.apply(projects);
    this.diagnostics.apply(this.models);
  }

  /** Renders soon, coalescing bursts (index updates while typing, several pollers answering together). */
  schedule(delayMs = 50): void {
    if (this.pending) return;
    this.pending = setTimeout(() => this.render(), delayMs);
  }

  dispose(): void {
    clearTimeout(this.pending);
  }
}
