import { writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { migratePglite } from '../../server/db/open-database.ts';
import { openPglite } from '../../server/db/pglite-transport.ts';
import { startPostgresCluster } from '../support/postgres-cluster.ts';
import { createProjectDatabase, createSupabaseRoles, migrateProject, type ProjectCluster } from '../support/supabase-project.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /**
     * The Supabase-like cluster: its superuser's connection string to the maintenance database,
     * the same for any database (DATABASE in urlTemplate), and the migrated template's name.
     */
    postgres: { adminUrl: string; urlTemplate: string; template: string } & ProjectCluster;
    /** A migrated, empty PGlite data directory dumped to a tarball: load copies, don't re-migrate. */
    pgliteTemplateFile: string;
  }
}

/**
 * Once per run: a real PostgreSQL 15 cluster set up as Supabase sets up a project (superuser
 * supabase_admin, API roles, extensions in `extensions`), with a template database migrated by
 * `postgres`; and a migrated PGlite dump. Each test file copies a template instead of migrating.
 */
export default async function setup(project: TestProject) {
  const superuser = 'supabase_admin';
  const template = 'vinyl_template';
  // The two templates are independent: build them side by side.
  const [clusterResult, pgliteResult] = await Promise.allSettled([
    (async () => {
      const cluster = await startPostgresCluster({ superuser });
      try {
        const supabase: ProjectCluster = { port: cluster.port, superuser };
        await createSupabaseRoles(supabase);
        await createProjectDatabase(supabase, template);
        await migrateProject(supabase, template);
        return cluster;
      } catch (error) {
        await cluster.stop();
        throw error;
      }
    })(),
    (async () => {
      const pglite = await openPglite();
      await migratePglite(pglite);
      const dump = await pglite.dumpDataDir('none');
      await pglite.close();
      const file = path.join(os.tmpdir(), `vinyl-pglite-template-${process.pid}.tar`);
      await writeFile(file, Buffer.from(await dump.arrayBuffer()));
      return file;
    })(),
  ]);
  if (clusterResult.status === 'rejected' || pgliteResult.status === 'rejected') {
    if (clusterResult.status === 'fulfilled') await clusterResult.value.stop();
    throw clusterResult.status === 'rejected' ? clusterResult.reason : (pgliteResult as PromiseRejectedResult).reason;
  }
  const cluster = clusterResult.value;
  const pgliteTemplateFile = pgliteResult.value;
  project.provide('postgres', {
    adminUrl: cluster.connectionString(),
    urlTemplate: cluster.connectionString('DATABASE'),
    template,
    port: cluster.port,
    superuser,
  });
  project.provide('pgliteTemplateFile', pgliteTemplateFile);
  return async () => {
    await cluster.stop();
  };
}
