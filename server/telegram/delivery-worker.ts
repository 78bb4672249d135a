import { randomBytes } from 'node:crypto';
import { TelegramApiError, type Api } from 'node-telegram-bot-api';
import type { Logger } from 'pino';
import { sleep } from '../async/sleep.ts';
import type { BackgroundTask } from '../tasks/background-task.ts';
import type { DeliveryJob, DeliveryRenderer } from './delivery-messages.ts';
import type { DeliveryRepository, FailureReason } from './delivery-repository.ts';
import { refusedUntilStart } from './held-admin-messages.ts';
import { createPacer } from './pacer.ts';

export interface DeliveryWorkerOptions {
  deliveries: DeliveryRepository;
  /** An Api with maxRetries: 0, so this queue (not the client) decides every retry. */
  api: Api;
  render: DeliveryRenderer;
  logger: Logger;
  ratePerSecond: number;
  /** Sends in flight at once: also the most a crash can send twice (sent, not yet marked). */
  concurrency?: number;
  leaseSeconds?: number;
  idlePollMs?: number;
}

const adminKinds = new Set<DeliveryJob['kind']>(['admin_event', 'admin_digest']);

/** What a failed send means for the queue. */
function classify(error: unknown): { reason: FailureReason; retryAfter: number | null; message: string } {
  if (error instanceof TelegramApiError) {
    const message = `${error.errorCode} ${error.description}`;
    if (error.errorCode === 429) return { reason: 'flood', retryAfter: error.retryAfter ?? 1, message };
    if (error.errorCode === 403) return { reason: 'blocked', retryAfter: null, message };
    if (error.errorCode >= 400 && error.errorCode < 500) return { reason: 'permanent', retryAfter: null, message };
    return { reason: 'transient', retryAfter: null, message };
  }
  return { reason: 'transient', retryAfter: null, message: error instanceof Error ? error.message : String(error) };
}

/**
 * Sends the database's Telegram queue: claims due messages with a lease, paces them globally
 * (ratePerSecond) while the claim keeps one message per chat per second, and marks each sent
 * right after Telegram accepts it. Telegram has no idempotency key: a crash between the send
 * and the mark re-sends that message after the lease, so at most `concurrency` can repeat.
 * A claim that fails (or answers anything but a list) ends the run: the supervisor restarts it
 * with backoff, and the sends in hand finish first.
 */
export function createDeliveryWorker(options: DeliveryWorkerOptions): BackgroundTask & { idle(): Promise<void> } {
  const { deliveries, api, render, logger } = options;
  const concurrency = options.concurrency ?? 4;
  const leaseSeconds = options.leaseSeconds ?? 30;
  const idlePollMs = options.idlePollMs ?? 250;
  const batch = Math.max(1, Math.min(50, Math.ceil(options.ratePerSecond / 2)));
  const worker = `w-${process.pid}-${randomBytes(4).toString('hex')}`;
  // 3% headroom under the limit: timer and network jitter can bunch two sends into one second
  // window, and a flood 429 costs a whole retry_after second of silence.
  const pacer = createPacer(options.ratePerSecond * 0.97, sleep);
  const inFlight = new Set<Promise<void>>();
  let buffer: DeliveryJob[] = [];
  let idleWaiters: Array<() => void> = [];

  async function settle<T>(what: string, fn: () => Promise<T>): Promise<T | undefined> {
    // The database may blink; the mark must land or the lease would re-send the message.
    for (let attempt = 1; attempt <= 5; attempt++) {
      try {
        return await fn();
      } catch (error) {
        logger.warn({ err: error, attempt }, `delivery: ${what} failed`);
        await sleep(200 * attempt);
      }
    }
    return undefined;
  }

  async function send(job: DeliveryJob): Promise<void> {
    let message;
    try {
      message = await render(job);
    } catch (error) {
      await settle('fail', () => deliveries.fail(job.id, worker, 'permanent', null, `render: ${(error as Error).message}`));
      return;
    }
    try {
      const sent = await api.sendMessage({
        chat_id: job.chat_id,
        text: message.text,
        parse_mode: 'HTML',
        link_preview_options: { is_disabled: true },
        ...(message.reply_markup ? { reply_markup: message.reply_markup } : {}),
      });
      await settle('complete', () => deliveries.complete(job.id, worker, sent.message_id));
    } catch (error) {
      const failure = classify(error);
      if (failure.reason === 'flood') pacer.pause((failure.retryAfter ?? 1) * 1000);
      if (failure.reason !== 'flood') logger.warn({ job: job.id, kind: job.kind, reason: failure.reason, error: failure.message }, 'delivery: send failed');
      // A bot cannot message a person first: Telegram answers 403 "bot can't initiate
      // conversation with a user" (400 "chat not found" for an id that never wrote) until the
      // admin presses Start, or 403 after they blocked the bot. The admin's news waits for that
      // /start (held-admin-messages.ts) instead of being dropped.
      if (adminKinds.has(job.kind) && refusedUntilStart(error)) await settle('hold', () => deliveries.hold(job.id, worker, failure.message));
      else await settle('fail', () => deliveries.fail(job.id, worker, failure.reason, failure.retryAfter, failure.message));
    }
  }

  return {
    name: 'telegram-delivery',
    async run({ signal, succeeded }) {
      try {
        while (!signal.aborted) {
          if (buffer.length === 0) {
            const claimed: unknown = await deliveries.claim(worker, batch, leaseSeconds);
            // delivery_claim always answers a list; anything else is a broken database answer,
            // not "nothing to send" (a null here once stopped all delivery for good).
            if (!Array.isArray(claimed)) throw new Error(`delivery_claim answered ${JSON.stringify(claimed)} instead of a list`);
            succeeded();
            if (claimed.length === 0) {
              if (inFlight.size === 0) for (const wake of idleWaiters.splice(0)) wake();
              await sleep(idlePollMs, signal);
              continue;
            }
            buffer = claimed as DeliveryJob[];
          }
          await pacer.take(signal);
          if (signal.aborted) break;
          while (inFlight.size >= concurrency) await Promise.race(inFlight);
          const job = buffer.shift()!;
          const task: Promise<void> = send(job).finally(() => inFlight.delete(task));
          inFlight.add(task);
        }
      } finally {
        // Stopping or failing: the sends in hand finish and get marked; claimed but never sent
        // go back so the next run (or another instance) takes them at once.
        await Promise.allSettled([...inFlight]);
        if (buffer.length > 0) await settle('release', () => deliveries.release(buffer.map((j) => j.id), worker));
        buffer = [];
        if (signal.aborted) for (const wake of idleWaiters.splice(0)) wake();
      }
    },
    /** Resolves when the queue has nothing due and nothing is in flight (tests, benchmarks). */
    idle: () => new Promise<void>((resolve) => idleWaiters.push(resolve)),
  };
}
