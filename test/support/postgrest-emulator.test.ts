import { createClient, type SupabaseClient } from '@supabase/supabase-js';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPostgresCluster, type PostgresCluster } from './postgres-cluster.ts';
import { startPostgrestEmulator, type PostgrestEmulator } from './postgrest-emulator.ts';

const KEY = 'test-service-role-key';
// supabase-js 2.109 throws in createClient() on Node 20 (no global WebSocket) unless given a realtime
// transport. rpc() never opens a socket, so a stub that fails loudly if it ever is used is enough.
const NoWebSocket = function () {
  throw new Error('realtime is not available in these tests');
};
const clientOptions = { auth: { persistSession: false, autoRefreshToken: false }, realtime: { transport: NoWebSocket as never } };

const SCHEMA = `
  CREATE TABLE records (id serial PRIMARY KEY, title text NOT NULL UNIQUE, artist text NOT NULL, price numeric(8,2) NOT NULL);
  INSERT INTO records (title, artist, price) VALUES ('Kind of Blue', 'Miles Davis', 30), ('Bitches Brew', 'Miles Davis', 35.5),
    ('A Love Supreme', 'John Coltrane', 28);

  CREATE FUNCTION record_summary(p_id int) RETURNS jsonb LANGUAGE sql AS
    $$ SELECT jsonb_build_object('title', title, 'price', price) FROM records WHERE id = p_id $$;
  CREATE FUNCTION records_by_artist(p_artist text) RETURNS TABLE (id int, title text, price numeric) LANGUAGE sql AS
    $$ SELECT id, title, price FROM records WHERE artist = p_artist ORDER BY id $$;
  CREATE FUNCTION greet(name text, greeting text DEFAULT 'Hello') RETURNS text LANGUAGE sql AS
    $$ SELECT greeting || ', ' || name $$;
  CREATE FUNCTION echo_types(p_id uuid, p_at timestamptz, p_tags text[], p_meta jsonb) RETURNS jsonb LANGUAGE sql AS
    $$ SELECT jsonb_build_object('id', p_id, 'year', extract(year FROM p_at AT TIME ZONE 'UTC')::int, 'tags', p_tags, 'meta', p_meta) $$;
  CREATE FUNCTION add_record(p_title text, p_artist text, p_price numeric) RETURNS int LANGUAGE sql AS
    $$ INSERT INTO records (title, artist, price) VALUES (p_title, p_artist, p_price) RETURNING id $$;
  CREATE FUNCTION touch() RETURNS void LANGUAGE sql AS $$ SELECT $$;
  CREATE FUNCTION reserve(p_id int) RETURNS void LANGUAGE plpgsql AS $$ BEGIN
    RAISE EXCEPTION 'Record % is sold out', p_id USING ERRCODE = 'P0001', DETAIL = 'stock is 0', HINT = 'Try another pressing';
  END $$;
  CREATE FUNCTION pay() RETURNS void LANGUAGE plpgsql AS $$ BEGIN
    RAISE SQLSTATE 'PT402' USING MESSAGE = 'Payment Required', HINT = 'Top up first';
  END $$;
  CREATE FUNCTION twin(a int) RETURNS int LANGUAGE sql AS $$ SELECT a $$;
  CREATE FUNCTION twin(a text) RETURNS text LANGUAGE sql AS $$ SELECT a $$;
`;

let cluster: PostgresCluster;
let emulator: PostgrestEmulator;
let supabase: SupabaseClient;

beforeAll(async () => {
  cluster = await startPostgresCluster();
  // Build a template and copy it, the way the test suite gets migrated databases.
  await cluster.createDatabase('template_app');
  const client = new pg.Client({ connectionString: cluster.connectionString('template_app') });
  await client.connect();
  await client.query(SCHEMA);
  await client.end();
  await cluster.createDatabase('app', 'template_app');
  emulator = await startPostgrestEmulator({ connectionString: cluster.connectionString('app'), serviceRoleKey: KEY });
  supabase = createClient(emulator.url, KEY, clientOptions);
}, 60_000);

afterAll(async () => {
  await emulator?.close();
  await cluster?.stop();
});

