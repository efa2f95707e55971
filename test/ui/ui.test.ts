/**
 * A user's path through the real workbench, with the extension installed from the packaged VSIX:
 * set credentials from the palette, watch the import move, jump to a failed SKU, read Problems,
 * refresh, and check that the key appears nowhere in the log.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { BrowserContext, FIXTURE_WORKSPACE, launchChromium, ROOT } from '../harness/env';
import { startServer, VSCodeServer } from '../harness/server';
import { DEMO_ERRORS, idleDone, progressingImport } from '../sim/scenarios';
import { Simulator } from '../sim/simulator';
import { until, Workbench } from './workbench';

const PROJECT = 44056;
const KEY = 'ui-secret-key-Zq81xW';

describe('UI: a user in the workbench', function () {
  this.timeout(120_000);
  let sim: Simulator;
  let server: VSCodeServer;
  let browser: BrowserContext;
  let wb: Workbench;
  let workspace: string;
  let profile: string;

  before(async function () {
    const vsix = process.env.XSOLLA_UI_VSIX ?? path.join(ROOT, 'xsolla-import-status.vsix');
    assert.ok(fs.existsSync(vsix), `the packaged VSIX exists at ${vsix}`);
    sim = await Simulator.start({ projects: { [PROJECT]: KEY }, scenario: idleDone() });
    workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'xsolla-ui-ws-'));
    fs.cpSync(FIXTURE_WORKSPACE, workspace, { recursive: true });
    server = await startServer({ vsix, settings: { 'xsollaImport.apiBaseUrl': sim.url, 'xsollaImport.pollIntervalSeconds': 1, 'xsollaImport.idlePollIntervalSeconds': 30 } });
    profile = fs.mkdtempSync(path.join(os.tmpdir(), 'xsolla-ui-chromium-'));
    browser = await launchChromium(profile);
    const page = browser.pages()[0] ?? (await browser.newPage());
    wb = new Workbench(page);
    await page.goto(`${server.url}/?folder=${encodeURIComponent(workspace)}`, { waitUntil: 'domcontentloaded', timeout: 60_000 });
  });

  after(async function () {
    await browser?.close().catch(() => undefined);
    await server?.stop();
    await sim?.close();
    if (workspace) fs.rmSync(workspace, { recursive: true, force: true });
    if (profile) fs.rmSync(profile, { recursive: true, force: true });
  });

  it('shows "Set Credentials" in the status bar before any key is stored', async function () {
    await wb.statusItem('Xsolla: Set Credentials').waitFor({ timeout: 60_000 });
    await wb.screenshot('no-credentials');
  });

  it('sets credentials from the palette and shows the import moving, then the error count', async function () {
    await wb.runCommand('Xsolla Import: Set Credentials');
    await wb.answerInput(String(PROJECT));
    // A fresh import starts now; each step lasts 2 s while the extension polls every second.
    sim.setScenario(progressingImport({ errors: DEMO_ERRORS, total: 13, steps: [0, 15, 35, 60, 85, 100], advance: { everyMs: 2000 } }));
    await wb.answerInput(KEY);
    const seen = new Set<string>();
    let shotTaken = false;
    const final = await until(
      'the final error count',
      async () => {
        const t = await wb.xsollaStatusText();
        const pct = /(\d+)%/.exec(t);
        if (pct) {
          seen.add(pct[1]);
          if (!shotTaken && Number(pct[1]) > 0) {
            shotTaken = true;
            await wb.screenshot('progress');
          }
        }
        return /done, 5 errors/.test(t) ? t : undefined;
      },
      40_000,
    );
    assert.match(final, /done, 5 errors/);
    assert.ok(seen.size >= 2, `saw at least two percentages, saw ${[...seen].join(', ')}`);
    await wb.screenshot('done');
  });

  it('opens the SKU Errors view and jumps to the SKU line on click', async function () {
    await wb.runCommand('Xsolla Import: Show SKU Errors');
    const row = wb.page.locator('.monaco-list-row', { hasText: 'com.example.gems_pack_500' }).first();
    await row.waitFor({ timeout: 15_000 });
    await wb.screenshot('tree');
    await row.click();
    const expected = fs.readFileSync(path.join(workspace, 'catalog', 'currency.json'), 'utf8').split('\n').findIndex((l) => l.includes('"sku": "com.example.gems_pack_500"')) + 1;
    assert.ok(expected > 0);
    const line = await until('the cursor on the SKU line', async () => ((await wb.cursorLine()) === expected ? expected : undefined), 15_000);
    assert.strictEqual(line, expected);
    await wb.screenshot('jumped');
  });

  it('shows a validation squiggle under the misspelt reference in the open catalog file', async function () {
    // Each squiggle is drawn in the overlay layer; the text of the line it underlines has the same vertical position.
    const underlined = await until('a warning squiggle on the com.example.gemz line', async () => {
      const lines = await wb.page.evaluate(`(() => {
        const out = [];
        for (const editor of document.querySelectorAll('.monaco-editor')) {
          for (const sq of editor.querySelectorAll('.squiggly-warning')) {
            const top = sq.closest('[style*="top"]')?.style.top;
            const line = [...editor.querySelectorAll('.view-lines .view-line')].find((l) => l.style.top === top);
            if (line) out.push(line.textContent.replace(/\\u00a0/g, ' '));
          }
        }
        return out;
      })()`);
      return (lines as string[]).find((l) => l.includes('"com.example.gemz"'));
    }, 15_000);
    assert.match(underlined, /"sku": "com\.example\.gemz"/);
    await wb.screenshot('validation-squiggle');
  });

  it('lists the errors with their codes in the Problems panel', async function () {
    await wb.page.keyboard.press('Control+Shift+M');
    const rows = wb.page.locator('.markers-panel .monaco-list-row');
    await until('problem rows', async () => (await rows.count()) >= 4);
    const text = (await rows.allInnerTexts()).join('\n');
    for (const code of ['4055', '1002', '4021']) assert.ok(text.includes(code), `Problems shows code ${code}:\n${text}`);
    assert.ok(text.includes('com.example.gemz'), `Problems shows the catalog validation warning:\n${text}`);
    await wb.screenshot('problems');
  });

  it('refreshes from the palette with a new request at the simulator', async function () {
    const before = sim.statusRequestCount();
    await wb.runCommand('Xsolla Import: Refresh Status');
    await until('a new request', async () => sim.statusRequestCount() > before, 10_000);
  });

  it('starts an import from the palette and sees the status bar go active', async function () {
    await wb.runCommand('Xsolla Import: Start Import from URL…');
    await wb.answerInput('https://cdn.example.com/catalog/items.json');
    const mode = wb.page.locator('.quick-input-widget .monaco-list-row', { hasText: 'create_and_update' }).first();
    await mode.waitFor({ timeout: 10_000 });
    await wb.page.keyboard.press('Enter'); // the default mode is first
    const active = await until('the status bar to go active', async () => {
      const t = await wb.xsollaStatusText();
      return /starting|\d+%/.test(t) ? t : undefined;
    }, 15_000);
    assert.match(active, /starting|\d+%/);
    assert.ok(sim.requests.some((r) => r.method === 'POST' && (r.body as { mode?: string })?.mode === 'create_and_update'), 'the simulator received the import');
    await wb.screenshot('import-started');
  });

  it('never writes the API key to the Xsolla Import output channel, nor to any file VS Code keeps', async function () {
    await wb.runCommand('Xsolla Import: Show Log');
    const panel = wb.page.locator('.part.panel').first();
    const text = await until('log lines', async () => {
      const t = (await panel.innerText().catch(() => '')).replace(/\u00a0/g, ' '); // monaco renders spaces as nbsp
      return /GET \/v1\/admin\/projects\/44056/.test(t) ? t : undefined;
    });
    await wb.screenshot('log');
    const basic = Buffer.from(`${PROJECT}:${KEY}`).toString('base64');
    const flat = text.replace(/\s+/g, '');
    assert.ok(!flat.includes(KEY) && !flat.includes(basic), 'the key is not in the visible log');

    // Everything the server side wrote: the full log file of the channel, settings, global and workspace state.
    const files = fs.readdirSync(server.dataDir, { recursive: true, encoding: 'utf8' }).map((f) => path.join(server.dataDir, f)).filter((f) => fs.statSync(f).isFile());
    const logFile = files.find((f) => f.endsWith('Xsolla Import.log'));
    assert.ok(logFile, 'the channel writes its log file');
    assert.match(fs.readFileSync(logFile, 'utf8'), /Saved credentials for project 44056/, 'the log file holds the whole session');
    const hits = files.filter((f) => {
      const content = fs.readFileSync(f);
      return content.includes(KEY) || content.includes(basic);
    });
    assert.deepStrictEqual(hits.map((f) => path.relative(server.dataDir, f)), [], 'no file contains the key');
  });
});
