/**
 * `npm test`: the unit suite (Node), the integration suite (mocha inside the real extension host)
 * and the UI suite (Chromium driving the workbench with the packaged VSIX). Prints one closing line
 * "N passed, N failed" over all of them and exits non-zero on any failure.
 */
import * as fs from 'fs';
import Mocha from 'mocha';
import * as os from 'os';
import * as path from 'path';
import { ensureEnv, FIXTURE_WORKSPACE, MULTI_ROOT_WORKSPACE, ROOT } from './env';
import { packageVsix } from './vsix';
import { runInExtensionHost } from './runInHost';

interface Result {
  suite: string;
  passed: number;
  failed: number;
  seconds: number;
}

function listTests(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.test.js'))
    .sort()
    .map((f) => path.join(dir, f));
}

async function runMocha(suite: string, files: string[], timeout: number): Promise<Result> {
  const started = Date.now();
  const mocha = new Mocha({ ui: 'bdd', timeout, color: true, reporter: 'spec' });
  files.forEach((f) => mocha.addFile(f));
  let passed = 0;
  let failed = 0;
  await new Promise<void>((resolve) => {
    const runner = mocha.run(() => resolve());
    runner.on('pass', () => passed++);
    runner.on('fail', () => failed++);
  });
  mocha.dispose();
  return { suite, passed, failed, seconds: (Date.now() - started) / 1000 };
}

async function main(): Promise<number> {
  const only = process.argv.slice(2); // e.g. `node out/test/harness/runAll.js unit integration`
  const want = (s: string) => only.length === 0 || only.includes(s);
  const results: Result[] = [];
  const out = path.join(ROOT, 'out', 'test');

  if (want('unit')) {
    console.log('\n=== unit (Node) ===');
    results.push(await runMocha('unit', listTests(path.join(out, 'unit')), 20_000));
  }

  if (want('integration') || want('ui')) ensureEnv();

  if (want('integration')) {
    console.log('\n=== integration (mocha inside the real VS Code extension host) ===');
    const started = Date.now();
    const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'xsolla-ws-'));
    fs.cpSync(FIXTURE_WORKSPACE, workspace, { recursive: true });
    const multi = fs.mkdtempSync(path.join(os.tmpdir(), 'xsolla-multi-'));
    fs.cpSync(MULTI_ROOT_WORKSPACE, multi, { recursive: true });
    try {
      let passed = 0;
      let failed = 0;
      for (const run of [
        { workspace, testsPath: path.join(out, 'integration', 'index.js') },
        { workspace: path.join(multi, 'multi.code-workspace'), testsPath: path.join(out, 'integration', 'multiroot', 'index.js') },
      ]) {
        const r = await runInExtensionHost({ ...run, verbose: true });
        for (const f of r.failures) console.log(`  FAILED ${f.title}\n    ${f.error.split('\n').join('\n    ')}`);
        passed += r.passed;
        failed += r.failed || (r.exitCode === 0 ? 0 : 1);
      }
      results.push({ suite: 'integration', passed, failed, seconds: (Date.now() - started) / 1000 });
    } finally {
      fs.rmSync(workspace, { recursive: true, force: true });
      fs.rmSync(multi, { recursive: true, force: true });
    }
  }

  if (want('ui')) {
    console.log('\n=== ui (Chromium driving the workbench, extension installed from the VSIX) ===');
    process.env.XSOLLA_UI_VSIX = packageVsix();
    results.push(await runMocha('ui', listTests(path.join(out, 'ui')), 120_000));
  }

  console.log('\nsuite         passed  failed  seconds');
  for (const r of results) console.log(`${r.suite.padEnd(13)} ${String(r.passed).padStart(6)}  ${String(r.failed).padStart(6)}  ${r.seconds.toFixed(1).padStart(7)}`);
  const passed = results.reduce((a, r) => a + r.passed, 0);
  const failed = results.reduce((a, r) => a + r.failed, 0);
  const ran = results.reduce((a, r) => a + r.passed + r.failed, 0);
  console.log(`\n${passed} passed, ${failed} failed`);
  return failed > 0 || ran === 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (e) => {
    console.error(e);
    console.log('\n0 passed, 1 failed');
    process.exit(1);
  },
);
