/**
 * `npm run test:desktop`: the same integration suite on desktop VS Code through @vscode/test-electron.
 * It downloads VS Code, so it needs a network that reaches VS Code's update service; `npm test`
 * uses the web workbench runner instead.
 */
import { runTests } from '@vscode/test-electron';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { FIXTURE_WORKSPACE, ROOT } from './env';

async function main(): Promise<number> {
  const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'xsolla-desktop-ws-'));
  fs.cpSync(FIXTURE_WORKSPACE, workspace, { recursive: true });
  const reportDir = fs.mkdtempSync(path.join(os.tmpdir(), 'xsolla-desktop-report-'));
  const report = path.join(reportDir, 'report.json');
  try {
    await runTests({
      version: process.env.VSCODE_VERSION ?? 'stable',
      extensionDevelopmentPath: ROOT,
      extensionTestsPath: path.join(ROOT, 'out', 'test', 'integration', 'index.js'),
      launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust', '--user-data-dir', path.join(reportDir, 'user')],
      extensionTestsEnv: { XSOLLA_TEST_REPORT: report },
    });
  } catch (e) {
    console.error(e instanceof Error ? e.message : e);
  }
  const r = fs.existsSync(report) ? (JSON.parse(fs.readFileSync(report, 'utf8')) as { passed: number; failed: number }) : { passed: 0, failed: 1 };
  console.log(`\n${r.passed} passed, ${r.failed} failed`);
  fs.rmSync(workspace, { recursive: true, force: true });
  fs.rmSync(reportDir, { recursive: true, force: true });
  return r.failed > 0 || r.passed === 0 ? 1 : 0;
}

void main().then((code) => process.exit(code));