describe('postgrest emulator via supabase-js rpc()', () => {
  it('returns a scalar jsonb result as the JSON value itself', async () => {
    const { data, error, status } = await supabase.rpc('record_summary', { p_id: 1 });
    expect({ data, error, status }).toEqual({ data: { title: 'Kind of Blue', price: 30 }, error: null, status: 200 });
  });

  it('returns RETURNS TABLE results as an array of row objects, empty array when no rows', async () => {
    const { data } = await supabase.rpc('records_by_artist', { p_artist: 'Miles Davis' });
    expect(data).toEqual([{ id: 1, title: 'Kind of Blue', price: 30 }, { id: 2, title: 'Bitches Brew', price: 35.5 }]);
    expect((await supabase.rpc('records_by_artist', { p_artist: 'Nobody' })).data).toEqual([]);
  });

  it('lets arguments with defaults be omitted or overridden', async () => {
    expect((await supabase.rpc('greet', { name: 'Ann' })).data).toBe('Hello, Ann');
    expect((await supabase.rpc('greet', { name: 'Ann', greeting: 'Hi' })).data).toBe('Hi, Ann');
  });

  it('converts JSON arguments to uuid, timestamptz, text[] and jsonb', async () => {
    const id = '1b4e28ba-2fa1-11d2-883f-0016d3cca427';
    const args = { p_id: id, p_at: '1959-08-17T12:00:00Z', p_tags: ['jazz', 'modal'], p_meta: { mono: true } };
    const { data } = await supabase.rpc('echo_types', args);
    expect(data).toEqual({ id, year: 1959, tags: ['jazz', 'modal'], meta: { mono: true } });
  });

  it('answers void functions with 204 and no data', async () => {
    const { data, error, status } = await supabase.rpc('touch');
    expect({ data, error, status }).toEqual({ data: null, error: null, status: 204 });
  });

  it('passes named arguments from the query string on GET', async () => {
    const { data, status } = await supabase.rpc('greet', { name: 'Bo' }, { get: true });
    expect({ data, status }).toEqual({ data: 'Hello, Bo', status: 200 });
  });

  it('unwraps exactly one row with .single() and answers 406 PGRST116 otherwise', async () => {
    const one = await supabase.rpc('records_by_artist', { p_artist: 'John Coltrane' }).single();
    expect(one.data).toEqual({ id: 3, title: 'A Love Supreme', price: 28 });
    const two = await supabase.rpc('records_by_artist', { p_artist: 'Miles Davis' }).single();
    expect({ status: two.status, code: two.error?.code, details: two.error?.details }).toEqual({ status: 406, code: 'PGRST116', details: 'The result contains 2 rows' });
  });

  it('refuses result filters and modifiers it does not implement instead of ignoring them', async () => {
    const { error, status } = await supabase.rpc('records_by_artist', { p_artist: 'Miles Davis' }).eq('id', 1);
    expect({ status, code: error?.code }).toEqual({ status: 400, code: 'PGRST127' });
  });

  it('maps RAISE EXCEPTION (P0001) to 400 with message, details and hint', async () => {
    const { data, error, status } = await supabase.rpc('reserve', { p_id: 7 });
    expect({ data, status }).toEqual({ data: null, status: 400 });
    expect(error).toMatchObject({ code: 'P0001', message: 'Record 7 is sold out', details: 'stock is 0', hint: 'Try another pressing' });
  });

  it('maps unique_violation to 409 with the SQLSTATE as code', async () => {
    const { error, status } = await supabase.rpc('add_record', { p_title: 'Kind of Blue', p_artist: 'x', p_price: 1 });
    expect({ status, code: error?.code }).toEqual({ status: 409, code: '23505' });
    expect(error?.message).toMatch(/duplicate key value violates unique constraint/);
  });

  it('uses PTxyz SQLSTATEs as the HTTP status', async () => {
    const { error, status } = await supabase.rpc('pay');
    expect(status).toBe(402);
    expect(error).toMatchObject({ code: 'PT402', message: 'Payment Required', hint: 'Top up first' });
  });

  it('rejects a wrong key with 401 PGRST301', async () => {
    const intruder = createClient(emulator.url, 'wrong-key', clientOptions);
    const { error, status } = await intruder.rpc('greet', { name: 'x' });
    expect({ status, code: error?.code }).toEqual({ status: 401, code: 'PGRST301' });
  });

  it('reports unknown functions and unknown argument sets as 404 PGRST202', async () => {
    const unknown = await supabase.rpc('no_such_fn', { a: 1, b: 2 });
    expect(unknown.status).toBe(404);
    expect(unknown.error).toMatchObject({ code: 'PGRST202', message: 'Could not find the function public.no_such_fn(a, b) in the schema cache' });
    const badArgs = await supabase.rpc('greet', { nom: 'x' });
    expect(badArgs.error).toMatchObject({ code: 'PGRST202', hint: 'Perhaps you meant to call the function public.greet(greeting, name)' });
  });

  it('reports overloads it cannot tell apart as 300 PGRST203', async () => {
    const { error, status } = await supabase.rpc('twin', { a: 1 });
    expect({ status, code: error?.code }).toEqual({ status: 300, code: 'PGRST203' });
  });

  it('re-reads changed function signatures after NOTIFY pgrst, like PostgREST', async () => {
    const db = new pg.Client({ connectionString: cluster.connectionString('app') });
    await db.connect();
    await db.query(`CREATE FUNCTION late_arrival(n int) RETURNS int LANGUAGE sql AS $$ SELECT n * 2 $$`);
    expect((await supabase.rpc('late_arrival', { n: 21 })).data).toBe(42);
    await db.query(`DROP FUNCTION late_arrival(int); CREATE FUNCTION late_arrival(n int) RETURNS SETOF int LANGUAGE sql AS $$ SELECT n $$;
      NOTIFY pgrst, 'reload schema'`);
    await db.end();
    await expect.poll(async () => (await supabase.rpc('late_arrival', { n: 7 })).data).toEqual([7]);
  });

  it('rejects a malformed JSON body with 400 PGRST102', async () => {
    const res = await fetch(`${emulator.url}/rest/v1/rpc/greet`, {
      method: 'POST', body: '{"name": ', headers: { apikey: KEY, Authorization: `Bearer ${KEY}`, 'Content-Type': 'application/json' },
    });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(await res.json()).toMatchObject({ code: 'PGRST102' });
  });

  it('serves 50 concurrent calls, including failing ones, without interference', async () => {
    const before = emulator.requests;
    const results = await Promise.all(Array.from({ length: 50 }, (_, i) =>
      i % 10 === 0 ? supabase.rpc('reserve', { p_id: i }) : supabase.rpc('greet', { name: `n${i}` })));
    results.forEach((r, i) => {
      if (i % 10 === 0) expect(r.error?.code).toBe('P0001');
      else expect(r).toMatchObject({ error: null, data: `Hello, n${i}` });
    });
    expect(emulator.requests - before).toBe(50);
  });
});
