/**
 * Every decision about how a poll state looks: status bar text, icon, colour, tooltip and the
 * labels used by the tree. One place, pure, unit-tested; the adapters only apply what it returns.
 */
import { PollState } from './poller';
import { ImportStatus, ItemKind, SkuError } from './types';

export const COMMANDS = {
  setCredentials: 'xsollaImport.setCredentials',
  clearCredentials: 'xsollaImport.clearCredentials',
  refresh: 'xsollaImport.refresh',
  showLog: 'xsollaImport.showLog',
  showErrors: 'xsollaImport.showErrors',
  copySku: 'xsollaImport.copySku',
  copyError: 'xsollaImport.copyError',
  openSku: 'xsollaImport.openSku',
  startImport: 'xsollaImport.startImport',
  showFixed: 'xsollaImport.showFixed',
  revealSku: 'xsollaImport.revealSku',
  validateCatalog: 'xsollaImport.validateCatalog',
} as const;

export interface StatusBarView {
  readonly text: string;
  /** Markdown with command links; rendered as a trusted MarkdownString limited to our commands. */
  readonly tooltip: string;
  readonly background?: 'error' | 'warning';
  readonly command: string;
  readonly accessibilityLabel: string;
}

export interface PresentContext {
  readonly projectId?: number;
  /** Formats a date in the user's local time zone. */
  readonly formatDate?: (d: Date) => string;
  /** Extra markdown lines for the tooltip (e.g. validation summary). */
  readonly extraLines?: readonly string[];
}

const KIND_LABELS: Readonly<Record<ItemKind, string>> = {
  virtual_good: 'Virtual items',
  virtual_currency: 'Virtual currencies',
  virtual_currency_packages: 'Currency packages',
  bundle: 'Bundles',
  unknown: 'Other items',
};

export function kindLabel(kind: ItemKind): string {
  return KIND_LABELS[kind];
}

export const KIND_ORDER: readonly ItemKind[] = ['virtual_good', 'virtual_currency', 'virtual_currency_packages', 'bundle', 'unknown'];

export function plural(n: number, one: string, many = one + 's'): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** Escapes text from the server so that it cannot inject markdown, links or commands. */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>~$]/g, (c) => '\\' + c).replace(/\r\n|[\r\n]/g, ' ');
}

export function skuLabel(e: SkuError): string {
  return e.sku === '' ? '(empty SKU)' : e.sku;
}

export function errorLine(e: SkuError): string {
  return e.code !== null ? `${e.code}: ${e.message}` : e.message;
}

const defaultFormatDate = (d: Date) => d.toLocaleString();

function statusLines(s: ImportStatus, ctx: PresentContext): string[] {
  const fmt = ctx.formatDate ?? defaultFormatDate;
  const lines: string[] = [];
  const total = s.totalEntities;
  const failed = s.errorsCount;
  if (total > 0) lines.push(`Imported ${Math.max(0, total - failed)} of ${plural(total, 'entity', 'entities')}${failed ? `, ${plural(failed, 'error')}` : ''}`);
  else if (failed) lines.push(plural(failed, 'error'));
  if (s.dateCreated) lines.push(`Started: ${fmt(s.dateCreated)}`);
  if (s.dateCompleted) lines.push(`Completed: ${fmt(s.dateCompleted)}`);
  else if (s.state === 'error' && s.dateUpdated) lines.push(`Stopped: ${fmt(s.dateUpdated)}`);
  if (s.error) lines.push(`Import error${s.errorCode ? ` ${escapeMarkdown(s.errorCode)}` : ''}: ${escapeMarkdown(s.error)}`);
  return lines;
}

function describeState(s: ImportStatus): string {
  switch (s.state) {
    case 'initialized':
      return 'Import starting';
    case 'process':
      return `Import running: ${s.progress}%`;
    case 'done':
      return s.errorsCount > 0 ? `Import done with ${plural(s.errorsCount, 'error')}` : 'Import done';
    case 'error':
      return `Import failed${s.errorsCount ? ` with ${plural(s.errorsCount, 'error')}` : ''}`;
    case 'unknown':
      return `Unknown import status "${escapeMarkdown(s.rawState.slice(0, 40))}"`;
  }
}

