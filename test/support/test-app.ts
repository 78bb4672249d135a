import { createServer as createHttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createServer } from '../../server/create-server.ts';
import { parseConfig, type Config } from '../../server/config.ts';
import type { Database } from '../../server/db/database.ts';
import { createLogger } from '../../server/logger.ts';
import type { RestartPolicy } from '../../server/tasks/restart-policy.ts';
import { captureResponse, createResponseChecker, type ResponseChecker } from './openapi-responses.ts';

let responseChecker: ResponseChecker | undefined;

/** The configuration tests start from: the real parser over a small environment. */
export function testConfig(env: Record<string, string> = {}): Config {
  return parseConfig({ DATA_DIR: '/nonexistent', LOG_LEVEL: 'silent', ...env });
}

/** The real application on a loopback port, driven over HTTP like the website would. */
export async function startTestApp(
  db: Database,
  env: Record<string, string> = {},
  options: { port?: number; supervision?: Partial<RestartPolicy> } = {},
) {
  const config = testConfig(env);
  const vinyl = createServer({ config, db, logger: createLogger(config.logLevel), supervision: options.supervision });
  await vinyl.start();
  // Every response is checked against the OpenAPI document; close() fails on a mismatch.
  const check = (responseChecker ??= createResponseChecker());
  const mismatches: string[] = [];
  const server = createHttpServer((req, res) => {
    captureResponse(req, res, (status, contentType, body) => mismatches.push(...check(req.method ?? 'GET', req.url ?? '/', status, contentType, body)));
    vinyl.app(req, res);
  }).listen(options.port ?? 0, '127.0.0.1');
  // Longer than any test step, so fetch never reuses a socket the server is just closing.
  server.keepAliveTimeout = 60_000;
  await new Promise((resolve) => server.once('listening', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    config,
    vinyl,
    get: async (path: string, headers: Record<string, string> = {}) => {
      const response = await fetch(url + path, { headers });
      return { status: response.status, headers: response.headers, body: (await response.json()) as any };
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await vinyl.stop();
      if (mismatches.length > 0) throw new Error(`responses differ from the OpenAPI document:\n${[...new Set(mismatches)].join('\n')}`);
    },
    /** Responses so far that differ from the OpenAPI document. */
    mismatches,
  };
}
