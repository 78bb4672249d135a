// Flood limits and fault injection, both applied to send-type methods only.
// Limits: https://core.telegram.org/bots/faq#my-bot-is-hitting-limits-how-do-i-avoid-this
// ("avoid sending more than one message per second" per chat, "no more than 30
// messages per second" overall); exceeding them answers 429 with retry_after.
import { ApiError, tooManyRequests } from './http-io.ts';
import type { FaultRule } from './types.ts';

const WINDOW_MS = 1000;
// A client pacing exactly at the limit sees timer jitter of a few ms; don't punish it.
const TOLERANCE_MS = 50;

/** Sliding one-second windows, global and per chat. Only accepted sends are counted. */
export class FloodLimiter {
  private readonly global: number[] = [];
  private readonly perChat = new Map<number, number[]>();

  constructor(
    private readonly globalPerSecond: number,
    private readonly perChatPerSecond: number,
    private readonly now: () => number,
  ) {}

  /** Throws 429 when the send would exceed a limit, otherwise records it. */
  take(chatId: number): void {
    const t = this.now();
    const chat = this.perChat.get(chatId) ?? [];
    const wait = Math.max(this.waitMs(this.global, this.globalPerSecond, t), this.waitMs(chat, this.perChatPerSecond, t));
    if (wait > 0) throw tooManyRequests(Math.max(1, Math.ceil(wait / 1000)));
    this.global.push(t);
    chat.push(t);
    this.perChat.set(chatId, chat);
  }

  /** ms until the window has room again (0 = room now); prunes expired stamps. */
  private waitMs(stamps: number[], limit: number, t: number): number {
    const horizon = WINDOW_MS - TOLERANCE_MS;
    while (stamps.length > 0 && t - (stamps[0] as number) >= horizon) stamps.shift();
    if (stamps.length < limit) return 0;
    const oldestBlocking = stamps[stamps.length - limit] as number;
    return oldestBlocking + horizon - t;
  }
}

interface ActiveRule extends FaultRule {
  remaining: number;
}

const DEFAULT_DESCRIPTIONS: Record<FaultRule['status'], string> = {
  429: 'Too Many Requests: retry after',
  403: 'Forbidden: bot was blocked by the user',
  400: 'Bad Request: injected fault',
  500: 'Internal Server Error',
};

export class FaultInjector {
  private rules: ActiveRule[] = [];

  add(rule: FaultRule): void {
    this.rules.push({ ...rule, remaining: rule.times ?? Number.POSITIVE_INFINITY });
  }

  clear(): void {
    this.rules = [];
  }

  /**
   * The error to answer instead of executing the call, if a rule fires.
   * Rules naming a method match that method (any method, e.g. getUpdates);
   * rules without one match every send-type method.
   */
  check(method: string, chatId: number | undefined, isSendType: boolean): ApiError | undefined {
    for (const rule of this.rules) {
      if (rule.remaining <= 0) continue;
      if (rule.method ? rule.method.toLowerCase() !== method.toLowerCase() : !isSendType) continue;
      if (rule.chatId !== undefined && rule.chatId !== chatId) continue;
      if (rule.probability !== undefined && (rule.random ?? Math.random)() >= rule.probability) continue;
      rule.remaining--;
      if (rule.status === 429) {
        const retryAfter = rule.retryAfter ?? 1;
        return new ApiError(429, rule.description ?? `${DEFAULT_DESCRIPTIONS[429]} ${retryAfter}`, { retry_after: retryAfter });
      }
      return new ApiError(rule.status, rule.description ?? DEFAULT_DESCRIPTIONS[rule.status]);
    }
    return undefined;
  }
}