const LINKS = `[Refresh](command:${COMMANDS.refresh}) · [Show errors](command:${COMMANDS.showErrors}) · [Show log](command:${COMMANDS.showLog})`;

function tooltip(title: string, body: string[], ctx: PresentContext, links = LINKS): string {
  const head = `**Xsolla import**${ctx.projectId ? ` · project ${ctx.projectId}` : ''}`;
  return [head, '', `${title}`, '', ...body.flatMap((l) => [l, '']), ...(ctx.extraLines ?? []).flatMap((l) => [l, '']), '---', '', links].join('\n');
}

/** The one status → status bar mapping. */
export function presentStatusBar(state: PollState, ctx: PresentContext = {}): StatusBarView {
  switch (state.kind) {
    case 'no-credentials':
      return {
        text: '$(key) Xsolla: Set Credentials',
        tooltip: tooltip('No credentials are stored for this workspace.', [], ctx, `[Set Credentials](command:${COMMANDS.setCredentials}) · [Show log](command:${COMMANDS.showLog})`),
        command: COMMANDS.setCredentials,
        accessibilityLabel: 'Xsolla import: no credentials. Activate to set credentials.',
      };
    case 'loading':
      return {
        text: '$(sync~spin) Xsolla',
        tooltip: tooltip('Reading the import status…', [], ctx),
        command: COMMANDS.showErrors,
        accessibilityLabel: 'Xsolla import: reading status',
      };
    case 'config-error':
      return {
        text: '$(gear) Xsolla: check settings',
        tooltip: tooltip(`Settings problem: ${escapeMarkdown(state.message)}`, [], ctx, `[Open settings](command:workbench.action.openSettings?${encodeURIComponent(JSON.stringify(['xsollaImport']))}) · [Show log](command:${COMMANDS.showLog})`),
        background: 'error',
        command: COMMANDS.showLog,
        accessibilityLabel: `Xsolla import: settings problem. ${state.message}`,
      };
    case 'auth-failed':
      return {
        text: '$(lock) Xsolla: key rejected',
        tooltip: tooltip(`The server refused the credentials: ${escapeMarkdown(state.message)}`, state.lastStatus ? ['Last known import:', ...statusLines(state.lastStatus, ctx)] : [], ctx, `[Set Credentials](command:${COMMANDS.setCredentials}) · [Refresh](command:${COMMANDS.refresh}) · [Show log](command:${COMMANDS.showLog})`),
        background: 'error',
        command: COMMANDS.setCredentials,
        accessibilityLabel: `Xsolla import: credentials rejected. ${state.message}`,
      };
    case 'unreachable': {
      const last = state.lastStatus;
      return {
        text: `$(cloud-offline) Xsolla: unreachable`,
        tooltip: tooltip(`Cannot read the import status: ${escapeMarkdown(state.message)}`, [
          `Failed ${plural(state.failures, 'time')} in a row; retrying with backoff.`,
          ...(last ? ['Last known import:', describeState(last), ...statusLines(last, ctx)] : []),
        ], ctx),
        background: 'warning',
        command: COMMANDS.showLog,
        accessibilityLabel: `Xsolla import: server unreachable. ${state.message}`,
      };
    }
    case 'ok':
      return presentImport(state.status, ctx);
  }
}

function presentImport(s: ImportStatus, ctx: PresentContext): StatusBarView {
  const tip = tooltip(describeState(s), statusLines(s, ctx), ctx);
  const base = { tooltip: tip, command: COMMANDS.showErrors };
  switch (s.state) {
    case 'initialized':
      return { ...base, text: '$(sync~spin) Xsolla: starting', accessibilityLabel: 'Xsolla import starting' };
    case 'process':
      return { ...base, text: `$(sync~spin) Xsolla: ${s.progress}%`, accessibilityLabel: `Xsolla import running, ${s.progress} percent` };
    case 'done':
      return s.errorsCount > 0
        ? { ...base, text: `$(check) Xsolla: done, ${plural(s.errorsCount, 'error')}`, background: 'warning', accessibilityLabel: `Xsolla import done with ${plural(s.errorsCount, 'error')}` }
        : { ...base, text: '$(check) Xsolla: done', accessibilityLabel: 'Xsolla import done without errors' };
    case 'error':
      return { ...base, text: `$(error) Xsolla: failed${s.errorsCount ? `, ${plural(s.errorsCount, 'error')}` : ''}`, background: 'error', accessibilityLabel: `Xsolla import failed${s.errorsCount ? ` with ${plural(s.errorsCount, 'error')}` : ''}` };
    case 'unknown':
      return { ...base, text: '$(question) Xsolla: unknown status', background: 'warning', accessibilityLabel: `Xsolla import status unknown: ${s.rawState.slice(0, 40)}` };
  }
}

