// A local stand-in for Supabase's REST gateway + PostgREST, limited to what
// `supabase.rpc()` needs, in front of a real PostgreSQL. Behaviour follows
// https://docs.postgrest.org/en/stable/references/api/functions.html and
// https://docs.postgrest.org/en/stable/references/errors.html (and PostgREST's
// src/PostgREST/Error.hs where the docs are silent).
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import pg from 'pg';

export interface PostgrestEmulatorOptions {
  connectionString: string;
  /** The only key accepted, both as `apikey` header and as `Authorization: Bearer`. */
  serviceRoleKey: string;
  /** Exposed schema; default `public`. */
  schema?: string;
}

export interface PostgrestEmulator {
  /** Base URL to use as SUPABASE_URL, e.g. http://127.0.0.1:PORT */
  url: string;
  /** Number of HTTP requests received so far (including rejected ones). */
  requests: number;
  close(): Promise<void>;
}

interface ErrorBody {
  code: string;
  message: string;
  details: string | null;
  hint: string | null;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: ErrorBody,
    readonly headers: Record<string, string> = {},
    readonly statusText?: string,
  ) {
    super(body.message);
  }
}

const pgrstError = (status: number, code: string, message: string, details: string | null = null, hint: string | null = null, headers?: Record<string, string>) =>
  new HttpError(status, { code, message, details, hint }, headers);

interface Param {
  name: string;
  type: string;
  mode: string; // pg_proc.proargmodes letter: i, o, b (inout), v (variadic), t (table column)
}

interface Routine {
  schema: string;
  name: string;
  inputs: Array<Param & { hasDefault: boolean }>;
  outputs: Param[];
  retset: boolean;
  returnsVoid: boolean;
  returnsComposite: boolean;
}

interface Plan {
  sql: string;
  returnsVoid: boolean;
  returnsArray: boolean;
  /** Only the single-unnamed-json fallback passes the whole body instead of named args. */
  wholeBody: boolean;
}

const ident = (name: string) => `"${name.replace(/"/g, '""')}"`;
const literal = (text: string) => `'${text.replace(/'/g, "''")}'`;

// bpchar without a length means char(1) in a column definition; PostgREST keeps it unbounded.
const CATALOG_SQL = `
  SELECT p.proretset AS retset, p.pronargdefaults AS ndefaults,
         p.prorettype = 'void'::regtype AS returns_void, rt.typtype = 'c' AS returns_composite,
         COALESCE((
           SELECT json_agg(json_build_object(
                    'name', COALESCE(a.name, ''), 'mode', COALESCE(a.mode, 'i'),
                    'type', CASE a.type WHEN 'bpchar'::regtype THEN 'bpchar'
                                        WHEN '_bpchar'::regtype THEN 'bpchar[]'
                                        ELSE format_type(a.type, NULL) END)
                  ORDER BY a.ord)
             FROM unnest(COALESCE(p.proallargtypes, p.proargtypes::oid[]), p.proargnames, p.proargmodes::text[])
                  WITH ORDINALITY AS a(type, name, mode, ord)
         ), '[]') AS args
    FROM pg_proc p
    JOIN pg_namespace n ON n.oid = p.pronamespace
    JOIN pg_type rt ON rt.oid = p.prorettype
   WHERE n.nspname = $1 AND p.proname = $2 AND p.prokind = 'f'`;

interface CatalogRow {
  retset: boolean;
  ndefaults: number;
  returns_void: boolean;
  returns_composite: boolean;
  args: Param[];
}

function toRoutine(schema: string, name: string, row: CatalogRow): Routine {
  const inputs = row.args.filter((a) => 'ibv'.includes(a.mode));
  return {
    schema,
    name,
    inputs: inputs.map((a, i) => ({ ...a, hasDefault: i >= inputs.length - row.ndefaults })),
    outputs: row.args.filter((a) => 'obt'.includes(a.mode)),
    retset: row.retset,
    returnsVoid: row.returns_void,
    returnsComposite: row.returns_composite,
  };
}

// PostgREST's rule: every required parameter is given, and nothing else but optional ones.
function matches(routine: Routine, keys: string[]): boolean {
  const names = new Set(routine.inputs.map((p) => p.name));
  return keys.every((k) => names.has(k)) && routine.inputs.every((p) => p.hasDefault || keys.includes(p.name));
}

const isSingleUnnamedJson = (r: Routine) =>
  r.inputs.length === 1 && r.inputs[0]!.name === '' && ['json', 'jsonb'].includes(r.inputs[0]!.type);

