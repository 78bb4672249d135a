import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { supabaseProject, type SupabaseProject } from '../support/databases.ts';
import { signJwt, type ApiKeys } from '../support/supabase-gateway.ts';

/**
 * The anon key (legacy JWT) and the publishable key are public by design: they ship in web pages.
 * With either, or as a user signed in with Supabase Auth (role authenticated), a Supabase project
 * running our migrations must give away nothing: no table (chat ids, contacts, offer codes live
 * there), no function, not even their names.
 */

interface ApiFunction {
  name: string;
  args: string[];
  is_trigger: boolean;
}

interface Caller {
  key: string;
  /** Authorization: Bearer; without it the gateway sends the key's own role. */
  bearer?: string;
  /** PostgREST answers 42501 with 401 for anon and 403 for a signed-in role. */
  refusedWith: number;
}

async function call(project: SupabaseProject, path: string, init: { key: string; method?: string; body?: unknown; bearer?: string }) {
  const headers: Record<string, string> = { apikey: init.key, 'content-type': 'application/json' };
  if (init.bearer !== undefined) headers.authorization = `Bearer ${init.bearer}`;
  const response = await fetch(`${project.api.url}/rest/v1${path}`, {
    method: init.method ?? 'GET',
    headers,
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  const text = await response.text();
  let body: any = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON: keep the text
  }
  return { status: response.status, body };
}

const callers: Array<[string, (keys: ApiKeys) => Caller]> = [
  ['the legacy anon JWT', (keys) => ({ key: keys.anon, refusedWith: 401 })],
  ['the publishable key', (keys) => ({ key: keys.publishable, refusedWith: 401 })],
  [
    'a signed-in user',
    (keys) => ({
      key: keys.publishable,
      bearer: signJwt({ role: 'authenticated', sub: '00000000-0000-4000-8000-000000000001', exp: Math.floor(Date.now() / 1000) + 3600 }, keys.jwtSecret),
      refusedWith: 403,
    }),
  ],
];

async function schemaObjects(project: SupabaseProject) {
  const tables = (await project.sql<{ name: string }>(`select tablename as name from pg_tables where schemaname = 'public' order by 1`)).map((t) => t.name);
  const functions = await project.sql<ApiFunction>(`
    select p.proname as name, p.prorettype = 'trigger'::regtype as is_trigger,
           coalesce((select array_agg(p.proargnames[i] order by i) from generate_subscripts(p.proargnames, 1) i
                      where coalesce(p.proargmodes[i]::text, 'i') in ('i', 'b', 'v')), '{}') as args
      from pg_proc p where p.pronamespace = 'public'::regnamespace order by 1`);
  return { tables, functions };
}

function expectRefusedAccess(current: () => SupabaseProject, caller: () => Caller) {
  it('lists no table and no function at GET /rest/v1/', async () => {
    const { status, body } = await call(current(), '/', caller());
    expect(status).toBe(200);
    expect(Object.keys(body.paths)).toEqual(['/']);
    expect(body.definitions ?? {}).toEqual({});
  });

  it('reads no table and writes none', async () => {
    const { tables } = await schemaObjects(current());
    expect(tables).toEqual(expect.arrayContaining(['records', 'record_participants', 'offers', 'telegram_deliveries', 'app_settings']));
    for (const table of tables) {
      const read = await call(current(), `/${table}?select=*&limit=1`, caller());
      expect({ table, status: read.status, code: read.body.code }).toEqual({ table, status: caller().refusedWith, code: '42501' });
    }
    const write = await call(current(), '/record_participants', { ...caller(), method: 'POST', body: { participant: 'x' } });
    expect(write.body.code).toBe('42501');
  });

  it('calls no function, with every argument given', async () => {
    const { functions } = await schemaObjects(current());
    const callable = functions.filter((f) => !f.is_trigger);
    expect(callable.length).toBeGreaterThan(50);
    for (const fn of callable) {
      const args = Object.fromEntries(fn.args.map((name) => [name, null]));
      const answer = await call(current(), `/rpc/${fn.name}`, { ...caller(), method: 'POST', body: args });
      // 42501, not "not found": PostgREST found the function and Postgres refused to run it.
      expect({ fn: fn.name, status: answer.status, code: answer.body.code }).toEqual({ fn: fn.name, status: caller().refusedWith, code: '42501' });
    }
    // Trigger functions cannot be called through the API at all.
    for (const fn of functions.filter((f) => f.is_trigger)) {
      const answer = await call(current(), `/rpc/${fn.name}`, { ...caller(), method: 'POST', body: {} });
      expect(answer.status).toBeGreaterThanOrEqual(400);
    }
  });
}

describe.each(callers)('a migrated Supabase project for %s', (_kind, pick) => {
  let project: SupabaseProject;
  beforeAll(async () => {
    project = await supabaseProject();
  });
  afterAll(async () => project?.close());
  expectRefusedAccess(() => project, () => pick(project.api.keys));
});

describe('a Supabase project from before 2026 (new tables granted to anon by default)', () => {
  let project: SupabaseProject;
  beforeAll(async () => {
    project = await supabaseProject({ fresh: { legacyTableGrants: true } });
    await project.api.migrate({ until: '20261121003001' });
  });
  afterAll(async () => project?.close());

  it('listed every table to anon before migration 20261201000100, with only RLS guarding the rows', async () => {
    const { body } = await call(project, '/', { key: project.api.keys.publishable });
    expect(Object.keys(body.paths)).toEqual(expect.arrayContaining(['/records', '/record_participants', '/offers']));
    expect(await call(project, '/record_participants?select=chat_id,contact', { key: project.api.keys.publishable })).toEqual({ status: 200, body: [] });
    expect(await project.api.migrate()).toContain('20261201000100');
  });

  expectRefusedAccess(() => project, () => ({ key: project.api.keys.publishable, refusedWith: 401 }));

  it('does not expose a table created later by postgres, e.g. in the SQL editor', async () => {
    await project.sql(`set role postgres; create table public.notes (id int primary key, body text); reset role`);
    await project.api.postgrest.reloadSchema(() => project.sql(`notify pgrst, 'reload schema'`));
    const read = await call(project, '/notes', { key: project.api.keys.publishable });
    expect(read.body.code).toBe('42501');
  });
});

describe('the gateway in front of PostgREST', () => {
  let project: SupabaseProject;
  beforeAll(async () => {
    project = await supabaseProject();
  });
  afterAll(async () => project?.close());

  it('answers a missing or unknown key itself: 401 without a PostgREST code', async () => {
    const missing = await fetch(`${project.api.url}/rest/v1/rpc/app_status`, { method: 'POST' });
    expect(missing.status).toBe(401);
    expect(await missing.json()).toEqual({ message: 'No API key found in request', hint: expect.any(String) });
    for (const key of ['nonsense', 'sb_secret_forged', `${project.api.keys.serviceRole}x`]) {
      const bad = await call(project, '/rpc/app_status', { key, method: 'POST', body: {} });
      expect(bad).toEqual({ status: 401, body: { message: 'Invalid API key', hint: expect.any(String) } });
    }
  });

  it('passes a forged JWT in Authorization on to PostgREST, which refuses it', async () => {
    const forged = `${project.api.keys.serviceRole.split('.').slice(0, 2).join('.')}.c2lnbmF0dXJl`;
    const answer = await call(project, '/rpc/app_status', { key: project.api.keys.publishable, method: 'POST', body: {}, bearer: forged });
    expect(answer.status).toBe(401);
    expect(answer.body.code).toMatch(/^PGRST30/);
  });

  it.each([
    ['the secret key', (keys: ApiKeys) => keys.secret],
    ['the legacy service_role JWT', (keys: ApiKeys) => keys.serviceRole],
  ])('lets %s read what the server needs, so the refusals above are about the key', async (_kind, pick) => {
    const key = pick(project.api.keys);
    const status = await call(project, '/rpc/app_status', { key, method: 'POST', body: {}, bearer: key });
    expect(status).toEqual({ status: 200, body: { schema_version: expect.any(String), records: 0 } });
    const records = await call(project, '/records?select=id&limit=1', { key, bearer: key });
    expect(records).toEqual({ status: 200, body: [] });
  });
});

describe('what the service role may do', () => {
  let project: SupabaseProject;
  beforeAll(async () => {
    project = await supabaseProject();
  });
  afterAll(async () => project?.close());

  it('reads and writes every table, only reads the migration log, and nothing more', async () => {
    const rows = await project.sql<{ table: string; privileges: string[] }>(`
      select c.relname as table,
             array(select p from unnest(array['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'TRUNCATE', 'REFERENCES', 'TRIGGER']) p
                    where has_table_privilege('service_role', c.oid, p)) as privileges
        from pg_class c where c.relnamespace = 'public'::regnamespace and c.relkind = 'r' order by 1`);
    expect(rows.length).toBeGreaterThan(10);
    for (const { table, privileges } of rows) {
      expect({ table, privileges }).toEqual({
        table,
        privileges: table === 'app_schema_versions' ? ['SELECT'] : ['SELECT', 'INSERT', 'UPDATE', 'DELETE'],
      });
    }
  });

  it('leaves anon and authenticated no privilege on a table, sequence or function, nor a default one', async () => {
    const held = await project.sql(`
      with api(oid) as (select oid from pg_roles where rolname in ('anon', 'authenticated')),
      acl as (
        select c.relname as object, (aclexplode(c.relacl)).grantee from pg_class c
         where c.relnamespace = 'public'::regnamespace and c.relacl is not null
        union all
        select p.proname, (aclexplode(p.proacl)).grantee from pg_proc p
         where p.pronamespace = 'public'::regnamespace and p.proacl is not null
        union all
        select 'default privileges of ' || d.defaclrole::regrole, (aclexplode(d.defaclacl)).grantee from pg_default_acl d
         where d.defaclnamespace = 'public'::regnamespace and d.defaclrole = 'postgres'::regrole)
      select object, grantee::regrole::text as role from acl where grantee in (select oid from api) or grantee = 0`);
    expect(held).toEqual([]);
    // Not vacuous: the sequences are there, and Supabase's default privileges for postgres too.
    expect((await project.sql(`select 1 from pg_class where relnamespace = 'public'::regnamespace and relkind = 'S'`)).length).toBeGreaterThan(0);
    expect((await project.sql(`select 1 from pg_default_acl where defaclrole = 'postgres'::regrole`)).length).toBeGreaterThan(0);
  });

  it('keeps row level security on every table, so a grant given by mistake still shows no row', async () => {
    const open = await project.sql(`select relname from pg_class where relnamespace = 'public'::regnamespace and relkind = 'r' and not relrowsecurity`);
    expect(open).toEqual([]);
  });

  it('executes every function but the one that grants and revokes', async () => {
    const refused = await project.sql<{ name: string }>(`
      select proname as name from pg_proc
       where pronamespace = 'public'::regnamespace and not has_function_privilege('service_role', oid, 'EXECUTE')`);
    expect(refused).toEqual([{ name: 'app_restrict_functions' }]);
  });
});
