/**
 * Builds the add-on for clasp (npm run gas:build): apps-script/src/main.ts and ./shared are
 * bundled by esbuild into one IIFE script with a global name, then a top-level `function` stub
 * is appended for every export of main.ts, because Apps Script calls triggers, menu items and
 * google.script.run targets by the name of a top-level function. appsscript.json and the HTML
 * files are copied next to it. clasp pushes build/apps-script (.clasp.json rootDir).
 */
import { copyFile, mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const buildDir = path.join(root, 'build', 'apps-script');
const entry = path.join(root, 'apps-script', 'src', 'main.ts');
const htmlDir = path.join(root, 'apps-script', 'html');
const globalName = 'VinylAddon';

async function exportNames(): Promise<string[]> {
  const probe = await build({ entryPoints: [entry], bundle: true, format: 'esm', write: false, metafile: true, logLevel: 'silent' });
  const output = Object.values(probe.metafile.outputs)[0];
  return [...(output?.exports ?? [])].sort();
}

export async function buildAddon(): Promise<{ dir: string; bytes: number; entryPoints: string[] }> {
  const names = await exportNames();
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    format: 'iife',
    globalName,
    // Apps Script's V8 runs ES2020 syntax; no Node APIs exist there.
    target: 'es2020',
    platform: 'neutral',
    mainFields: ['module', 'main'],
    charset: 'utf8',
    legalComments: 'none',
    // Apps Script parses the whole project on every execution: smaller is faster.
    minify: true,
    write: false,
    logLevel: 'warning',
  });
  const stubs = names.map((name) => `function ${name}() { return ${globalName}.${name}.apply(this, arguments); }`).join('\n');
  const code = `${result.outputFiles[0]?.text ?? ''}\n${stubs}\n`;
  await rm(buildDir, { recursive: true, force: true });
  await mkdir(buildDir, { recursive: true });
  await writeFile(path.join(buildDir, 'addon.js'), code);
  await copyFile(path.join(root, 'appsscript.json'), path.join(buildDir, 'appsscript.json'));
  for (const file of await readdir(htmlDir)) {
    if (file.endsWith('.html')) await copyFile(path.join(htmlDir, file), path.join(buildDir, file));
  }
  return { dir: buildDir, bytes: Buffer.byteLength(code), entryPoints: names };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const out = await buildAddon();
  console.log(`built ${path.relative(root, out.dir)}/addon.js (${Math.round(out.bytes / 1024)} KB), entry points: ${out.entryPoints.join(', ')}`);
}