function buildPlan(routine: Routine, keys: string[], wholeBody: boolean): Plan {
  const byName = new Map(routine.inputs.map((p) => [p.name, p]));
  const fn = `${ident(routine.schema)}.${ident(routine.name)}`;
  let call: string;
  let source = ''; // FROM items that produce the typed arguments (one row)
  if (wholeBody) {
    call = `${fn}($1::${routine.inputs[0]!.type})`;
  } else {
    const args = keys.map((k) => `${byName.get(k)!.mode === 'v' ? 'VARIADIC ' : ''}${ident(k)} => _args.${ident(k)}`);
    call = `${fn}(${args.join(', ')})`;
    if (keys.length > 0) {
      const columns = keys.map((k) => `${ident(k)} ${byName.get(k)!.type}`).join(', ');
      source = `jsonb_to_record($1::jsonb) AS _args(${columns})`;
    }
  }
  const fromSource = source ? ` FROM ${source}` : '';
  const plan = (sql: string, returnsArray: boolean): Plan => ({ sql, returnsVoid: routine.returnsVoid, returnsArray, wholeBody });

  if (routine.returnsVoid) return plan(`SELECT ${call}${fromSource}`, false);
  if (routine.outputs.length === 0 && !routine.returnsComposite) {
    // Scalar (including json/jsonb and `setof record`): call in the select list.
    return routine.retset
      ? plan(`SELECT COALESCE(json_agg(_v), '[]')::text AS body FROM (SELECT ${call} AS _v${fromSource}) _s`, true)
      : plan(`SELECT to_json(${call})::text AS body${fromSource}`, false);
  }
  // Row-shaped results: composite types, OUT params, RETURNS TABLE. A single OUT/TABLE column makes
  // the function return a plain scalar, which PostgREST still renders as {"column": value}.
  const single = routine.outputs.length === 1 && !routine.returnsComposite ? routine.outputs[0]!.name : null;
  const row = single === null ? '_r' : `json_build_object(${literal(single)}, _r._v)`;
  const from = `${source ? `${source} CROSS JOIN LATERAL ` : ''}${call} AS _r${single === null ? '' : '(_v)'}`;
  return routine.retset
    ? plan(`SELECT COALESCE(json_agg(${row}), '[]')::text AS body FROM ${from}`, true)
    : plan(`SELECT to_json(${row})::text AS body FROM ${from}`, false);
}

// SQLSTATE -> HTTP status, transcribed from PostgREST's mapSQLtoHTTP (authenticated requests only:
// the emulator has no anonymous role, so 42501 is always 403).
function statusForSqlState(code: string, message: string): number {
  if (code === '23503' || code === '23505') return 409;
  if (code === '25006') return 405;
  if (code === '21000') return message.endsWith('requires a WHERE clause') ? 400 : 500;
  if (code === '22023') return message.startsWith('role') && message.endsWith('does not exist') ? 401 : 400;
  if (code === '53400') return 500;
  if (code === '57P01') return 503;
  if (code === 'P0001') return 400;
  if (code === '42883') return message.startsWith('function xmlagg(') ? 406 : 404;
  if (code === '42P01') return 404;
  if (code === '42P17') return 500;
  if (code === '42501') return 403;
  if (code.startsWith('PT')) {
    const status = Number(code.slice(2));
    return Number.isInteger(status) && status >= 100 && status <= 599 ? status : 500;
  }
  const byClass: Record<string, number> = {
    '08': 503, '09': 500, '0L': 403, '0P': 403, '25': 500, '28': 403, '2D': 500, '38': 500, '39': 500,
    '3B': 500, '40': 500, '53': 503, '54': 500, '55': 500, '57': 500, '58': 500, F0: 500, HV: 500, P0: 500, XX: 500,
  };
  return byClass[code.slice(0, 2)] ?? 400;
}

function fromDatabaseError(err: unknown): HttpError {
  if (err instanceof HttpError) return err;
  const e = err as Partial<pg.DatabaseError> & { message?: string };
  const code = typeof e.code === 'string' && /^[0-9A-Z]{5}$/.test(e.code) ? e.code : undefined;
  const message = e.message ?? String(err);
  if (code === undefined) {
    // Not a server error: the connection could not be made or was lost.
    if (/timeout exceeded when trying to connect/.test(message)) {
      return pgrstError(504, 'PGRST003', 'Timed out acquiring connection from connection pool.');
    }
    if (typeof e.code === 'string' || /connect|Connection terminated|socket/i.test(message)) {
      return pgrstError(503, 'PGRST000', 'Database connection error. Retrying the connection.', message);
    }
    return pgrstError(500, 'PGRSTX00', 'Internal error in the PostgREST emulator', message);
  }
  if (code === 'PGRST') return fromRaisePgrst(message, e.detail);
  const status = statusForSqlState(code, message);
  // PostgREST uses the RAISE message as the reason phrase of PTxyz statuses.
  const statusText = code.startsWith('PT') && /^[\x20-\x7e]+$/.test(message) ? message : undefined;
  return new HttpError(status, { code, message, details: e.detail ?? null, hint: e.hint ?? null }, {}, statusText);
}

