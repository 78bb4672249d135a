import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, transform } from 'esbuild';
import { toCachedBody, type CachedResponse } from '../http/response-cache.ts';

const siteDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../site');

/** A static file of the site: its bytes, and the same as a response (compressed once, ETag). */
export interface SiteAsset {
  body: Buffer;
  response: CachedResponse;
}

/** Content-hashed names never change content: browsers may keep them for a year. */
const asset = (body: Buffer, type: string, immutable: boolean): SiteAsset => ({
  body,
  response: { ...toCachedBody(body, type), cacheControl: immutable ? 'public, max-age=31536000, immutable' : 'public, max-age=86400' },
});

export interface SiteAssets {
  /** The minified stylesheet, inlined into every page. */
  css: string;
  /** URL of the content-hashed script bundle. */
  script: string;
  files: Map<string, SiteAsset>;
}

const favicon = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64"><circle cx="32" cy="32" r="30" fill="#1b1b1f"/><circle cx="32" cy="32" r="20" fill="none" stroke="#3a3a40" stroke-width="2"/><circle cx="32" cy="32" r="10" fill="#a3341f"/><circle cx="32" cy="32" r="2" fill="#faf8f4"/></svg>`;

/**
 * The site's script and stylesheet, built with esbuild: the client modules in site/client (with
 * the ./shared code they import, such as the search normalisation) in one small IIFE, the CSS
 * minified. Built once per process, in memory.
 */
export async function buildSiteAssets(): Promise<SiteAssets> {
  const bundle = await build({
    entryPoints: [path.join(siteDir, 'client/main.ts')],
    bundle: true,
    minify: true,
    format: 'iife',
    target: 'es2020',
    write: false,
    legalComments: 'none',
    logLevel: 'silent',
  });
  const js = Buffer.from(bundle.outputFiles[0]!.contents);
  const css = (await transform(await readFile(path.join(siteDir, 'styles/site.css'), 'utf8'), { loader: 'css', minify: true })).code.trim();
  const hash = createHash('sha256').update(js).digest('hex').slice(0, 10);
  const script = `/assets/site.${hash}.js`;
  const files = new Map<string, SiteAsset>([
    [script, asset(js, 'text/javascript; charset=utf-8', true)],
    ['/favicon.svg', asset(Buffer.from(favicon), 'image/svg+xml', false)],
  ]);
  return { css, script, files };
}
