import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../../server/config.ts';

describe('website configuration', () => {
  it('defaults: no static export, pages call the API on their own host, the shop has a name', () => {
    expect(parseConfig({}).site).toEqual({ name: 'Винил-лавка', exportDir: null, apiUrl: null, deployHookUrl: null });
  });

  it('reads the export folder, the API address (without a trailing slash) and the deploy hook', () => {
    const config = parseConfig({ SITE_EXPORT_DIR: 'public', SITE_API_URL: 'https://api.shop.example/', SITE_DEPLOY_HOOK_URL: 'https://api.netlify.com/build_hooks/abc', SITE_NAME: 'Пластинки' });
    expect(config.site).toEqual({ name: 'Пластинки', exportDir: 'public', apiUrl: 'https://api.shop.example', deployHookUrl: 'https://api.netlify.com/build_hooks/abc' });
  });

  it('refuses an API address or deploy hook that is not an http(s) URL, naming the variable', () => {
    expect(() => parseConfig({ SITE_API_URL: 'ftp://x' })).toThrow(ConfigError);
    expect(() => parseConfig({ SITE_DEPLOY_HOOK_URL: 'not a url' })).toThrow(/SITE_DEPLOY_HOOK_URL/);
  });
});
