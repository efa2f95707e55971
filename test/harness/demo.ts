/**
 * `npm run demo`: the simulated Xsolla API with a looping demo import, and a real VS Code with the
 * extension installed from its VSIX, on a copy of the sample catalog workspace, with demo credentials
 * in place (XSOLLA_PROJECT_ID / XSOLLA_API_KEY in the extension host's environment).
 *
 *   npm run demo                 VS Code in the browser: prints the URL to open
 *   npm run demo -- --desktop    desktop VS Code (`code` on PATH) instead
 *   npm run demo -- --port 8080  a fixed port for the workbench
 *   npm run demo -- --check      headless: opens the workbench in Chromium, waits until the status bar
 *                                moves, saves test-results/demo.png, and exits (for CI or a quick look)
 */
import { execFileSync, spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { demoImport } from '../sim/scenarios';
import { DEFAULT_API_KEY, DEFAULT_PROJECT_ID, Simulator } from '../sim/simulator';
import { ensureEnv, FIXTURE_WORKSPACE, launchChromium, RESULTS_DIR } from './env';
import { QUIET_SETTINGS, startServer } from './server';
import { packageVsix } from './vsix';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function main(): Promise<void> {
  const desktop = process.argv.includes('--desktop');
  const check = process.argv.includes('--check');
  const port = arg('--port') ? Number(arg('--port')) : undefined;

  const sim = await Simulator.start({ scenario: demoImport(true) });
  const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'xsolla-demo-'));
  fs.cpSync(FIXTURE_WORKSPACE, workspace, { recursive: true });
  const settings = { 'xsollaImport.apiBaseUrl': sim.url, 'xsollaImport.pollIntervalSeconds': 1, 'xsollaImport.idlePollIntervalSeconds': 5 };
  const credentials = { XSOLLA_PROJECT_ID: String(DEFAULT_PROJECT_ID), XSOLLA_API_KEY: DEFAULT_API_KEY };
  console.log(`Simulated Xsolla API: ${sim.url} (project ${DEFAULT_PROJECT_ID}, a demo import every ~30 s)`);
  const vsix = packageVsix();

  if (desktop) {
    const code = spawnSync('code', ['--version']).status === 0 ? 'code' : undefined;
    if (!code) throw new Error('`code` is not on PATH. Run `npm run demo` without --desktop for VS Code in the browser.');
    const userDir = fs.mkdtempSync(path.join(os.tmpdir(), 'xsolla-demo-user-'));
    fs.mkdirSync(path.join(userDir, 'User'), { recursive: true });
    fs.writeFileSync(path.join(userDir, 'User', 'settings.json'), JSON.stringify({ ...QUIET_SETTINGS, ...settings }, null, 2));
    const dirs = ['--user-data-dir', userDir, '--extensions-dir', path.join(userDir, 'ext')];
    execFileSync(code, [...dirs, '--install-extension', vsix, '--force'], { stdio: 'inherit' });
    const child = spawn(code, [...dirs, '--new-window', '--wait', workspace], { stdio: 'inherit', env: { ...process.env, ...credentials } });
    console.log('Desktop VS Code is open on the sample workspace. Close its window (or press Ctrl-C here) to stop.');
    await new Promise((r) => child.on('exit', r));
    await sim.close();
    return;
  }

  ensureEnv();
  const server = await startServer({ vsix, settings, env: credentials, port });
  const url = `${server.url}/?folder=${encodeURIComponent(workspace)}`;
  const stop = async () => {
    await server.stop();
    await sim.close();
    fs.rmSync(workspace, { recursive: true, force: true });
  };

  if (check) {
    const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'xsolla-demo-chromium-'));
    const browser = await launchChromium(profile);
    try {
      const page = browser.pages()[0] ?? (await browser.newPage());
      await page.goto(url, { waitUntil: 'domcontentloaded', timeout: 60_000 });
      const seen = new Set<string>();
      const end = Date.now() + 90_000;
      while (Date.now() < end && seen.size < 3) {
        const texts = await page.locator('.statusbar-item', { hasText: 'Xsolla' }).allInnerTexts().catch(() => []);
        if (texts[0]) seen.add(texts[0].trim());
        await new Promise((r) => setTimeout(r, 300));
      }
      fs.mkdirSync(RESULTS_DIR, { recursive: true });
      await page.screenshot({ path: path.join(RESULTS_DIR, 'demo.png') });
      console.log(`Status bar texts seen: ${[...seen].join(' | ')}`);
      if (seen.size < 3) throw new Error('The demo status bar did not move.');
      console.log('Demo check passed; screenshot in test-results/demo.png');
    } finally {
      await browser.close().catch(() => undefined);
      fs.rmSync(profile, { recursive: true, force: true });
      await stop();
    }
    return;
  }

  console.log(`\nOpen VS Code in your browser:\n\n  ${url}\n\nPress Ctrl-C to stop.`);
  // Ctrl-C exits; the harness kills the server on exit, and the copy of the workspace goes with it.
  process.on('exit', () => fs.rmSync(workspace, { recursive: true, force: true }));
  await new Promise<never>(() => undefined);
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  },
);
