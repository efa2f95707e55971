/**
 * Key hygiene: a full scenario with a recognisable key, every fault included, then a search of
 * everything the extension wrote or showed. The key (and its Basic-auth form) must be found 0 times.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { CredentialStore, CredentialStoreError } from '../../src/credentials';
import { DEMO_ERRORS, progressingImport } from '../sim/scenarios';
import { Fault, Simulator } from '../sim/simulator';
import { allTreeItems, api, setUserSetting, TestApi, waitUntil } from './helpers';

const PROJECT = 44056;
const KEY = 'KEYHYGIENE-7c0ffee-Zx9Q-4242';
const BASIC = Buffer.from(`${PROJECT}:${KEY}`).toString('base64');

const FAULTS: Fault[] = [
  { kind: 'status', code: 401, body: { statusCode: 401, errorCode: 1020, errorMessage: '[0401-1020]: Error in Authentication method occurred' } },
  { kind: 'status', code: 401, body: { statusCode: 401, errorCode: 1501, errorMessage: '[0401-1501]: Authorization failed: Authorization header not sent' } },
  { kind: 'status', code: 403, body: { statusCode: 403, errorMessage: 'Forbidden' } },
  { kind: 'status', code: 404, body: { statusCode: 404, errorMessage: 'Project not found' } },
  { kind: 'status', code: 429, body: { statusCode: 429, errorMessage: 'Too many requests' }, headers: { 'Retry-After': '1' } },
  { kind: 'status', code: 500, body: { statusCode: 500, errorMessage: 'Internal error' } },
  { kind: 'html', code: 502 },
  { kind: 'status', code: 503 },
  { kind: 'truncated' },
  { kind: 'reset' },
  { kind: 'raw', body: 'not json at all' },
  { kind: 'raw', body: 'null' },
  { kind: 'raw', body: '[]' },
  { kind: 'raw', body: '{"status":"process","progress":"lots","result":null}' },
  { kind: 'raw', body: '{"status":"exploded","progress":450,"result":{"errors_by_sku":"nope"}}' },
  { kind: 'redirect', location: 'http://127.0.0.1:9/elsewhere' },
];

describe('Key hygiene: the key is found nowhere', function () {
  this.timeout(120_000);
  let sim: Simulator;
  let x: TestApi;
  const shown: string[] = [];
  const originals: Partial<Record<'showInformationMessage' | 'showWarningMessage' | 'showErrorMessage', unknown>> = {};
  const poller = () => x.watches.primary!.poller;
  const seen: string[] = [];

  before(async function () {
    sim = await Simulator.start({ projects: { [PROJECT]: KEY }, scenario: progressingImport({ errors: DEMO_ERRORS, steps: [0, 50, 100] }) });
    await setUserSetting('apiBaseUrl', sim.url);
    await setUserSetting('pollIntervalSeconds', 1);
    await setUserSetting('idlePollIntervalSeconds', 0);
    await setUserSetting('notifyOnFinish', true);
    x = await api();
    // Record every notification the extension shows (and answer none of them).
    const w = vscode.window as unknown as Record<string, (...a: unknown[]) => Thenable<unknown>>;
    for (const name of ['showInformationMessage', 'showWarningMessage', 'showErrorMessage'] as const) {
      originals[name] = w[name];
      w[name] = (...args: unknown[]) => {
        shown.push(args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' '));
        return Promise.resolve(undefined);
      };
    }
  });

  after(async function () {
    const w = vscode.window as unknown as Record<string, unknown>;
    for (const [name, fn] of Object.entries(originals)) w[name] = fn;
    await vscode.commands.executeCommand('xsollaImport.clearCredentials', { all: true });
    await setUserSetting('notifyOnFinish', false);
    await sim?.close();
  });

  function snapshot(): void {
    const s = poller().state;
    seen.push(JSON.stringify(s, (_k, v) => (v instanceof Date ? v.toISOString() : v)), x.statusBar.text, x.statusBar.tooltipMarkdown);
    for (const t of allTreeItems(x)) seen.push(String(t.label), String(t.description ?? ''), typeof t.tooltip === 'string' ? t.tooltip : (t.tooltip?.value ?? ''));
    for (const [, diags] of vscode.languages.getDiagnostics()) for (const d of diags) seen.push(d.message, String(d.code ?? ''), d.source ?? '');
  }

  it('runs set credentials (wrong then right), an import, every fault, start import and clear', async function () {
    assert.strictEqual(await vscode.commands.executeCommand('xsollaImport.setCredentials', { projectId: PROJECT, apiKey: KEY + 'x' }), 'rejected');
    assert.strictEqual(await vscode.commands.executeCommand('xsollaImport.setCredentials', { projectId: PROJECT, apiKey: KEY }), 'saved');
    await waitUntil('the import to finish', () => {
      const s = poller().state;
      return s.kind === 'ok' && s.status.state === 'done';
    });
    snapshot();
    for (const fault of FAULTS) {
      sim.injectFault(fault);
      await vscode.commands.executeCommand('xsollaImport.refresh');
      snapshot();
      sim.clearFaults();
    }
    await vscode.commands.executeCommand('xsollaImport.startImport', { url: 'https://cdn.example.com/not-json/x.txt', mode: 'create' });
    await vscode.commands.executeCommand('xsollaImport.startImport', { url: 'https://cdn.example.com/items.json', mode: 'create' });
    await waitUntil('the started import to finish', () => {
      const s = poller().state;
      return s.kind === 'ok' && s.status.state === 'done';
    });
    snapshot();
    assert.ok(sim.requests.filter((r) => r.authorized).length > FAULTS.length, 'the scenario really talked to the server');
    assert.ok(seen.some((t) => t.includes('key rejected')) && seen.some((t) => t.includes('unreachable')), 'faults were seen by the user');
  });

  it('finds the key 0 times in states, status bar, tree, diagnostics and notifications', function () {
    assert.ok(shown.length > 0, 'notifications were recorded');
    const hits = [...seen, ...shown].filter((t) => t.includes(KEY) || t.includes(BASIC));
    assert.deepStrictEqual(hits, []);
  });

  it('finds the key 0 times in the log file, settings, globalState and workspaceState', function () {
    const ctx = x.context;
    const state = [...ctx.globalState.keys().map((k) => JSON.stringify(ctx.globalState.get(k))), ...ctx.workspaceState.keys().map((k) => JSON.stringify(ctx.workspaceState.get(k)))].join('\n');
    assert.ok(!state.includes(KEY) && !state.includes(BASIC), 'not in globalState/workspaceState');
    const settings = JSON.stringify(vscode.workspace.getConfiguration('xsollaImport'));
    assert.ok(!settings.includes(KEY), 'not in settings');
    // The user data dir holds settings.json, state databases and logs; the log dir holds the channel's file.
    const roots = [path.resolve(ctx.globalStorageUri.fsPath, '..', '..', '..'), path.resolve(ctx.logUri.fsPath, '..', '..', '..')];
    let logFound = false;
    const hits: string[] = [];
    for (const root of new Set(roots)) {
      if (!fs.existsSync(root)) continue;
      for (const rel of fs.readdirSync(root, { recursive: true, encoding: 'utf8' })) {
        const file = path.join(root, rel);
        let content: Buffer;
        try {
          if (!fs.statSync(file).isFile() || fs.statSync(file).size > 50 * 1024 * 1024) continue;
          content = fs.readFileSync(file);
        } catch {
          continue;
        }
        if (rel.endsWith('Xsolla Import.log') && content.includes('Saved credentials for project 44056')) logFound = true;
        if (content.includes(KEY) || content.includes(BASIC)) hits.push(rel);
      }
    }
    assert.ok(logFound, `the channel's log file was searched (roots: ${roots.join(', ')})`);
    assert.deepStrictEqual(hits, []);
  });

  it('turns a keychain failure into a clear message and stores nothing elsewhere', async function () {
    const broken: vscode.SecretStorage = {
      get: () => Promise.reject(new Error('Cannot autolaunch D-Bus without X11 $DISPLAY')),
      store: () => Promise.reject(new Error('Cannot autolaunch D-Bus without X11 $DISPLAY')),
      delete: () => Promise.reject(new Error('Cannot autolaunch D-Bus without X11 $DISPLAY')),
      onDidChange: new vscode.EventEmitter<vscode.SecretStorageChangeEvent>().event,
    };
    const store = new CredentialStore(broken, {});
    const before = x.context.globalState.keys().length;
    await assert.rejects(store.save({ projectId: PROJECT, apiKey: KEY }), (e: unknown) => e instanceof CredentialStoreError && /secret storage \(the system keychain\)/.test(e.message) && !e.message.includes(KEY));
    await assert.rejects(store.resolve(), CredentialStoreError);
    assert.strictEqual(x.context.globalState.keys().length, before, 'nothing went to globalState instead');
    store.dispose();
  });
});
