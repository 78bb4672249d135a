import { readFile } from 'node:fs/promises';
import { expect, inject, test } from 'vitest';
import { createDatabase, DbError } from '../../server/db/database.ts';
import { createPgliteTransport, openPglite } from '../../server/db/pglite-transport.ts';
import { startTestApp } from '../support/test-app.ts';

const templateCopy = async () => openPglite({ template: new Blob([await readFile(inject('pgliteTemplateFile'))]) });

test('an answer without a row is an error, not null, and a live instance stays usable', async () => {
  const pg = await templateCopy();
  try {
    // A function answering no row at all: what a swallowed engine failure looks like.
    await pg.exec(`create function public.answers_nothing() returns setof jsonb language sql as 'select null::jsonb where false'`);
    const db = createDatabase(createPgliteTransport(pg));
    const broken: Error[] = [];
    db.onBroken((error) => broken.push(error));
    await expect(db.read('answers_nothing')).rejects.toMatchObject({ code: 'no_result' });
    expect(broken).toEqual([]);
    await expect(db.read('app_status')).resolves.toMatchObject({ records: 0 });
  } finally {
    await pg.close();
  }
});

test('an instance that stops answering is reported broken once, /health says 503, and no request gets a 200', async () => {
  const pg = await templateCopy();
  const db = createDatabase(createPgliteTransport(pg));
  const broken: Error[] = [];
  db.onBroken((error) => broken.push(error));
  const server = await startTestApp(db);
  try {
    expect((await server.get('/health')).status).toBe(200);
    await pg.close(); // the engine goes away under the server

    const records = await server.get('/api/records');
    expect(records.status).toBeGreaterThanOrEqual(500);
    expect(records.body).not.toBeNull();
    const health = await server.get('/health');
    expect(health.status).toBe(503);
    expect(health.body.database).toMatchObject({ reachable: false, error: 'the database did not answer (database_broken)' });
    expect(broken).toHaveLength(1);
    expect(broken[0]).toBeInstanceOf(DbError);
    expect((broken[0] as DbError).code).toBe('database_broken');
  } finally {
    await server.close();
  }
});
