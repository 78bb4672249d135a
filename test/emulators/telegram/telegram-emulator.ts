// A local Telegram Bot API server for tests and benchmarks that drive the real
// node-telegram-bot-api client over HTTP. https://core.telegram.org/bots/api
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { User } from 'node-telegram-bot-api/types';
import { messageMethods, type MethodContext, type MethodHandler } from './bot-api-methods.ts';
import { commandsKey, setupMethods } from './bot-api-setup-methods.ts';
import { createEmulatedUser, setBlocked } from './emulated-user.ts';
import { EmulatorState } from './emulator-state.ts';
import { ApiError, Params, readParams, sendError, sendJson } from './http-io.ts';
import { FloodLimiter } from './limits.ts';
import type { EmulatorOptions, SentMessage, TelegramEmulator } from './types.ts';
import { UpdateQueue } from './update-queue.ts';

const HANDLERS: Record<string, MethodHandler> = { ...messageMethods, ...setupMethods };
// "All methods in the Bot API are case-insensitive." (Making requests)
const CANONICAL = new Map(Object.keys(HANDLERS).map((name) => [name.toLowerCase(), name]));
// Methods that act on a chat: fault injection without an explicit method targets these.
const SEND_TYPE = new Set(['sendMessage', 'sendPhoto', 'sendMediaGroup', 'editMessageMedia', 'editMessageText', 'editMessageCaption', 'editMessageReplyMarkup',
  'deleteMessage', 'sendChatAction', 'answerCallbackQuery']);

const NOT_FOUND = new ApiError(404, 'Not Found');
const UNAUTHORIZED = new ApiError(401, 'Unauthorized');

