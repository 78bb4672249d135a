import type { Logger } from 'pino';
import { createCatalogRepository } from '../catalog/catalog-repository.ts';
import { createRecordKeyResolver } from '../catalog/record-key.ts';
import type { Config } from '../config.ts';
import type { Database } from '../db/database.ts';
import { createAiQueueWorker } from './ai-queue-worker.ts';
import { createAiRepository } from './ai-repository.ts';
import { createAiRoutes } from './ai-routes.ts';
import { createAiService } from './ai-service.ts';
import { createEnricher } from './enrich-record.ts';
import { createLlmClient, LlmCallError, type LlmClient } from './llm/llm-client.ts';
import { createProviderChain } from './llm/provider-chain.ts';

/**
 * The AI musicologist wired from the configuration: providers (none → the template), the
 * enrichment, its routes and the queue worker (a BackgroundTask for create-server.ts).
 */
export function createAiModule(deps: { config: Config; db: Database; logger: Logger; onLlmCall?: (provider: string, outcome: string) => void }) {
  const { config, db } = deps;
  const logger = deps.logger.child({ component: 'ai' });
  const clients = [config.llm.primary, config.llm.fallback]
    .filter((p) => p !== null)
    .map((p) => observedLlmClient(createLlmClient(p, { timeoutMs: config.llm.timeoutMs }), deps.onLlmCall));
  const chain = createProviderChain(clients, { logger });
  const enrich = createEnricher(chain);
  const repo = createAiRepository(db);
  const worker = createAiQueueWorker({
    repo,
    enrich,
    logger,
    concurrency: config.llm.concurrency,
    // Worst case of one job: facts then description, two providers, two answers each.
    leaseSeconds: Math.ceil((config.llm.timeoutMs * 10) / 1000) + 60,
    cooldownRemainingMs: chain.cooldownRemainingMs,
  });
  // Any write may have queued jobs (the SQL trigger): look at once instead of at the next poll.
  db.onWrite(() => worker.wake());
  const service = createAiService({ repo, enrich, wakeWorker: worker.wake });
  const recordId = createRecordKeyResolver(createCatalogRepository(db));
  const routes = createAiRoutes({ service, adminApiToken: config.adminApiToken, sheetSecret: config.sheet.secret, db, recordId });
  return { routes, worker, service, repo, provider: chain.primary ?? 'template' };
}

/** Reports each provider call's outcome (ok, or the failure kind) for /metrics. */
function observedLlmClient(client: LlmClient, onCall?: (provider: string, outcome: string) => void): LlmClient {
  if (!onCall) return client;
  return {
    ...client,
    async complete(request) {
      try {
        const answer = await client.complete(request);
        onCall(client.name, 'ok');
        return answer;
      } catch (error) {
        onCall(client.name, error instanceof LlmCallError ? error.kind : 'error');
        throw error;
      }
    },
  };
}
