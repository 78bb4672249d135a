import { createRequire } from 'node:module';
import path from 'node:path';
import express, { Router } from 'express';
import type { OpenApiDocument } from './openapi-document.ts';

/** Where npm put swagger-ui-dist: the reference page's assets are served from it (no CDN). */
function swaggerUiDir(): string {
  return path.dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
}

const page = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Vinyl store API</title>
<link rel="stylesheet" href="/docs/assets/swagger-ui.css">
</head>
<body>
<div id="reference"></div>
<script src="/docs/assets/swagger-ui-bundle.js"></script>
<script>window.ui = SwaggerUIBundle({ url: "/openapi.json", dom_id: "#reference", deepLinking: true });</script>
</body>
</html>
`;

/** GET /openapi.json and the interactive reference at GET /docs (works offline). */
export function createOpenApiRoutes(document: OpenApiDocument): Router {
  const json = JSON.stringify(document);
  const router = Router();
  router.get('/openapi.json', (_req, res) => {
    res.type('application/json').send(json);
  });
  router.get('/docs', (_req, res) => {
    res.type('html').send(page);
  });
  // Only what the page loads: the package also holds a demo page that points at the internet.
  const assets = new Set(['/swagger-ui.css', '/swagger-ui-bundle.js']);
  router.use('/docs/assets', (req, _res, next) => next(assets.has(req.path) ? undefined : 'router'), express.static(swaggerUiDir(), { maxAge: '1d', index: false }));
  return router;
}
