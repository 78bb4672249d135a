// Public types of the Telegram Bot API emulator. Wire objects (Message, Update,
// ...) reuse the client's generated types so the emulator's output is checked
// against the same schema the bot code compiles against.
import type { BotCommand, MessageEntity } from 'node-telegram-bot-api/types';

export interface EmulatorOptions {
  /** Bot token; its numeric prefix becomes the bot's user id. Default '123456:TEST-TOKEN'. */
  token?: string;
  /** Bot username returned by getMe. Default 'vinyl_test_bot'. */
  botUsername?: string;
  /** Flood limits for send-type methods; `false` disables them. */
  limits?: { globalPerSecond?: number; perChatPerSecond?: number } | false;
  /** Clock in ms (message dates, `at`, rate-limit windows). Timers still use real time. */
  now?: () => number;
  /** Reject unknown `&name;` HTML entities (Telegram shows them literally, which is a bug in the bot). Default true. */
  strictHtmlEntities?: boolean;
  /** Webhook redelivery of a failed update. Default { attempts: 5, delayMs: 200, timeoutMs: 10_000 }. */
  webhookRetry?: { attempts?: number; delayMs?: number; timeoutMs?: number };
  /** First update_id; default is random-ish, like Telegram's. */
  firstUpdateId?: number;
  /** Port to listen on (127.0.0.1). Default 0 = ephemeral. */
  port?: number;
}

/** One thing the bot did to a chat, as a snapshot taken when it happened. */
export interface SentMessage {
  method: string;
  chat_id: number;
  message_id: number;
  /** Text as the user sees it: tags stripped, entities decoded. */
  text?: string;
  /** Text exactly as the bot sent it (with HTML tags). */
  raw_text?: string;
  caption?: string;
  raw_caption?: string;
  entities?: MessageEntity[];
  parse_mode?: string;
  reply_markup?: unknown;
  /** file_id of the photo for sendPhoto. */
  photo?: string;
  /** Milliseconds from the emulator clock. */
  at: number;
}

export interface FaultRule {
  /** Method name (case-insensitive). Without it the rule matches every send-type method. */
  method?: string;
  chatId?: number;
  status: 429 | 403 | 400 | 500;
  /** Seconds, for 429. Default 1. */
  retryAfter?: number;
  description?: string;
  /** How many times the rule fires. Default: unlimited (until clearFaults). */
  times?: number;
  /** Chance in [0,1] that a matching call fails. Default 1. */
  probability?: number;
  random?: () => number;
}

export interface EmulatedUser {
  readonly id: number;
  /** Queues a message update; a leading '/command' gets a bot_command entity. */
  sendText(text: string): Promise<void>;
  /** Queues a photo message; returns the file_id the bot will see. */
  sendPhoto(bytes: Buffer, opts?: { caption?: string; media_group_id?: string; width?: number; height?: number }): Promise<string>;
  /** Queues a document message (a photo sent "as a file"); the file name and MIME type are what the client claims. */
  sendDocument(bytes: Buffer, opts?: { file_name?: string; mime_type?: string; caption?: string; media_group_id?: string }): Promise<string>;
  /**
   * Sends callback data of the user's choosing for a message in the user's chat, as a modified
   * client can (the server checks only that the message exists); returns the callback_query id.
   */
  sendCallbackData(message: SentMessage, callbackData: string): Promise<string>;
  /** Presses an inline button of a bot message (must exist on its current keyboard); returns the callback_query id. */
  pressButton(message: SentMessage, callbackData: string): Promise<string>;
  /** Current state of the newest not-deleted message the bot sent to this chat. */
  lastMessage(): SentMessage | undefined;
  /** Everything the bot did in this chat. */
  messages(): SentMessage[];
}

export interface CallbackAnswer {
  text?: string;
  show_alert?: boolean;
  url?: string;
}

export interface TelegramEmulator {
  readonly apiRoot: string;
  readonly token: string;
  readonly botUsername: string;
  user(id: number, info?: { first_name?: string; last_name?: string; username?: string; language_code?: string }): EmulatedUser;
  sent(filter?: { chatId?: number; method?: string }): SentMessage[];
  /** Resolves with the first sent entry (past or future) matching the predicate. Default timeout 2000 ms. */
  waitForSent(predicate: (m: SentMessage) => boolean, timeoutMs?: number): Promise<SentMessage>;
  injectFaults(rule: FaultRule): void;
  clearFaults(): void;
  /** The user blocks the bot: sends answer 403 and a my_chat_member update is queued. */
  blockBot(userId: number): void;
  unblockBot(userId: number): void;
  /** HTTP calls per method (all methods when omitted). */
  calls(method?: string): number;
  /** Commands stored by setMyCommands for the given scope type/language (default scope). */
  commands(scopeType?: string, languageCode?: string): BotCommand[] | undefined;
  webhook(): { url: string; secret_token?: string } | null;
  unansweredCallbacks(): string[];
  callbackAnswer(callbackQueryId: string): CallbackAnswer | undefined;
  /** Updates queued but not yet confirmed by getUpdates offset / webhook delivery. */
  pendingUpdates(): number;
  close(): Promise<void>;
}
