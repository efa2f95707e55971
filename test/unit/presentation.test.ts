import * as assert from 'assert';
import { PollState } from '../../src/core/poller';
import { COMMANDS, escapeMarkdown, presentStatusBar, StatusBarView } from '../../src/core/presentation';
import { parseStatus } from '../../src/core/status';
import { ImportStatus } from '../../src/core/types';

const EVIL = 'Bad [x](command:evil) and <a href="command:evil2">y</a> `code` **bold** # h\n[z](command:evil3)';

function status(state: string, over: Record<string, unknown> = {}, result: Record<string, unknown> = {}): ImportStatus {
  return parseStatus({
    status: state,
    progress: 45,
    date_created: '2024-11-19T14:27:31+03:00',
    date_updated: '2024-11-19T15:10:00+03:00',
    date_completed: state === 'done' ? '2024-11-19T15:27:31+03:00' : '',
    error: null,
    error_code: null,
    result: { errors_count: 0, total_entities_count: 10, errors_by_sku: [], ...result },
    ...over,
  });
}

const ok = (s: ImportStatus): PollState => ({ kind: 'ok', status: s, fetchedAt: 0 });
const iso = (d: Date) => d.toISOString();

/** The markdown links of a tooltip, ignoring anything escaped with a backslash. */
function links(md: string): string[] {
  const unescaped = md.replace(/\\./g, '');
  return [...unescaped.matchAll(/\[[^\]]*\]\(([^)\s]*)\)/g)].map((m) => m[1]);
}

function commandsIn(md: string): string[] {
  return links(md).map((l) => l.replace(/^command:/, '').replace(/\?.*$/, ''));
}

function assertView(v: StatusBarView, expected: { text: string; background: 'error' | 'warning' | undefined; command: string; links: string[] }): void {
  assert.strictEqual(v.text, expected.text);
  assert.strictEqual(v.background, expected.background, `background of ${v.text}`);
  assert.strictEqual(v.command, expected.command);
  assert.ok(v.accessibilityLabel.trim().length > 0, 'accessibility label');
  assert.ok(!v.accessibilityLabel.includes('$('), 'no icon syntax in the accessibility label');
  assert.deepStrictEqual(commandsIn(v.tooltip), expected.links, v.tooltip);
  for (const l of links(v.tooltip)) assert.match(l, /^command:/, 'only command links');
}

const IMPORT_LINKS = [COMMANDS.refresh, COMMANDS.showErrors, COMMANDS.showLog];