// RAISE SQLSTATE 'PGRST' USING message = '{"code":..,"message":..}', detail = '{"status":..,"headers":{..}}'
function fromRaisePgrst(message: string, detail: string | undefined): HttpError {
  const parse = (text: string | undefined) => {
    try {
      const value: unknown = text === undefined ? undefined : JSON.parse(text);
      return value !== null && typeof value === 'object' ? (value as Record<string, unknown>) : undefined;
    } catch {
      return undefined;
    }
  };
  const msg = parse(message);
  const det = parse(detail);
  const parseError = (details: string, hint: string) =>
    pgrstError(500, 'PGRST121', 'Could not parse JSON in the "RAISE SQLSTATE \'PGRST\'" error', details, hint);
  if (!msg || typeof msg.code !== 'string' || typeof msg.message !== 'string') {
    return parseError(`Invalid JSON value for MESSAGE: '${message}'`, "MESSAGE must be a JSON object with obligatory keys: 'code', 'message' and optional keys: 'details', 'hint'.");
  }
  if (!det || typeof det.status !== 'number' || typeof det.headers !== 'object' || det.headers === null) {
    return parseError(detail === undefined ? 'DETAIL is missing in the RAISE statement' : `Invalid JSON value for DETAIL: '${detail}'`, "DETAIL must be a JSON object with obligatory keys: 'status', 'headers' and optional key: 'status_text'.");
  }
  const str = (v: unknown) => (typeof v === 'string' ? v : null);
  const headers = Object.fromEntries(Object.entries(det.headers).map(([k, v]) => [k, String(v)]));
  return new HttpError(det.status, { code: msg.code, message: msg.message, details: str(msg.details), hint: str(msg.hint) }, headers, str(det.status_text) ?? undefined);
}

function send(res: http.ServerResponse, status: number, body: string | null, headers: Record<string, string> = {}, statusText?: string) {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const base: Record<string, string | number> =
    body === null ? {} : { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(body) };
  try {
    if (statusText) res.writeHead(status, statusText, { ...headers, ...base });
    else res.writeHead(status, { ...headers, ...base });
  } catch {
    // A header or reason phrase from RAISE 'PGRST' that Node rejects must not take the server down.
    res.writeHead(status, base);
  }
  res.end(body ?? undefined);
}

