/** Packages the extension as users get it: `vsce package` over the bundled dist/extension.js. */
import { execFileSync } from 'child_process';
import * as path from 'path';
import { ROOT } from './env';

export function packageVsix(): string {
  const out = path.join(ROOT, 'xsolla-import-status.vsix');
  execFileSync(process.execPath, [require.resolve('@vscode/vsce/vsce'), 'package', '--no-dependencies', '--skip-license', '-o', out], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  return out;
}