/** The notification shown once when an import finishes. */
export function finishMessage(s: ImportStatus): { severity: 'info' | 'warning' | 'error'; text: string } {
  if (s.state === 'error') return { severity: 'error', text: `Xsolla import failed${s.error ? `: ${s.error}` : ''}${s.errorsCount ? ` (${plural(s.errorsCount, 'SKU error')})` : ''}.` };
  if (s.errorsCount > 0) return { severity: 'warning', text: `Xsolla import finished with ${plural(s.errorsCount, 'SKU error')}${s.totalEntities ? ` of ${s.totalEntities} entities` : ''}.` };
  return { severity: 'info', text: `Xsolla import finished${s.totalEntities ? `: ${plural(s.totalEntities, 'entity', 'entities')} imported` : ''}.` };
}

export interface ProjectState {
  readonly projectId?: number;
  readonly state: PollState;
  /** Extra tooltip lines for this project, e.g. "3 new, 5 fixed, 2 unchanged since the previous import". */
  readonly extraLines?: readonly string[];
}

const SEVERITY = { undefined: 0, warning: 1, error: 2 } as const;

/** The status bar for one or several watched projects (multi-root): one item summarises them all. */
export function presentProjects(items: readonly ProjectState[], ctx: PresentContext = {}): StatusBarView {
  if (items.length === 0) return presentStatusBar({ kind: 'no-credentials' }, ctx);
  const one = (p: ProjectState) => presentStatusBar(p.state, { ...ctx, projectId: p.projectId, extraLines: [...(p.extraLines ?? []), ...(ctx.extraLines ?? [])] });
  if (items.length === 1) return one(items[0]);
  const views = items.map((p) => ({ p, v: presentStatusBar(p.state, { ...ctx, projectId: p.projectId, extraLines: p.extraLines }) }));
  const spinning = views.some(({ v }) => v.text.includes('~spin'));
  const worst = views.reduce<StatusBarView['background']>((w, { v }) => (SEVERITY[`${v.background}`] > SEVERITY[`${w}`] ? v.background : w), undefined);
  const short = (v: StatusBarView) => v.text.replace(/^\$\([^)]*\)\s*/, '').replace(/^Xsolla:?\s*/, '') || 'checking';
  const text = `$(${spinning ? 'sync~spin' : worst === 'error' ? 'error' : worst === 'warning' ? 'warning' : 'check'}) Xsolla: ${views.map(({ p, v }) => `${p.projectId ?? '?'} ${short(v)}`).join(' · ')}`;
  const sections = views.map(({ v }) => v.tooltip.split('\n---\n')[0]);
  return {
    text,
    tooltip: [...sections.flatMap((s) => [s, '']), ...(ctx.extraLines ?? []).flatMap((l) => [l, '']), '---', '', LINKS].join('\n'),
    background: worst,
    command: COMMANDS.showErrors,
    accessibilityLabel: `Xsolla imports: ${views.map(({ v }) => v.accessibilityLabel).join('; ')}`,
  };
}

/** The title of a project's root in the tree (multi-root), e.g. "Project 44056 · done, 3 errors". */
export function projectTitle(p: ProjectState): string {
  const v = presentStatusBar(p.state, { projectId: p.projectId });
  const short = v.text.replace(/^\$\([^)]*\)\s*/, '').replace(/^Xsolla:?\s*/, '');
  return `Project ${p.projectId ?? '(not set)'}${short ? ` · ${short}` : ''}`;
}
