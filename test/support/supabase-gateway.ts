// The part of Supabase's API gateway that sits in front of PostgREST at /rest/v1: it checks the
// `apikey` header (or query parameter) and refuses a missing or unknown key itself, with a 401
// whose body has no PostgREST code. It accepts both kinds of keys, as Supabase does: the legacy
// JWT anon/service_role keys, passed on untouched, and the new sb_publishable_/sb_secret_ keys,
// which it swaps for a JWT of the matching role on the way to PostgREST.
// https://supabase.com/docs/guides/api/api-keys
import { createHmac, randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** HS256, the way Supabase signs its legacy API keys and the JWTs PostgREST verifies. */
export function signJwt(payload: Record<string, unknown>, secret: string): string {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const unsigned = `${part({ alg: 'HS256', typ: 'JWT' })}.${part(payload)}`;
  return `${unsigned}.${createHmac('sha256', secret).update(unsigned).digest('base64url')}`;
}

export interface ApiKeys {
  /** PostgREST's jwt-secret (Supabase: the project's JWT secret). */
  jwtSecret: string;
  /** Legacy anon key: a JWT with role anon. */
  anon: string;
  /** Legacy service_role key: a JWT with role service_role. */
  serviceRole: string;
  /** New publishable key (the anon key's successor). */
  publishable: string;
  /** New secret key (the service_role key's successor). */
  secret: string;
}

export function createApiKeys(): ApiKeys {
  const jwtSecret = randomBytes(32).toString('base64url');
  const iat = Math.floor(Date.now() / 1000);
  const legacy = (role: string) => signJwt({ iss: 'supabase', ref: 'localtest', role, iat, exp: iat + 10 * 365 * 86400 }, jwtSecret);
  return {
    jwtSecret,
    anon: legacy('anon'),
    serviceRole: legacy('service_role'),
    publishable: `sb_publishable_${randomBytes(16).toString('base64url')}`,
    secret: `sb_secret_${randomBytes(16).toString('base64url')}`,
  };
}

export interface SupabaseGateway {
  /** What SUPABASE_URL is set to: the gateway's origin, without /rest/v1. */
  url: string;
  close(): Promise<void>;
}

// The gateway's own answers (Supabase's wording): a message and a hint, never a PostgREST code.
const noKey = { message: 'No API key found in request', hint: 'No `apikey` request header or url param was found.' };
const badKey = { message: 'Invalid API key', hint: 'Double check your Supabase `anon` or `service_role` API key.' };
const noRoute = { message: 'no Route matched with those values' };

export async function startSupabaseGateway(options: {
  keys: ApiKeys;
  /** Sends the rewritten request on to PostgREST (over its Unix socket). */
  upstream: { socketPath: string };
}): Promise<SupabaseGateway> {
  const { keys } = options;
  // Which JWT a request carries to PostgREST for each accepted apikey.
  const roleJwt = new Map([
    [keys.anon, keys.anon],
    [keys.serviceRole, keys.serviceRole],
    [keys.publishable, keys.anon],
    [keys.secret, keys.serviceRole],
  ]);
  const agent = new http.Agent({ keepAlive: true });

  const server = http.createServer((req, res) => {
    req.on('error', () => {});
    res.on('error', () => {});
    const reply = (status: number, body: object) => {
      const text = JSON.stringify(body);
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
      res.end(text);
    };
    const url = new URL(req.url ?? '/', 'http://gateway');
    if (url.pathname !== '/rest/v1' && !url.pathname.startsWith('/rest/v1/')) return reply(404, noRoute);

    const header = req.headers.apikey;
    const apikey = (Array.isArray(header) ? header[0] : header) ?? url.searchParams.get('apikey') ?? undefined;
    if (!apikey) return reply(401, noKey);
    const jwt = roleJwt.get(apikey);
    if (!jwt) return reply(401, badKey);
    const bearer = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '')?.[1]?.trim();
    let authorization: string;
    if (bearer === undefined) authorization = `Bearer ${jwt}`;
    else if (bearer.startsWith('sb_')) {
      // An opaque key as bearer token (supabase-js sends its key there) becomes its role's JWT.
      const mapped = roleJwt.get(bearer);
      if (!mapped) return reply(401, badKey);
      authorization = `Bearer ${mapped}`;
    } else authorization = `Bearer ${bearer}`; // a JWT: PostgREST verifies it

    // The key stays at the gateway (Kong's hide_credentials).
    url.searchParams.delete('apikey');
    const headers: http.OutgoingHttpHeaders = { ...req.headers, authorization };
    delete headers.apikey;
    delete headers.host;
    const upstream = http.request(
      {
        socketPath: options.upstream.socketPath,
        agent,
        method: req.method,
        path: (url.pathname.slice('/rest/v1'.length) || '/') + url.search,
        headers,
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.statusMessage, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', (error) => {
      if (res.headersSent) res.destroy();
      else reply(502, { message: 'An invalid response was received from the upstream server', details: error.message });
    });
    req.pipe(upstream);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  let closing: Promise<void> | undefined;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      (closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Keep-alive connections (fetch, the agent) would hold close() open.
        server.closeAllConnections();
        agent.destroy();
      })),
  };
}