export async function startTelegramEmulator(opts: EmulatorOptions = {}): Promise<TelegramEmulator> {
  const token = opts.token ?? '123456:TEST-TOKEN';
  const botUsername = opts.botUsername ?? 'vinyl_test_bot';
  const now = opts.now ?? Date.now;
  const botId = Number(token.split(':')[0]) || 123456;
  const bot: User = { id: botId, is_bot: true, first_name: 'Vinyl Test Bot', username: botUsername };
  const limiter = opts.limits === false ? undefined : new FloodLimiter(opts.limits?.globalPerSecond ?? 30, opts.limits?.perChatPerSecond ?? 1, now);
  const state = new EmulatorState(token, bot, now, limiter, opts.strictHtmlEntities ?? true);

  const call = async (methodName: string, params: Params, signal: AbortSignal): Promise<unknown> => {
    const method = CANONICAL.get(methodName.toLowerCase());
    if (!method) throw NOT_FOUND;
    state.callCounts.set(method, (state.callCounts.get(method) ?? 0) + 1);
    const fault = state.faults.check(method, faultChatId(method, params), SEND_TYPE.has(method));
    if (fault) throw fault;
    const ctx: MethodContext = { state, queue, signal };
    return (HANDLERS[method] as MethodHandler)(params, ctx);
  };

  const faultChatId = (method: string, params: Params): number | undefined => {
    if (method === 'answerCallbackQuery') return state.callbacks.get(params.str('callback_query_id') ?? '')?.chatId;
    try {
      return params.int('chat_id');
    } catch {
      return undefined;
    }
  };

  const queue = new UpdateQueue({
    firstUpdateId: opts.firstUpdateId ?? 100_000_000 + Math.floor(Math.random() * 800_000_000),
    now,
    retry: { attempts: opts.webhookRetry?.attempts ?? 5, delayMs: opts.webhookRetry?.delayMs ?? 200, timeoutMs: opts.webhookRetry?.timeoutMs ?? 10_000 },
    // A method in the webhook's answer runs like a normal call; its result is not reported back.
    onWebhookReply: async (body) => {
      const { method, ...rest } = body;
      await call(String(method), new Params(rest), new AbortController().signal).catch(() => undefined);
    },
  });

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const api = /^\/bot([^/]+)\/([A-Za-z]+)\/?$/.exec(url.pathname);
    if (api) {
      if (decodeURIComponent(api[1] ?? '') !== token) return sendError(res, UNAUTHORIZED);
      // The poll must end when the client goes away (bot.stop() aborts its fetch).
      const aborter = new AbortController();
      res.on('close', () => {
        if (!res.writableFinished) aborter.abort();
      });
      const params = await readParams(req, url);
      const result = await call(api[2] ?? '', params, aborter.signal);
      return sendJson(res, 200, { ok: true, result });
    }
    // https://core.telegram.org/bots/api#getfile : https://api.telegram.org/file/bot<token>/<file_path>
    const file = /^\/file\/bot([^/]+)\/(.+)$/.exec(url.pathname);
    if (file && (req.method === 'GET' || req.method === 'HEAD')) {
      if (decodeURIComponent(file[1] ?? '') !== token) return sendError(res, UNAUTHORIZED);
      const stored = state.filesByPath.get(decodeURIComponent(file[2] ?? ''));
      if (!stored?.bytes) return sendError(res, NOT_FOUND);
      res.writeHead(200, { 'content-type': stored.mime, 'content-length': stored.bytes.length });
      res.end(req.method === 'HEAD' ? undefined : stored.bytes);
      return;
    }
    sendError(res, NOT_FOUND);
  };

  const inFlight = new Set<Promise<void>>();
  const server = createServer((req, res) => {
    const done: Promise<void> = handle(req, res)
      .catch((err: unknown) => {
        if (err instanceof ApiError) return sendError(res, err);
        // A bug in the emulator must be loud, not look like a Telegram answer.
        console.error('[telegram-emulator] internal error', err);
        sendError(res, new ApiError(500, `Internal Server Error: ${err instanceof Error ? err.message : String(err)}`));
      })
      .finally(() => inFlight.delete(done));
    inFlight.add(done);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  const apiRoot = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const userRecord = (userId: number) => {
    const rec = state.users.get(userId);
    if (!rec) throw new Error(`unknown user ${userId}: call emulator.user(${userId}) first`);
    return rec;
  };

  let closed: Promise<void> | undefined;
  return {
    apiRoot,
    token,
    botUsername,
    user: (id, info) => createEmulatedUser(state, queue, id, info),
    sent: (filter = {}) =>
      state.sentLog.filter((m) => (filter.chatId === undefined || m.chat_id === filter.chatId) && (filter.method === undefined || m.method === filter.method)),
    waitForSent(predicate, timeoutMs = 2000) {
      const existing = state.sentLog.find(predicate);
      if (existing) return Promise.resolve(existing);
      return new Promise<SentMessage>((resolve, reject) => {
        const unsubscribe = state.onSent((m) => {
          if (!predicate(m)) return;
          clearTimeout(timer);
          unsubscribe();
          resolve(m);
        });
        const timer = setTimeout(() => {
          unsubscribe();
          const recent = state.sentLog.slice(-5).map((m) => `${m.method} ${m.chat_id}: ${JSON.stringify(m.text ?? m.caption ?? '')}`);
          reject(new Error(`waitForSent: nothing matched within ${timeoutMs} ms; last sent: ${recent.join(' | ') || '(none)'}`));
        }, timeoutMs);
      });
    },
    injectFaults: (rule) => state.faults.add(rule),
    clearFaults: () => state.faults.clear(),
    blockBot: (userId) => setBlocked(state, queue, userRecord(userId), true),
    unblockBot: (userId) => setBlocked(state, queue, userRecord(userId), false),
    calls: (method) =>
      method === undefined ? [...state.callCounts.values()].reduce((a, b) => a + b, 0) : state.callCounts.get(CANONICAL.get(method.toLowerCase()) ?? method) ?? 0,
    commands: (scopeType, languageCode) => state.commands.get(commandsKey(scopeType ? { type: scopeType } : undefined, languageCode)),
    webhook: () => {
      const hook = queue.webhook();
      return hook ? { url: hook.url, ...(hook.secret_token ? { secret_token: hook.secret_token } : {}) } : null;
    },
    unansweredCallbacks: () => [...state.callbacks].filter(([, c]) => !c.answered).map(([id]) => id),
    callbackAnswer: (id) => state.callbacks.get(id)?.answer,
    pendingUpdates: () => queue.pending(),
    close() {
      closed ??= (async () => {
        queue.close(); // answers pending long polls with what they have
        // Let answers in progress reach their sockets, then drop every connection.
        await Promise.race([Promise.allSettled([...inFlight]), new Promise((resolve) => setTimeout(resolve, 250))]);
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        });
      })();
      return closed;
    },
  };
}
