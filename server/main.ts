import type { Server } from 'node:http';
import { createCatalogRepository } from './catalog/catalog-repository.ts';
import { seedDemoCatalog } from './catalog/seed-demo-catalog.ts';
import { ConfigError, integrationStatus, parseConfig } from './config.ts';
import { DataDirLockedError } from './db/data-dir-lock.ts';
import { MigrationHistoryError } from './db/migrations.ts';
import { openDatabase } from './db/open-database.ts';
import { createServer } from './create-server.ts';
import { drainHttpServer } from './http/drain-http-server.ts';
import { createLogger } from './logger.ts';

/** The server's only startup file: reads the environment, wires everything, listens, shuts down. */
async function main() {
  const startedAt = Date.now();
  let config;
  try {
    config = parseConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
  const logger = createLogger(config.logLevel, config.logFormat);

  let db;
  try {
    db = await openDatabase(config.database, (message) => logger.info(message));
  } catch (error) {
    logger.fatal(error instanceof DataDirLockedError || error instanceof MigrationHistoryError ? error.message : { err: error }, 'cannot open the database');
    process.exit(1);
  }
  logger.info({ database: config.database.kind }, 'database ready');

  if (config.loadDemoCatalog) {
    const added = await seedDemoCatalog(createCatalogRepository(db));
    if (added > 0) logger.info(`catalog was empty: loaded ${added} demo records (LOAD_DEMO_CATALOG=false turns this off)`);
  } else if (config.database.kind === 'supabase') {
    logger.info('no demo catalog on Supabase (LOAD_DEMO_CATALOG=true loads it into an empty catalog)');
  }
  for (const [name, status] of Object.entries(integrationStatus(config))) {
    if (!status.configured) logger.info(`${name} is off: set ${status.enableWith}`);
  }

  const vinyl = createServer({ config, db, logger, startedAt });
  const server: Server = vinyl.app.listen(config.http.port, config.http.host);
  await new Promise<void>((resolve, reject) => server.once('listening', resolve).once('error', reject));

  // Signals are handled from the moment the port is open, so a stop during start-up is clean.
  let stopping = false;
  const shutdown = async (reason: string, exitCode: number) => {
    if (stopping) return;
    stopping = true;
    logger.info(`${reason}: shutting down`);
    // A stop that hangs (a wedged database) must not keep a failed process alive.
    setTimeout(() => process.exit(exitCode), config.http.shutdownGraceMs + 10_000).unref();
    // Stop accepting, let the requests in flight answer (bounded), then the tasks and the database.
    const drained = await drainHttpServer(server, config.http.shutdownGraceMs);
    if (!drained) logger.warn(`requests still running after ${config.http.shutdownGraceMs} ms were cut`);
    await vinyl.stop();
    await db.close();
    logger.info('stopped');
    process.exit(exitCode);
  };
  process.on('SIGINT', () => void shutdown('SIGINT', 0));
  process.on('SIGTERM', () => void shutdown('SIGTERM', 0));
  // Serving errors forever helps nobody: exit, and the process supervisor (systemd, a platform)
  // starts a fresh server on the same data.
  db.onBroken((error) => {
    logger.fatal({ err: error }, 'the database is broken');
    void shutdown('database broken', 1);
  });
  await vinyl.start();
  logger.info(`listening on http://${config.http.host}:${config.http.port} (started in ${Date.now() - startedAt} ms)`);
}

main().catch((error: unknown) => {
  console.error('fatal:', error);
  process.exit(1);
});
