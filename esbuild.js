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
