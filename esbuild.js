// Bundles the extension into one minified file, dist/extension.js. `vscode` stays external.
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

(async () => {
  if (watch) {
    const ctx = await esbuild.context(options);
    await ctx.watch();
  } else {
    await esbuild.build(options);
  }
})().catch(() => process.exit(1));
