import { Validator } from '@seriousme/openapi-schema-validator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer } from '../../server/create-server.ts';
import { createLogger } from '../../server/logger.ts';
import { buildOpenApiDocument } from '../../server/openapi/openapi-document.ts';
import { pgliteDatabase, type TestDatabase } from '../support/databases.ts';
import { expressRoutes } from '../support/express-routes.ts';
import { createResponseChecker } from '../support/openapi-responses.ts';
import { startTestApp, testConfig } from '../support/test-app.ts';

const everythingOn = {
  TELEGRAM_BOT_TOKEN: '123456:TEST-token',
  ADMIN_TELEGRAM_ID: '1',
  TELEGRAM_WEBHOOK_URL: 'https://shop.example/telegram/hook',
  TELEGRAM_WEBHOOK_SECRET: 'webhook-secret-0123456789',
  ADMIN_API_TOKEN: 'admin-token-0123456789-abcdef',
  SHEET_SECRET: 'sheet-secret-0123456789-abcdef',
};

describe('OpenAPI document', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await pgliteDatabase();
  });
  afterAll(async () => {
    await database?.close();
  });

  it('is valid OpenAPI 3.1', async () => {
    const result = await new Validator().validate(buildOpenApiDocument({ version: '1.0.0', telegramWebhookPath: '/telegram/hook' }) as never);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it('describes every route of the real app, and only routes that exist', async () => {
    const config = testConfig(everythingOn);
    const vinyl = createServer({ config, db: database.db, logger: createLogger('silent') });
    const document = buildOpenApiDocument({ version: 'test', telegramWebhookPath: '/telegram/hook' });
    const described = Object.entries(document.paths).flatMap(([path, ops]) =>
      Object.keys(ops).map((method) => `${method.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`),
    );
    // The website's pages (HTML, one catch-all route; docs/website.md) are not API operations.
    const routes = expressRoutes(vinyl.app).filter((route) => route !== 'GET /.*/');
    expect(routes.length).toBeGreaterThan(20);
    expect(routes.filter((route) => !described.includes(route)), 'routes without a description in server/openapi/api-operations.ts').toEqual([]);
    expect(described.filter((op) => !routes.includes(op)), 'descriptions of routes that do not exist').toEqual([]);
  });

  it('reports a response that differs from the document', () => {
    const check = createResponseChecker();
    const json = 'application/json; charset=utf-8';
    expect(check('GET', '/api/records?search=x', 200, json, Buffer.from('{"total":"many","total_exact":true,"records":[]}'))).toEqual([
      expect.stringContaining('/total must be integer'),
    ]);
    expect(check('GET', '/api/records', 418, json, Buffer.from('{}'))).toEqual(['GET /api/records → 418: status not in the document']);
    expect(check('GET', '/api/records', 200, json, Buffer.from('{"total":1,"total_exact":true,"records":[],"extra":1}'))).not.toEqual([]);
    expect(check('GET', '/api/records', 200, json, Buffer.from('{"total":0,"total_exact":true,"records":[]}'))).toEqual([]);
  });

  it('is served at /openapi.json, and /docs works offline with assets from this server', async () => {
    const api = await startTestApp(database.db);
    try {
      const served = await api.get('/openapi.json');
      expect(served.status).toBe(200);
      expect(served.body.openapi).toBe('3.1.0');
      expect(Object.keys(served.body.paths)).toContain('/api/records/{id}');
      const page = await (await fetch(`${api.url}/docs`)).text();
      expect(page).not.toMatch(/(src|href)="https?:/);
      const assets = [...page.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!);
      expect(assets).toEqual(['/docs/assets/swagger-ui.css', '/docs/assets/swagger-ui-bundle.js']);
      for (const asset of assets) {
        const response = await fetch(api.url + asset);
        expect(response.status, asset).toBe(200);
        expect((await response.arrayBuffer()).byteLength, asset).toBeGreaterThan(1000);
      }
      expect(page).toContain('/openapi.json');
      // The package's demo page (which loads the petstore from the internet) is not served.
      expect((await fetch(`${api.url}/docs/assets/index.html`)).status).toBe(404);
    } finally {
      await api.close();
    }
  });
});