function sendError(res: http.ServerResponse, err: HttpError) {
  send(res, err.status, JSON.stringify(err.body), { 'Proxy-Status': `PostgREST; error=${err.body.code}`, ...err.headers }, err.statusText);
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

// Supabase's gateway checks `apikey`; PostgREST then checks the bearer token (a JWT in real life).
function checkAuth(req: http.IncomingMessage, key: string) {
  const apikey = req.headers.apikey;
  if (apikey === undefined) {
    throw pgrstError(401, 'PGRST301', 'No API key found in request', null, 'No `apikey` request header or url param was found.');
  }
  if (apikey !== key) {
    throw pgrstError(401, 'PGRST301', 'Invalid API key', null, 'Double check your Supabase `anon` or `service_role` API key.');
  }
  const auth = req.headers.authorization;
  if (auth === undefined) {
    // The emulator has no anonymous role, like PostgREST with db-anon-role unset.
    throw pgrstError(401, 'PGRST302', 'Anonymous access is disabled', null, null, { 'WWW-Authenticate': 'Bearer' });
  }
  const token = /^Bearer\s+(.*)$/i.exec(auth)?.[1]?.trim() ?? '';
  if (token !== key) {
    const message = token === '' ? 'Empty JWT is sent in Authorization header' : 'JWT cryptographic operation failed';
    throw pgrstError(401, 'PGRST301', message, 'The emulator accepts only the service role key as bearer token.', null, {
      'WWW-Authenticate': `Bearer error="invalid_token", error_description=${JSON.stringify(message)}`,
    });
  }
}

// Query parameters that PostgREST would treat as shaping/filtering, which the emulator does not implement.
const RESERVED_PARAMS = new Set(['select', 'order', 'limit', 'offset', 'columns', 'on_conflict', 'and', 'or']);

function notImplemented(what: string): HttpError {
  return pgrstError(400, 'PGRST127', 'Feature not implemented', `The PostgREST emulator does not support ${what}.`);
}

export async function startPostgrestEmulator(opts: PostgrestEmulatorOptions): Promise<PostgrestEmulator> {
  const schema = opts.schema ?? 'public';
  const pool = new pg.Pool({ connectionString: opts.connectionString, max: 50, connectionTimeoutMillis: 10_000 });
  // An idle client losing its connection (e.g. the cluster stopped first) must not crash the process.
  pool.on('error', () => {});

  // Positive resolutions only: a function created after a 404 must become callable without a restart.
  const plans = new Map<string, Promise<Plan>>();
  // Like PostgREST, `NOTIFY pgrst, 'reload schema'` drops the cache (needed after changing a
  // function's arguments or return type while the emulator runs).
  const listener = new pg.Client({ connectionString: opts.connectionString });
  listener.on('error', () => {});
  listener.on('notification', (n) => {
    if (n.channel === 'pgrst' && ['', 'reload schema'].includes(n.payload ?? '')) plans.clear();
  });
  try {
    await listener.connect();
    await listener.query('LISTEN pgrst');
  } catch (err) {
    await Promise.all([pool.end(), listener.end().catch(() => {})]);
    throw new Error(`PostgREST emulator cannot reach the database: ${(err as Error).message}`, { cause: err });
  }

  async function resolve(name: string, keys: string[], isPost: boolean): Promise<Plan> {
    const { rows } = await pool.query<CatalogRow>(CATALOG_SQL, [schema, name]);
    const routines = rows.map((r) => toRoutine(schema, name, r));
    const found = routines.filter((r) => matches(r, keys));
    if (found.length === 1) return buildPlan(found[0]!, keys, false);
    if (found.length > 1) {
      const sig = (r: Routine) => `${schema}.${name}(${r.inputs.map((p) => `${p.name} => ${p.type}`).join(', ')})`;
      throw pgrstError(300, 'PGRST203', `Could not choose the best candidate function between: ${found.map(sig).join(', ')}`, null,
        'Try renaming the parameters or the function itself in the database so function overloading can be resolved');
    }
    const fallback = isPost ? routines.filter(isSingleUnnamedJson) : [];
    if (fallback.length === 1) return buildPlan(fallback[0]!, keys, true);
    const params = keys.length === 0 ? ' without parameters' : `(${keys.join(', ')})`;
    const searched = keys.length === 0 ? ' without parameters' : ` with parameter${keys.length > 1 ? 's' : ''} ${keys.join(', ')}`;
    const overload = routines[0];
    throw pgrstError(404, 'PGRST202', `Could not find the function ${schema}.${name}${params} in the schema cache`,
      `Searched for the function ${schema}.${name}${searched}${isPost ? ' or with a single unnamed json/jsonb parameter' : ''}, but no matches were found in the schema cache.`,
      overload ? `Perhaps you meant to call the function ${schema}.${name}(${overload.inputs.map((p) => p.name).sort().join(', ')})` : null);
  }

  function planFor(name: string, keys: string[], isPost: boolean): Promise<Plan> {
    const cacheKey = JSON.stringify([name, keys, isPost]);
    let plan = plans.get(cacheKey);
    if (!plan) {
      plan = resolve(name, keys, isPost);
      plans.set(cacheKey, plan);
      plan.catch(() => plans.delete(cacheKey));
    }
    return plan;
  }

  async function execute(plan: Plan, params: unknown[], readOnly: boolean, singular: boolean): Promise<string | null> {
    // GET runs read-only like PostgREST; a singular request that does not yield one row is rolled back.
    if (!readOnly && !singular) return (await pool.query<{ body: string | null }>(plan.sql, params)).rows[0]?.body ?? null;
    const client = await pool.connect();
    let healthy = true;
    try {
      await client.query(readOnly ? 'BEGIN READ ONLY' : 'BEGIN');
      const body = (await client.query<{ body: string | null }>(plan.sql, params)).rows[0]?.body ?? null;
      if (singular && plan.returnsArray) {
        const rows = JSON.parse(body ?? '[]') as unknown[];
        if (rows.length !== 1) {
          await client.query('ROLLBACK');
          throw pgrstError(406, 'PGRST116', 'Cannot coerce the result to a single JSON object', `The result contains ${rows.length} rows`);
        }
        await client.query('COMMIT');
        return JSON.stringify(rows[0]);
      }
      await client.query('COMMIT');
      return body;
    } catch (err) {
      if (!(err instanceof HttpError)) await client.query('ROLLBACK').catch(() => (healthy = false));
      throw err;
    } finally {
      client.release(!healthy);
    }
  }

  async function handle(req: http.IncomingMessage, res: http.ServerResponse) {
    const raw = await readBody(req);
    checkAuth(req, opts.serviceRoleKey);
    const url = new URL(req.url ?? '/', 'http://emulator');
    const route = /^\/rest\/v1\/rpc\/([^/]+)\/?$/.exec(url.pathname);
    if (!route) throw pgrstError(404, 'PGRST125', 'Invalid path specified in request URL', 'The PostgREST emulator only serves /rest/v1/rpc/<function>.');
    const name = decodeURIComponent(route[1]!);
    const method = req.method ?? 'GET';
    if (!['GET', 'HEAD', 'POST'].includes(method)) throw pgrstError(405, 'PGRST101', `Cannot use the ${method} method on RPC`);
    const isPost = method === 'POST';

    const profile = req.headers[isPost ? 'content-profile' : 'accept-profile'];
    if (typeof profile === 'string' && profile !== schema) {
      throw pgrstError(406, 'PGRST106', `Invalid schema: ${profile}`, null, `Only the following schemas are exposed: ${schema}`);
    }
    const accept = req.headers.accept ?? '*/*';
    const singular = accept.includes('application/vnd.pgrst.object+json');
    if (!singular && !/(^|[\s,])(\*\/\*|application\/\*|application\/json|application\/vnd\.pgrst\.array\+json)/.test(accept)) {
      throw pgrstError(406, 'PGRST107', `None of these media types are available: ${accept}`);
    }

    let args: Record<string, unknown> = {};
    for (const [key, value] of url.searchParams) {
      if (RESERVED_PARAMS.has(key)) {
        if (key === 'select' && value === '*') continue;
        throw notImplemented(`the '${key}' query parameter on RPC`);
      }
      if (isPost) throw notImplemented(`filters on RPC results ('${key}')`);
      // A repeated parameter is how PostgREST passes arrays/variadic arguments over GET.
      const prev = args[key];
      args[key] = prev === undefined ? value : Array.isArray(prev) ? [...prev, value] : [prev, value];
    }
    if (isPost && raw.trim() !== '') {
      let parsed: unknown;
      try {
        parsed = JSON.parse(raw);
      } catch (err) {
        throw pgrstError(400, 'PGRST102', 'Empty or invalid json', (err as Error).message);
      }
      if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
        throw pgrstError(400, 'PGRST102', 'Empty or invalid json', 'The body of an RPC call must be a JSON object of named arguments.');
      }
      args = parsed as Record<string, unknown>;
    }

    const keys = Object.keys(args).sort();
    let plan = await planFor(name, keys, isPost);
    const run = (p: Plan) => execute(p, p.wholeBody || keys.length > 0 ? [JSON.stringify(args)] : [], !isPost, singular);
    let body: string | null;
    try {
      body = await run(plan);
    } catch (err) {
      // 42883: the function was dropped or replaced since it was cached; resolve once more.
      if ((err as { code?: string }).code !== '42883') throw err;
      plans.delete(JSON.stringify([name, keys, isPost]));
      plan = await planFor(name, keys, isPost);
      body = await run(plan);
    }
    // Since PostgREST 10, void functions answer 204 without body or Content-Type.
    if (plan.returnsVoid) send(res, 204, null);
    else send(res, 200, body ?? 'null');
  }

  const server = http.createServer((req, res) => {
    emulator.requests++;
    req.on('error', () => {});
    res.on('error', () => {});
    handle(req, res).catch((err: unknown) => {
      try {
        sendError(res, fromDatabaseError(err));
      } catch {
        res.destroy();
      }
    });
  });
  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolveListen());
  });
  const { port } = server.address() as AddressInfo;

  let closing: Promise<void> | undefined;
  const emulator: PostgrestEmulator = {
    url: `http://127.0.0.1:${port}`,
    requests: 0,
    close: () =>
      (closing ??= (async () => {
        await new Promise<void>((done) => {
          server.close(() => done());
          // Keep-alive sockets from fetch would otherwise hold close() open.
          server.closeAllConnections();
        });
        await Promise.all([pool.end(), listener.end().catch(() => {})]);
      })()),
  };
  return emulator;
}