describe('presentStatusBar', () => {
  describe('every PollState kind', () => {
    it('no-credentials', () => {
      assertView(presentStatusBar({ kind: 'no-credentials' }), { text: '$(key) Xsolla: Set Credentials', background: undefined, command: COMMANDS.setCredentials, links: [COMMANDS.setCredentials, COMMANDS.showLog] });
    });

    it('loading', () => {
      assertView(presentStatusBar({ kind: 'loading' }), { text: '$(sync~spin) Xsolla', background: undefined, command: COMMANDS.showErrors, links: IMPORT_LINKS });
    });

    it('config-error', () => {
      const v = presentStatusBar({ kind: 'config-error', message: 'Plain http is allowed only for loopback hosts, not example.com. Use https.' });
      assertView(v, { text: '$(gear) Xsolla: check settings', background: 'error', command: COMMANDS.showLog, links: ['workbench.action.openSettings', COMMANDS.showLog] });
      const settings = links(v.tooltip)[0];
      assert.deepStrictEqual(JSON.parse(decodeURIComponent(settings.split('?')[1])), ['xsollaImport']);
      assert.ok(v.tooltip.includes('loopback hosts'), v.tooltip);
    });

    it('auth-failed, without and with a last known import', () => {
      const state: PollState = { kind: 'auth-failed', message: '[0401-1020]: Error in Authentication method occurred', errorKind: 'auth' };
      const v = presentStatusBar(state);
      assertView(v, { text: '$(lock) Xsolla: key rejected', background: 'error', command: COMMANDS.setCredentials, links: [COMMANDS.setCredentials, COMMANDS.refresh, COMMANDS.showLog] });
      assert.ok(v.accessibilityLabel.includes('Error in Authentication method occurred'));
      assert.ok(!v.tooltip.includes('Last known import'));
      const withLast = presentStatusBar({ ...state, lastStatus: status('done', {}, { errors_count: 2 }) }, { formatDate: iso });
      assert.strictEqual(withLast.text, '$(lock) Xsolla: key rejected');
      assert.ok(withLast.tooltip.includes('Last known import:'), withLast.tooltip);
      assert.ok(withLast.tooltip.includes('Imported 8 of 10 entities, 2 errors'), withLast.tooltip);
    });

    it('unreachable, with the failure count and the last known import', () => {
      const state: PollState = { kind: 'unreachable', message: 'Connection refused by the server.', errorKind: 'network', failures: 3, lastStatus: status('process') };
      const v = presentStatusBar(state);
      assertView(v, { text: '$(cloud-offline) Xsolla: unreachable', background: 'warning', command: COMMANDS.showLog, links: IMPORT_LINKS });
      assert.ok(v.tooltip.includes('Failed 3 times in a row'), v.tooltip);
      assert.ok(v.tooltip.includes('Import running: 45%'), v.tooltip);
      assert.ok(v.tooltip.includes('Connection refused by the server\\.'), 'message shown, escaped');
      const once = presentStatusBar({ ...state, failures: 1, lastStatus: undefined });
      assert.ok(once.tooltip.includes('Failed 1 time in a row'), once.tooltip);
      assert.ok(!once.tooltip.includes('Last known import'));
    });
  });

  describe('every import state', () => {
    const cases: [string, ImportStatus, { text: string; background: 'error' | 'warning' | undefined; title: string }][] = [
      ['initialized', status('initialized', { progress: 0 }), { text: '$(sync~spin) Xsolla: starting', background: undefined, title: 'Import starting' }],
      ['process 45%', status('process'), { text: '$(sync~spin) Xsolla: 45%', background: undefined, title: 'Import running: 45%' }],
      ['process 0%', status('process', { progress: 0 }), { text: '$(sync~spin) Xsolla: 0%', background: undefined, title: 'Import running: 0%' }],
      ['done without errors', status('done', { progress: 100 }), { text: '$(check) Xsolla: done', background: undefined, title: 'Import done' }],
      ['done, 1 error (partial success)', status('done', { progress: 100 }, { errors_count: 1 }), { text: '$(check) Xsolla: done, 1 error', background: 'warning', title: 'Import done with 1 error' }],
      ['done, 3 errors (partial success)', status('done', { progress: 100 }, { errors_count: 3 }), { text: '$(check) Xsolla: done, 3 errors', background: 'warning', title: 'Import done with 3 errors' }],
      ['error, 2 errors', status('error', {}, { errors_count: 2 }), { text: '$(error) Xsolla: failed, 2 errors', background: 'error', title: 'Import failed with 2 errors' }],
      ['error without SKU errors', status('error', {}, { errors_count: 0 }), { text: '$(error) Xsolla: failed', background: 'error', title: 'Import failed' }],
      ['unknown', status('paused'), { text: '$(question) Xsolla: unknown status', background: 'warning', title: 'Unknown import status "paused"' }],
    ];
    for (const [name, s, exp] of cases) {
      it(name, () => {
        const v = presentStatusBar(ok(s));
        assertView(v, { text: exp.text, background: exp.background, command: COMMANDS.showErrors, links: IMPORT_LINKS });
        assert.ok(v.tooltip.includes(exp.title), v.tooltip);
      });
    }

    it('the accessibility label speaks the progress and the error count', () => {
      assert.strictEqual(presentStatusBar(ok(status('process'))).accessibilityLabel, 'Xsolla import running, 45 percent');
      assert.strictEqual(presentStatusBar(ok(status('done', {}, { errors_count: 3 }))).accessibilityLabel, 'Xsolla import done with 3 errors');
      assert.strictEqual(presentStatusBar(ok(status('error', {}, { errors_count: 2 }))).accessibilityLabel, 'Xsolla import failed with 2 errors');
    });
  });

  describe('tooltip content', () => {
    it('"Imported 8 of 10 entities, 2 errors", and the project id in the head', () => {
      const v = presentStatusBar(ok(status('done', {}, { errors_count: 2, total_entities_count: 10 })), { projectId: 44056 });
      assert.ok(v.tooltip.includes('Imported 8 of 10 entities, 2 errors'), v.tooltip);
      assert.ok(v.tooltip.startsWith('**Xsolla import** · project 44056'), v.tooltip);
      const clean = presentStatusBar(ok(status('done', {}, { errors_count: 0, total_entities_count: 1 })));
      assert.ok(clean.tooltip.includes('Imported 1 of 1 entity'), clean.tooltip);
    });

    it('dates go through the injected formatDate: a GMT+3 input renders the right UTC instant', () => {
      const seen: Date[] = [];
      const v = presentStatusBar(ok(status('done')), {
        formatDate: (d) => {
          seen.push(d);
          return `<<${d.toISOString()}>>`;
        },
      });
      assert.ok(v.tooltip.includes('Started: <<2024-11-19T11:27:31.000Z>>'), v.tooltip);
      assert.ok(v.tooltip.includes('Completed: <<2024-11-19T12:27:31.000Z>>'), v.tooltip);
      assert.deepStrictEqual(seen.map(iso), ['2024-11-19T11:27:31.000Z', '2024-11-19T12:27:31.000Z']);
    });

    it('a failed import without date_completed shows when it stopped (date_updated)', () => {
      const v = presentStatusBar(ok(status('error', { error: 'File broken', error_code: '1806' })), { formatDate: iso });
      assert.ok(v.tooltip.includes('Stopped: 2024-11-19T12:10:00.000Z'), v.tooltip);
      assert.ok(v.tooltip.includes('Import error 1806: File broken'), v.tooltip);
    });

    it('extra lines are appended before the links', () => {
      const v = presentStatusBar(ok(status('done')), { extraLines: ['**2 catalog warnings**'] });
      assert.ok(v.tooltip.indexOf('**2 catalog warnings**') < v.tooltip.indexOf('---'), v.tooltip);
    });
  });

  describe('server text cannot inject markdown', () => {
    const states: [string, PollState][] = [
      ['general error', ok(status('error', { error: EVIL, error_code: '[c](command:evil4)' }))],
      ['unknown status value', ok(status(EVIL))],
      ['auth message', { kind: 'auth-failed', message: EVIL, errorKind: 'auth', lastStatus: status('error', { error: EVIL }) }],
      ['unreachable message', { kind: 'unreachable', message: EVIL, errorKind: 'server', failures: 1, lastStatus: status('error', { error: EVIL }) }],
      ['config message', { kind: 'config-error', message: EVIL }],
    ];
    for (const [name, state] of states) {
      it(name, () => {
        const v = presentStatusBar(state, { formatDate: iso });
        assert.ok(!/command:evil/.test(links(v.tooltip).join(' ')), `a server link got through: ${links(v.tooltip)}`);
        for (const cmd of commandsIn(v.tooltip)) assert.ok([...Object.values(COMMANDS), 'workbench.action.openSettings'].includes(cmd as never), cmd);
        const unescaped = v.tooltip.replace(/\\./g, '');
        assert.ok(!unescaped.includes('<a'), 'no raw HTML');
        assert.ok(!unescaped.includes('**bold**'), 'no emphasis from the server');
        assert.ok(!/\n# h/.test(unescaped), 'no heading from the server');
        assert.ok(v.tooltip.includes('Bad'), 'the text itself is still shown');
      });
    }

    it('escapeMarkdown: escapes every markdown metacharacter and folds line breaks', () => {
      assert.strictEqual(escapeMarkdown('[x](command:evil)'), '\\[x\\]\\(command:evil\\)');
      assert.strictEqual(escapeMarkdown('a\r\nb\nc'), 'a b c');
      assert.strictEqual(escapeMarkdown('$(zap) *a* _b_ `c` #d <e> |f| ~g! +h -i .j {k}'), '\\$\\(zap\\) \\*a\\* \\_b\\_ \\`c\\` \\#d \\<e\\> \\|f\\| \\~g\\! \\+h \\-i \\.j \\{k\\}');
      assert.strictEqual(escapeMarkdown('back\\slash'), 'back\\\\slash');
    });

    it('a lone carriage return cannot start a new markdown block', () => {
      const v = presentStatusBar(ok(status('error', { error: 'line one\r===\rline two' })));
      assert.ok(!v.tooltip.includes('\r'), JSON.stringify(v.tooltip));
    });
  });
});
