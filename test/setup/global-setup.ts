import { writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { migratePglite } from '../../server/db/open-database.ts';
import { openPglite } from '../../server/db/pglite-transport.ts';
import { migratePostgres } from '../support/databases.ts';
import { startPostgresCluster } from '../support/postgres-cluster.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Connection string of the cluster's maintenance database and the migrated template's name. */
    postgres: { adminUrl: string; urlTemplate: string; template: string };
    /** A migrated, empty PGlite data directory dumped to a tarball: load copies, don't re-migrate. */
    pgliteTemplateFile: string;
  }
}

/**
 * Once per run: a real PostgreSQL 15 cluster with a migrated template database, and a migrated
 * PGlite dump. Each test file copies a template instead of creating and migrating from scratch.
 */
export default async function setup(project: TestProject) {
  const cluster = await startPostgresCluster();
  const template = 'vinyl_template';
  await cluster.createDatabase(template);
  const client = new pg.Client({ connectionString: cluster.connectionString(template) });
  await client.connect();
  await migratePostgres(client);
  await client.end();

  const pglite = await openPglite();
  await migratePglite(pglite);
  const dump = await pglite.dumpDataDir('none');
  await pglite.close();
  const pgliteTemplateFile = path.join(os.tmpdir(), `vinyl-pglite-template-${process.pid}.tar`);
  await writeFile(pgliteTemplateFile, Buffer.from(await dump.arrayBuffer()));

  project.provide('postgres', {
    adminUrl: cluster.connectionString(),
    urlTemplate: cluster.connectionString('DATABASE'),
    template,
  });
  project.provide('pgliteTemplateFile', pgliteTemplateFile);
  return async () => {
    await cluster.stop();
  };
}
