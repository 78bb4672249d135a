// The server-side update queue: long polling (getUpdates) and webhook delivery.
// https://core.telegram.org/bots/api#getting-updates
import type { Update } from 'node-telegram-bot-api/types';
import { ApiError } from './http-io.ts';

// "Specify an empty list to receive all update types except chat_member,
// message_reaction, and message_reaction_count (default)." (getUpdates docs)
const NOT_BY_DEFAULT = new Set(['chat_member', 'message_reaction', 'message_reaction_count']);

export interface WebhookConfig {
  url: string;
  secret_token?: string;
  max_connections?: number;
}

export interface QueueOptions {
  firstUpdateId: number;
  now: () => number;
  retry: { attempts: number; delayMs: number; timeoutMs: number };
  /** A webhook may answer with a method call in its response body (see "Making requests when getting updates"). */
  onWebhookReply: (body: Record<string, unknown>) => Promise<void>;
}

interface Waiter {
  wake(): void;
  fail(err: ApiError): void;
}

export class UpdateQueue {
  private queue: Update[] = [];
  private nextId: number;
  private allowed: Set<string> | null = null;
  private waiter: Waiter | undefined;
  private hook: WebhookConfig | null = null;
  private delivering = false;
  private failedAttempts = 0;
  private closed = false;
  private readonly closing = new AbortController();
  private lastError: { date: number; message: string } | undefined;

  constructor(private readonly opts: QueueOptions) {
    this.nextId = opts.firstUpdateId;
  }

  /** Enqueues an update unless allowed_updates filters its type out; returns its id. */
  push(kind: string, payload: object): number | undefined {
    const allowed = this.allowed ? this.allowed.has(kind) : !NOT_BY_DEFAULT.has(kind);
    if (!allowed || this.closed) return undefined;
    const update = { update_id: this.nextId++, [kind]: payload } as unknown as Update;
    this.queue.push(update);
    this.waiter?.wake();
    this.kickWebhook();
    return update.update_id;
  }

  pending(): number {
    return this.queue.length;
  }

  /** "If not specified, the previous setting will be used"; an empty list restores the default. */
  setAllowed(list: string[] | undefined): void {
    if (list === undefined) return;
    this.allowed = list.length === 0 ? null : new Set(list);
  }

  async getUpdates(p: { offset?: number; limit?: number; timeout?: number }, signal: AbortSignal): Promise<Update[]> {
    if (this.hook) {
      throw new ApiError(409, "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first");
    }
    // The newest request wins and the pending one is terminated: that is what
    // the real error text says, and why a restarted bot is not locked out.
    this.waiter?.fail(new ApiError(409, 'Conflict: terminated by other getUpdates request; make sure that only one bot instance is running'));
    this.confirm(p.offset);
    const limit = p.limit !== undefined && p.limit >= 1 && p.limit <= 100 ? p.limit : 100;
    const timeoutMs = Math.max(0, p.timeout ?? 0) * 1000;
    if (this.queue.length > 0 || timeoutMs === 0 || this.closed || signal.aborted) return this.queue.slice(0, limit);
    return new Promise<Update[]>((resolve, reject) => {
      const finish = (settle: () => void): void => {
        clearTimeout(timer);
        signal.removeEventListener('abort', onAbort);
        if (this.waiter === waiter) this.waiter = undefined;
        settle();
      };
      const answer = (): void => finish(() => resolve(this.queue.slice(0, limit)));
      // The client went away (e.g. bot.stop() aborted its fetch): drop the poll.
      const onAbort = (): void => finish(() => resolve([]));
      const timer = setTimeout(answer, timeoutMs);
      const waiter: Waiter = { wake: answer, fail: (err) => finish(() => reject(err)) };
      signal.addEventListener('abort', onAbort, { once: true });
      this.waiter = waiter;
    });
  }

