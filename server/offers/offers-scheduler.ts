import type { Logger } from 'pino';
import type { BackgroundTask } from '../create-server.ts';
import type { DemandRepository } from '../demand/demand-repository.ts';
import { sleep } from '../telegram/pacer.ts';
import type { OffersRepository } from './offers-repository.ts';

/**
 * Timed work of the pre-order system, safe with several instances (each step is one atomic SQL
 * function): offer and reservation expiry every `expiryEveryMs` (so never more than that late),
 * and the admin's batched message, at most one per `digestIntervalSeconds`.
 */
export function createOffersScheduler(deps: {
  offers: OffersRepository;
  demand: DemandRepository;
  logger: Logger;
  expiryEveryMs?: number;
  digestIntervalSeconds?: number;
}): BackgroundTask {
  const expiryEveryMs = deps.expiryEveryMs ?? 15_000;
  const digestInterval = deps.digestIntervalSeconds ?? 60;
  let controller: AbortController | null = null;
  let loop: Promise<void> | null = null;

  async function tick() {
    const expired = await deps.offers.expireDue();
    if (expired.offers_expired + expired.reservations_expired > 0) deps.logger.info(expired, 'offers: expired');
    await deps.demand.digest(digestInterval);
  }

  return {
    name: 'offers-scheduler',
    start() {
      controller = new AbortController();
      const signal = controller.signal;
      loop = (async () => {
        while (!signal.aborted) {
          await tick().catch((error: unknown) => deps.logger.warn({ err: error }, 'offers: scheduled step failed'));
          await sleep(expiryEveryMs, signal);
        }
      })();
    },
    async stop() {
      controller?.abort();
      await loop;
    },
  };
}
