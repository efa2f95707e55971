// Bundles the extension into dist/extension.js and the index worker (core/indexBuild.ts starts it in
// worker threads) into dist/indexWorker.js, both minified. `vscode` stays external.
const esbuild = require('esbuild');

const watch = process.argv.includes('--watch');
const options = {
  entryPoints: ['src/extension.ts'],
  bundle: true,
  outfile: 'dist/extension.js',
  format: 'cjs',
  platform: 'node',
  target: 'node18',
  external: ['vscode'],
  // jsonc-parser's "main" is a UMD build with dynamic requires that a bundle cannot follow; its ESM build bundles cleanly.
  mainFields: ['module', 'main'],
  // node-fetch@2 falls back to whatwg-url only where Node has no URL; a shim re-exporting Node's URL
  // keeps tr46's Unicode tables (~200 KB) out of the bundle. `encoding` (optional, for
  // textConverted()) is not installed and stays an unresolved require inside node-fetch's try/catch.
  alias: { 'whatwg-url': './src/shims/whatwg-url.ts' },
  minify: !watch,
  sourcemap: watch ? 'inline' : false,
  logLevel: 'warning',
};

const workerOptions = { ...options, entryPoints: ['src/core/indexWorker.ts'], outfile: 'dist/indexWorker.js' };

(async () => {
  if (watch) {
    for (const o of [options, workerOptions]) await (await esbuild.context(o)).watch();
  } else {
    await Promise.all([esbuild.build(options), esbuild.build(workerOptions)]);
  }
})().catch(() => process.exit(1));
