/**
 * Entry point of the integration suite, loaded by the extension host (extensionTestsPath).
 * Used by both runners: the web workbench here and @vscode/test-electron on desktop.
 * Writes a JSON report to XSOLLA_TEST_REPORT when that is set.
 */
import * as fs from 'fs';
import Mocha from 'mocha';
import * as path from 'path';

export function run(): Promise<void> {
  return runTestsIn(__dirname);
}

/** Runs every `*.test.js` directly in `dir`. */
export function runTestsIn(dir: string): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', timeout: 30_000, color: false, reporter: 'spec' });
  for (const f of fs.readdirSync(dir).filter((f) => f.endsWith('.test.js')).sort()) mocha.addFile(path.join(dir, f));
  return new Promise((resolve, reject) => {
    const failures: { title: string; error: string }[] = [];
    let passed = 0;
    const runner = mocha.run((failed) => {
      const reportFile = process.env.XSOLLA_TEST_REPORT;
      if (reportFile) fs.writeFileSync(reportFile, JSON.stringify({ passed, failed: failures.length, failures }));
      if (failed > 0) reject(new Error(`${failed} integration tests failed.`));
      else resolve();
    });
    runner.on('pass', () => passed++);
    runner.on('fail', (test, err: Error) => failures.push({ title: test.fullTitle(), error: String(err?.stack ?? err).slice(0, 2000) }));
  });
}
