// In-memory world of the emulator: users and their private chats, messages,
// files, callback queries, commands and the log of what the bot did.
import type { BotCommand, Chat, Message, User } from 'node-telegram-bot-api/types';
import { ApiError, badRequest, type Params } from './http-io.ts';
import { FaultInjector, type FloodLimiter } from './limits.ts';
import { opaqueId } from './media.ts';
import type { CallbackAnswer, SentMessage } from './types.ts';

export interface UserRecord {
  user: User;
  /** The user wrote to the bot (pressing Start counts); before that the bot may not message them. */
  started: boolean;
  blocked: boolean;
}

export interface StoredMessage {
  message: Message;
  fromBot: boolean;
  /** Method that created it (sendMessage / sendPhoto), or 'user'. */
  method: string;
  raw_text?: string;
  raw_caption?: string;
  parse_mode?: string;
  /** reply_markup exactly as sent (may be a reply keyboard, which Message omits). */
  reply_markup?: unknown;
  deleted: boolean;
}

export interface StoredFile {
  file_id: string;
  file_unique_id: string;
  file_path: string;
  mime: string;
  width: number;
  height: number;
  bytes?: Buffer;
  /** A photo sent by URL is kept as-is; the emulator never downloads it. */
  url?: string;
}

export interface CallbackRecord {
  chatId: number;
  answered: boolean;
  answer?: CallbackAnswer;
}

export class EmulatorState {
  readonly users = new Map<number, UserRecord>();
  readonly sentLog: SentMessage[] = [];
  readonly callbacks = new Map<string, CallbackRecord>();
  readonly files = new Map<string, StoredFile>();
  readonly filesByPath = new Map<string, StoredFile>();
  readonly commands = new Map<string, BotCommand[]>();
  readonly callCounts = new Map<string, number>();
  readonly faults = new FaultInjector();
  private readonly messages = new Map<number, Map<number, StoredMessage>>();
  private readonly lastMessageId = new Map<number, number>();
  private readonly sentListeners = new Set<(m: SentMessage) => void>();
  private fileSeq = 0;

  constructor(
    readonly token: string,
    readonly bot: User,
    readonly now: () => number,
    readonly limiter: FloodLimiter | undefined,
    readonly strictHtmlEntities: boolean,
  ) {}

  /** Message dates are unix seconds. */
  unixNow(): number {
    return Math.floor(this.now() / 1000);
  }

  privateChat(user: User): Chat {
    return compact({ id: user.id, type: 'private', first_name: user.first_name, last_name: user.last_name, username: user.username });
  }

  /** Message ids are sequential within a chat, shared by both sides of it. */
  newMessageId(chatId: number): number {
    const id = (this.lastMessageId.get(chatId) ?? 0) + 1;
    this.lastMessageId.set(chatId, id);
    return id;
  }

  storeMessage(chatId: number, stored: StoredMessage): void {
    let chat = this.messages.get(chatId);
    if (!chat) this.messages.set(chatId, (chat = new Map()));
    chat.set(stored.message.message_id, stored);
  }

  findMessage(chatId: number, messageId: number): StoredMessage | undefined {
    const stored = this.messages.get(chatId)?.get(messageId);
    return stored && !stored.deleted ? stored : undefined;
  }

  lastBotMessage(chatId: number): StoredMessage | undefined {
    const chat = [...(this.messages.get(chatId)?.values() ?? [])];
    return chat.reverse().find((m) => m.fromBot && !m.deleted);
  }

  /** Reads chat_id as the server does: a number, or an @username (only public chats have one). */
  chatIdParam(p: Params, name = 'chat_id'): number {
    const raw = p.str(name);
    if (raw === undefined || raw.trim() === '') throw badRequest(`${name} is empty`);
    if (!/^\s*-?\d+\s*$/.test(raw)) throw badRequest('chat not found');
    return Number(raw);
  }

  /**
   * The user behind a private chat the bot may write to, or the error the
   * server answers: "Bots can't initiate conversations with users. A user must
   * [...] send them a message first." https://core.telegram.org/bots#how-are-bots-different-from-users
   */
  writableChat(chatId: number): UserRecord {
    const rec = this.users.get(chatId);
    if (!rec) throw badRequest('chat not found');
    if (!rec.started) throw new ApiError(403, "Forbidden: bot can't initiate conversation with a user");
    if (rec.blocked) throw new ApiError(403, 'Forbidden: bot was blocked by the user');
    return rec;
  }

  snapshot(method: string, stored: StoredMessage): SentMessage {
    const m = stored.message;
    return compact({
      method,
      chat_id: m.chat.id,
      message_id: m.message_id,
      text: m.text,
      raw_text: stored.raw_text,
      caption: m.caption,
      raw_caption: stored.raw_caption,
      entities: m.entities ?? m.caption_entities,
      parse_mode: stored.parse_mode,
      reply_markup: stored.reply_markup,
      photo: m.photo?.at(-1)?.file_id,
      at: this.now(),
    });
  }

  record(entry: SentMessage): SentMessage {
    this.sentLog.push(entry);
    for (const listener of [...this.sentListeners]) listener(entry);
    return entry;
  }

  onSent(listener: (m: SentMessage) => void): () => void {
    this.sentListeners.add(listener);
    return () => this.sentListeners.delete(listener);
  }

  addFile(data: { bytes?: Buffer; url?: string }, info: { mime: string; ext: string; width: number; height: number }, folder: 'photos' | 'documents' = 'photos'): StoredFile {
    const seq = this.fileSeq++;
    const file: StoredFile = {
      // Photos' and documents' file_ids start differently on the real server too.
      file_id: opaqueId(folder === 'photos' ? 'AgACAgIAAxkBAAI' : 'BQACAgIAAxkBAAI', 24),
      file_unique_id: opaqueId('AQAD', 8),
      file_path: `${folder}/file_${seq}.${info.ext}`,
      ...info,
      ...data,
    };
    this.files.set(file.file_id, file);
    this.filesByPath.set(file.file_path, file);
    return file;
  }
}

/** Drops undefined fields so logged objects look like what Telegram sends. */
export function compact<T extends object>(obj: T): T {
  return Object.fromEntries(Object.entries(obj).filter(([, v]) => v !== undefined)) as T;
}
