import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createServer } from './server/create-server.ts';
import { parseConfig } from './server/config.ts';
import { createDatabase } from './server/db/database.ts';
import { createPgliteTransport, openPglite } from './server/db/pglite-transport.ts';
import { createLogger } from './server/logger.ts';
import { generateQueries } from './bench/support/catalog-generator.ts';
const config = parseConfig({ DATA_DIR: '/nonexistent', LOG_LEVEL: 'silent', CACHE_TTL: '0' });
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
async function start(dir: string) {
  const pg = await openPglite({ dataDir: dir });
  const db = createDatabase(createPgliteTransport(pg));
  const server = createServer({ config, db, logger: createLogger('silent') }).app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const get = (path: string) => new Promise<number>((res, rej) => { const s = performance.now(); http.get(base + path, { agent, headers: { 'Accept-Encoding': 'gzip, br' } }, (r) => { r.resume().on('end', () => res(performance.now() - s)); }).on('error', rej); });
  return { get, close: async () => { server.close(); await pg.close(); } };
}
const a = await start(process.argv[2]!);
const b = await start(process.argv[3]!);
const path = (q: string) => `/api/records?search=${encodeURIComponent(q)}`;
for (const q of generateQueries(30, 99)) { await a.get(path(q)); await b.get(path(q)); }
const reps = Number(process.argv[4] ?? 3);
const ta: Array<[string, number]> = [], tb: Array<[string, number]> = [];
for (const q of generateQueries(400)) {
  let ma = Infinity, mb = Infinity;
  for (let i = 0; i < reps; i++) { ma = Math.min(ma, await a.get(path(q))); mb = Math.min(mb, await b.get(path(q))); }
  ta.push([q, ma]); tb.push([q, mb]);
}
for (const [name, t] of [['A', ta], ['B', tb]] as const) {
  const s = t.map((x) => x[1]).sort((x, y) => x - y);
  console.log(name, 'p50', s[199]!.toFixed(1), 'p95', s[379]!.toFixed(1), JSON.stringify([...t].sort((x, y) => y[1] - x[1]).slice(0, 12).map(([q, ms]) => [q, Math.round(ms)])));
}
agent.destroy(); await a.close(); await b.close();
