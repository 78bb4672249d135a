import type { Logger } from 'pino';
import { sleep } from '../async/sleep.ts';
import type { DemandRepository } from '../demand/demand-repository.ts';
import type { BackgroundTask } from '../tasks/background-task.ts';
import type { OffersRepository } from './offers-repository.ts';

/**
 * Timed work of the pre-order system, safe with several instances (each step is one atomic SQL
 * function): offer and reservation expiry every `expiryEveryMs` (so never more than that late),
 * and the admin's batched message, at most one per `digestIntervalSeconds`. A failed step ends
 * the run, so the supervisor retries it with backoff and tells the admin if it keeps failing.
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

  async function tick() {
    const expired = await deps.offers.expireDue();
    if (expired.offers_expired + expired.reservations_expired > 0) deps.logger.info(expired, 'offers: expired');
    await deps.demand.digest(digestInterval);
  }

  return {
    name: 'offers-scheduler',
    async run({ signal, succeeded }) {
      while (!signal.aborted) {
        await tick();
        succeeded();
        await sleep(expiryEveryMs, signal);
      }
    },
  };
}
