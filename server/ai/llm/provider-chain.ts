import type { Logger } from 'pino';
import { sleep } from '../../async/sleep.ts';
import type { CheckResult } from '../checks/description-check.ts';
import { LlmCallError, type LlmClient, type LlmRequest } from './llm-client.ts';

export interface ChainAnswer<T> {
  value: T;
  provider: string;
}

export interface ChainResult<T> {
  answer: ChainAnswer<T> | null;
  /** Some provider was unavailable (429, 5xx, timeout, network, cooling down), not just wrong. */
  transient: boolean;
}

export interface ChainOptions {
  logger: Logger;
  /** A 429 asking for at most this long is waited out on the same provider. */
  maxInlineWaitMs?: number;
  /** Pause before the one quick retry of a 5xx. */
  serverRetryDelayMs?: number;
  now?: () => number;
}

/**
 * Primary, then fallback. Per provider: a call (a short 429 or a 5xx is retried once on the
 * spot), its answer checked; a failing answer is asked again once with the reason; then the
 * next provider. A provider that failed to answer cools down with exponential backoff (or as
 * long as its retry-after says), so the next records go straight to the fallback instead of
 * waiting on a provider that is down. Returns null when nobody gave a valid answer: the caller
 * has the template.
 */
export function createProviderChain(clients: LlmClient[], options: ChainOptions) {
  const now = options.now ?? Date.now;
  const maxInlineWaitMs = options.maxInlineWaitMs ?? 1500;
  const serverRetryDelayMs = options.serverRetryDelayMs ?? 300;
  const health = new Map(clients.map((c) => [c.name as string, { failures: 0, coolUntil: 0 }]));

  const markFailure = (client: LlmClient, error: LlmCallError) => {
    const h = health.get(client.name)!;
    h.failures += 1;
    const backoff = error.kind === 'refused' ? 5 * 60_000 : Math.min(1000 * 2 ** (h.failures - 1), 60_000);
    h.coolUntil = now() + Math.max(backoff, error.retryAfterMs ?? 0);
    options.logger.warn({ provider: client.name, kind: error.kind, cool_ms: h.coolUntil - now() }, 'LLM provider failed; cooling down');
  };

  async function call(client: LlmClient, request: LlmRequest): Promise<string> {
    try {
      return await client.complete(request);
    } catch (error) {
      if (!(error instanceof LlmCallError)) throw error;
      const wait =
        error.kind === 'rate_limited' && (error.retryAfterMs ?? Infinity) <= maxInlineWaitMs
          ? error.retryAfterMs!
          : error.kind === 'server'
            ? Math.min(error.retryAfterMs ?? serverRetryDelayMs, maxInlineWaitMs)
            : null;
      if (wait === null) throw error;
      await sleep(wait, request.signal);
      // A job stopped during the wait ends with the stop's reason instead of calling again.
      request.signal?.throwIfAborted();
      return client.complete(request);
    }
  }

  return {
    configured: clients.length > 0,
    primary: clients[0]?.name ?? null,

    async run<T>(stage: string, build: (retryReason?: string) => LlmRequest, check: (answer: string) => CheckResult<T>): Promise<ChainResult<T>> {
      let transient = false;
      for (const client of clients) {
        if (health.get(client.name)!.coolUntil > now()) {
          transient = true;
          continue;
        }
        let reason: string | undefined;
        for (let attempt = 0; attempt < 2; attempt++) {
          let answer: string;
          try {
            answer = await call(client, build(reason));
          } catch (error) {
            if (!(error instanceof LlmCallError) || error.kind === 'aborted') throw error;
            markFailure(client, error);
            transient = true;
            break;
          }
          health.set(client.name, { failures: 0, coolUntil: 0 });
          const checked = check(answer);
          if (checked.ok) return { answer: { value: checked.value, provider: client.name }, transient };
          reason = checked.reason;
          options.logger.info({ provider: client.name, stage, attempt, reason }, 'LLM answer rejected');
        }
      }
      return { answer: null, transient };
    },

    /** How long until some provider may be asked again (0 when one may be asked now). */
    cooldownRemainingMs(): number {
      if (clients.length === 0) return 0;
      return Math.max(0, Math.min(...clients.map((c) => health.get(c.name)!.coolUntil)) - now());
    },
  };
}
export type ProviderChain = ReturnType<typeof createProviderChain>;