  /**
   * "An update is considered confirmed as soon as getUpdates is called with an
   * offset higher than its update_id. The negative offset can be specified to
   * retrieve updates starting from -offset update from the end of the updates
   * queue. All previous updates will be forgotten."
   */
  private confirm(offset: number | undefined): void {
    if (offset === undefined || offset === 0) return;
    this.queue = offset > 0 ? this.queue.filter((u) => u.update_id >= offset) : this.queue.slice(offset);
  }

  webhook(): WebhookConfig | null {
    return this.hook;
  }

  setWebhook(config: WebhookConfig, dropPending: boolean): void {
    if (dropPending) this.queue = [];
    this.waiter?.fail(new ApiError(409, 'Conflict: terminated by setWebhook request'));
    this.hook = config;
    this.lastError = undefined;
    this.failedAttempts = 0;
    this.kickWebhook();
  }

  deleteWebhook(dropPending: boolean): void {
    if (dropPending) this.queue = [];
    this.hook = null;
  }

  webhookInfo(): Record<string, unknown> {
    const info: Record<string, unknown> = { url: this.hook?.url ?? '', has_custom_certificate: false, pending_update_count: this.queue.length };
    if (!this.hook) return info;
    info.max_connections = this.hook.max_connections ?? 40;
    info.ip_address = '127.0.0.1';
    if (this.allowed) info.allowed_updates = [...this.allowed];
    if (this.lastError) {
      info.last_error_date = this.lastError.date;
      info.last_error_message = this.lastError.message;
    }
    return info;
  }

  close(): void {
    this.closed = true;
    this.waiter?.wake();
    this.closing.abort();
  }

  private kickWebhook(): void {
    if (!this.hook || this.delivering || this.closed || this.queue.length === 0) return;
    this.delivering = true;
    void this.deliverAll().finally(() => {
      this.delivering = false;
      this.kickWebhook();
    });
  }

  /** One update per POST, in order; a failed update is retried before later ones are sent. */
  private async deliverAll(): Promise<void> {
    while (this.hook && !this.closed && this.queue.length > 0) {
      const hook = this.hook;
      const update = this.queue[0] as Update;
      const delivered = await this.post(hook, update);
      if (this.hook !== hook || this.queue[0] !== update) continue;
      if (delivered || ++this.failedAttempts >= this.opts.retry.attempts) {
        // Exhausted retries: the update is dropped, as Telegram eventually does.
        this.queue.shift();
        this.failedAttempts = 0;
        continue;
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, this.opts.retry.delayMs);
        this.closing.signal.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
      });
    }
  }

  private async post(hook: WebhookConfig, update: Update): Promise<boolean> {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    // https://core.telegram.org/bots/api#setwebhook : secret_token is sent in this header.
    if (hook.secret_token) headers['X-Telegram-Bot-Api-Secret-Token'] = hook.secret_token;
    try {
      const signal = AbortSignal.any([this.closing.signal, AbortSignal.timeout(this.opts.retry.timeoutMs)]);
      const res = await fetch(hook.url, { method: 'POST', headers, body: JSON.stringify(update), signal });
      const text = await res.text();
      if (!res.ok) {
        this.recordError(`Wrong response from the webhook: ${res.status} ${res.statusText}`);
        return false;
      }
      await this.handleReply(res.headers.get('content-type') ?? '', text);
      return true;
    } catch (err) {
      this.recordError(err instanceof Error && err.name === 'TimeoutError' ? 'Read timeout expired' : 'Connection refused');
      return false;
    }
  }

  private async handleReply(contentType: string, text: string): Promise<void> {
    if (!contentType.includes('application/json') || text.trim() === '') return;
    try {
      const body = JSON.parse(text) as unknown;
      if (body && typeof body === 'object' && typeof (body as Record<string, unknown>).method === 'string') {
        await this.opts.onWebhookReply(body as Record<string, unknown>);
      }
    } catch {
      // The update counts as delivered; a bad reply body is only the bot's problem.
    }
  }

  private recordError(message: string): void {
    this.lastError = { date: Math.floor(this.opts.now() / 1000), message };
  }
}
