// Builds the dashboard (dashboard/src, Preact + TypeScript) into dist/dashboard: one minified ES module, one
// stylesheet and the page, nothing fetched from elsewhere at run time. Fails when the JavaScript a first load
// fetches exceeds its budget (gzip), so the budget is measured on every build.
import { copyFileSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const OUT = join(ROOT, 'dist', 'dashboard');
const JS_BUDGET_GZIP_BYTES = 200 * 1024;

rmSync(OUT, { recursive: true, force: true });
mkdirSync(OUT, { recursive: true });
await build({
  entryPoints: { app: join(ROOT, 'dashboard', 'src', 'main.tsx') },
  outdir: OUT,
  bundle: true,
  minify: true,
  format: 'esm',
  target: ['es2022'],
  jsx: 'automatic',
  jsxImportSource: 'preact',
  legalComments: 'none',
  logLevel: 'warning',
});
copyFileSync(join(ROOT, 'dashboard', 'index.html'), join(OUT, 'index.html'));

const gzipped = gzipSync(readFileSync(join(OUT, 'app.js'))).length;
const summary = `dashboard built in ${OUT}: app.js ${(gzipped / 1024).toFixed(1)} KB gzip (budget ${JS_BUDGET_GZIP_BYTES / 1024} KB)`;
if (gzipped > JS_BUDGET_GZIP_BYTES) {
  console.error(`${summary}: over budget`);
  process.exit(1);
}
console.log(summary);
