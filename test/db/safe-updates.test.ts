import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pgliteDatabase, type TestDatabase } from '../support/databases.ts';
import { findUnsafeStatements } from '../support/unsafe-statements.ts';

describe('the pg-safeupdate check itself', () => {
  it.each([
    ['a bare UPDATE', 'begin update t set x = 1; end', ['update']],
    ['a bare DELETE', 'delete from t', ['delete']],
    ['an UPDATE in a CTE', 'with gone as (delete from t returning id) select count(*) from gone', ['delete']],
    ['a WHERE only inside a subquery', 'update t set x = (select max(y) from u where u.id = 1);', ['update']],
    ['a WHERE only in the loop body', 'for r in update t set x = 1 returning * loop update u set y = 1 where id = r.id; end loop;', ['update']],
    ['dynamic SQL', "execute format($q$update t set x = %s$q$, 1);", ['update']],
    ['a second statement without WHERE', 'update t set x = 1 where id = 2; delete from u;', ['delete']],
  ])('finds %s', (_what, body, kinds) => {
    expect(findUnsafeStatements(body).map((s) => s.kind)).toEqual(kinds);
  });

  it.each([
    ['UPDATE and DELETE with WHERE', 'update t set x = 1 where id = 1; delete from t where id = 2;'],
    ['a CTE with WHERE', 'with g as (update t set x = 1 where id = 1 returning 1) select exists (select 1 from g)'],
    ['UPDATE ... FROM ... WHERE', 'update t set x = u.x from u where u.id = t.id'],
    ['row locks', 'select * from t where id = 1 for update; select 1 from t for no key update skip locked;'],
    ['an upsert', 'insert into t (id, x) values (1, 2) on conflict (id) do update set x = excluded.x;'],
    ['words in strings and comments', "-- delete all rows\nraise notice 'update everything'; /* delete */ select 'it''s delete'"],
    ['column names', 'select updated_at, status_before_delete from t'],
    ['a privilege list', 'grant select, insert, update, delete on t to r'],
    ['a loop over a WHERE-bound UPDATE', 'for r in update t set x = 1 where y returning * loop perform 1; end loop;'],
  ])('accepts %s', (_what, body) => {
    expect(findUnsafeStatements(body)).toEqual([]);
  });
});

describe('every function of the migrated schema under pg-safeupdate', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await pgliteDatabase();
  });
  afterAll(async () => database?.close());

  it('has a WHERE on every UPDATE and DELETE, so Supabase API sessions can run them', async () => {
    const functions = await database.sql<{ name: string; body: string }>(`
      select p.oid::regprocedure::text as name, p.prosrc as body
        from pg_proc p join pg_language l on l.oid = p.prolang
       where p.pronamespace = 'public'::regnamespace and l.lanname in ('sql', 'plpgsql')`);
    // Not vacuous: the schema's functions are there, and they do update and delete.
    expect(functions.length).toBeGreaterThan(50);
    expect(functions.filter((f) => /\bupdate\b/i.test(f.body)).length).toBeGreaterThan(20);
    const unsafe = functions.flatMap((f) => findUnsafeStatements(f.body).map((s) => `${f.name}: ${s.text}`));
    expect(unsafe).toEqual([]);
  });
});
