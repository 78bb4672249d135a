import type { Server } from 'node:http';
import { createCatalogRepository } from './catalog/catalog-repository.ts';
import { seedDemoCatalog } from './catalog/seed-demo-catalog.ts';
import { ConfigError, integrationStatus, parseConfig } from './config.ts';
import { DataDirLockedError } from './db/data-dir-lock.ts';
import { openDatabase } from './db/open-database.ts';
import { createServer } from './create-server.ts';
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
  const logger = createLogger(config.logLevel);

  let db;
  try {
    db = await openDatabase(config.database, (message) => logger.info(message));
  } catch (error) {
    logger.fatal(error instanceof DataDirLockedError ? error.message : { err: error }, 'cannot open the database');
    process.exit(1);
  }
  logger.info({ database: config.database.kind }, 'database ready');

  if (config.loadDemoCatalog) {
    const added = await seedDemoCatalog(createCatalogRepository(db));
    if (added > 0) logger.info(`catalog was empty: loaded ${added} demo records (LOAD_DEMO_CATALOG=false turns this off)`);
  }
  for (const [name, status] of Object.entries(integrationStatus(config))) {
    if (!status.configured) logger.info(`${name} is off: set ${status.enableWith}`);
  }

  const vinyl = createServer({ config, db, logger, startedAt });
  const server: Server = vinyl.app.listen(config.http.port, config.http.host);
  await new Promise<void>((resolve, reject) => server.once('listening', resolve).once('error', reject));
  await vinyl.start();
  logger.info(`listening on http://${config.http.host}:${config.http.port} (started in ${Date.now() - startedAt} ms)`);

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info(`${signal}: shutting down`);
    server.close();
    server.closeAllConnections();
    await vinyl.stop();
    await db.close();
    logger.info('stopped');
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}

main().catch((error: unknown) => {
  console.error('fatal:', error);
  process.exit(1);
});
