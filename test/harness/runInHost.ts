/**
 * Runs a mocha suite inside the real extension host of VS Code (server + web workbench in Chromium),
 * the way @vscode/test-electron does on desktop: extensionDevelopmentPath + extensionTestsPath.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { launchChromium, ROOT } from './env';
import { startServer } from './server';

export interface SuiteReport {
  passed: number;
  failed: number;
  failures: { title: string; error: string }[];
}

export async function runInExtensionHost(opts: { workspace: string; testsPath: string; settings?: Record<string, unknown>; env?: NodeJS.ProcessEnv; timeoutMs?: number; verbose?: boolean }): Promise<SuiteReport & { exitCode: number }> {
  const reportFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'xsolla-report-')), 'report.json');
  const server = await startServer({ settings: opts.settings, env: { ...opts.env, XSOLLA_TEST_REPORT: reportFile } });
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'xsolla-chromium-'));
  const browser = await launchChromium(profile);
  try {
    const page = browser.pages()[0] ?? (await browser.newPage());
    let exitCode: number | undefined;
    await page.exposeFunction('codeAutomationExit', (code: number) => {
      exitCode = code;
    });
    page.on('console', (m) => {
      const t = m.text();
      if (opts.verbose || /^\s*(✔|✓|\d+\)|[0-9]+ (passing|failing|pending)|Error|AssertionError)/.test(t)) process.stdout.write(`  [host] ${t}\n`);
    });
    const remote = (p: string) => `vscode-remote://127.0.0.1:${server.port}${p}`;
    const payload = [
      ['extensionDevelopmentPath', remote(ROOT)],
      ['extensionTestsPath', remote(opts.testsPath)],
    ];
    const target = opts.workspace.endsWith('.code-workspace') ? 'workspace' : 'folder';
    const url = `${server.url}/?${target}=${encodeURIComponent(opts.workspace)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
    await page.goto(url, { waitUntil: 'domcontentloaded', timeout: 60_000 });
    const deadline = Date.now() + (opts.timeoutMs ?? 180_000);
    while (exitCode === undefined && Date.now() < deadline) await new Promise((r) => setTimeout(r, 250));
    await new Promise((r) => setTimeout(r, 1000)); // last console lines
    if (exitCode === undefined) {
      return { exitCode: 1, passed: 0, failed: 1, failures: [{ title: 'integration suite', error: `did not finish in time. Server log:\n${server.log().slice(-3000)}` }] };
    }
    let report: SuiteReport = { passed: 0, failed: exitCode === 0 ? 0 : 1, failures: exitCode === 0 ? [] : [{ title: 'integration suite', error: 'no report written' }] };
    if (fs.existsSync(reportFile)) report = JSON.parse(fs.readFileSync(reportFile, 'utf8')) as SuiteReport;
    return { exitCode, ...report };
  } finally {
    await browser.close().catch(() => undefined);
    await server.stop();
    fs.rmSync(profile, { recursive: true, force: true });
    fs.rmSync(path.dirname(reportFile), { recursive: true, force: true });
  }
}
