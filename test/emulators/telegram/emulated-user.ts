// Acting as a Telegram user: the updates a real client would cause.
import type { InlineKeyboardButton, Message, MessageEntity, User } from 'node-telegram-bot-api/types';
import { compact, type EmulatorState, type UserRecord } from './emulator-state.ts';
import { photoSize } from './bot-api-methods.ts';
import { numericId, sniffImage } from './media.ts';
import type { EmulatedUser } from './types.ts';
import type { UpdateQueue } from './update-queue.ts';

export type UserInfo = { first_name?: string; last_name?: string; username?: string; language_code?: string };

/** Bot commands the server marks with a bot_command entity: "/name" or "/name@bot" at a word start. */
function commandEntities(text: string): MessageEntity[] {
  const entities: MessageEntity[] = [];
  for (const m of text.matchAll(/(^|\s)(\/[a-zA-Z0-9_]{1,64}(?:@[a-zA-Z0-9_]{3,32})?)(?=$|\s)/g)) {
    entities.push({ type: 'bot_command', offset: (m.index ?? 0) + (m[1] ?? '').length, length: (m[2] ?? '').length });
  }
  return entities;
}

/**
 * Block or unblock: the bot learns about it through a my_chat_member update
 * (https://core.telegram.org/bots/api#chatmemberupdated), but only if it ever
 * talked to the user.
 */
export function setBlocked(state: EmulatorState, queue: UpdateQueue, rec: UserRecord, blocked: boolean): void {
  if (rec.blocked === blocked) return;
  rec.blocked = blocked;
  if (!rec.started) return;
  const member = { status: 'member', user: state.bot };
  const kicked = { status: 'kicked', user: state.bot, until_date: 0 };
  queue.push('my_chat_member', {
    chat: state.privateChat(rec.user),
    from: rec.user,
    date: state.unixNow(),
    old_chat_member: blocked ? member : kicked,
    new_chat_member: blocked ? kicked : member,
  });
}

export function createEmulatedUser(state: EmulatorState, queue: UpdateQueue, id: number, info: UserInfo = {}): EmulatedUser {
  let rec = state.users.get(id);
  if (!rec) {
    const user: User = compact({ id, is_bot: false, first_name: info.first_name ?? `User${id}`, last_name: info.last_name, username: info.username, language_code: info.language_code ?? 'en' });
    rec = { user, started: false, blocked: false };
    state.users.set(id, rec);
  }
  const self = rec;

  /** Writing to a bot you blocked first unblocks it (the client's "Restart" button). */
  const write = (fields: Partial<Message>): Message => {
    setBlocked(state, queue, self, false);
    self.started = true;
    const message = compact({
      message_id: state.newMessageId(id),
      from: self.user,
      chat: state.privateChat(self.user),
      date: state.unixNow(),
      ...fields,
    }) as Message;
    state.storeMessage(id, { message, fromBot: false, method: 'user', deleted: false });
    queue.push('message', message);
    return message;
  };

  /** A callback query as Telegram delivers it; answering it is the bot's job. */
  const queueCallback = (message: Message, callbackData: string): string => {
    const queryId = numericId();
    state.callbacks.set(queryId, { chatId: id, answered: false });
    queue.push('callback_query', {
      id: queryId,
      from: self.user,
      message,
      // Stable per chat, as documented: "Global identifier, uniquely corresponding to the chat".
      chat_instance: String(BigInt(id) * 7919n + 104729n),
      data: callbackData,
    });
    return queryId;
  };

  return {
    id,
    async sendText(text) {
      const entities = commandEntities(text);
      write({ text, entities: entities.length > 0 ? entities : undefined });
    },

    async sendPhoto(bytes, opts = {}) {
      const info = sniffImage(bytes) ?? { mime: 'image/jpeg', ext: 'jpg', width: 0, height: 0 };
      const file = state.addFile({ bytes }, { ...info, width: opts.width ?? (info.width || 1280), height: opts.height ?? (info.height || 960) });
      write({ photo: [photoSize(file)], caption: opts.caption, media_group_id: opts.media_group_id });
      return file.file_id;
    },

    async sendDocument(bytes, opts = {}) {
      const info = sniffImage(bytes);
      // Telegram stores a document as sent: its name and MIME type are the client's claim.
      const file = state.addFile({ bytes }, { mime: opts.mime_type ?? info?.mime ?? 'application/octet-stream', ext: info?.ext ?? 'bin', width: 0, height: 0 }, 'documents');
      write({
        document: compact({ file_id: file.file_id, file_unique_id: file.file_unique_id, file_name: opts.file_name, mime_type: opts.mime_type, file_size: bytes.length }),
        caption: opts.caption,
        media_group_id: opts.media_group_id,
      });
      return file.file_id;
    },

    async sendCallbackData(sent, callbackData) {
      const stored = state.findMessage(sent.chat_id, sent.message_id);
      if (!stored || sent.chat_id !== id) throw new Error(`user ${id} cannot see message ${sent.chat_id}/${sent.message_id}`);
      return queueCallback(stored.message, callbackData);
    },

    async pressButton(sent, callbackData) {
      const stored = state.findMessage(sent.chat_id, sent.message_id);
      if (!stored || sent.chat_id !== id) throw new Error(`user ${id} cannot see message ${sent.chat_id}/${sent.message_id}`);
      const buttons: InlineKeyboardButton[] = stored.message.reply_markup?.inline_keyboard.flat() ?? [];
      if (!buttons.some((b) => b.callback_data === callbackData)) {
        const available = buttons.map((b) => b.callback_data).filter(Boolean);
        throw new Error(`message ${sent.message_id} has no inline button with callback_data ${JSON.stringify(callbackData)}; it has ${JSON.stringify(available)}`);
      }
      return queueCallback(stored.message, callbackData);
    },

    lastMessage() {
      const stored = state.lastBotMessage(id);
      return stored ? state.snapshot(stored.method, stored) : undefined;
    },

    messages() {
      return state.sentLog.filter((m) => m.chat_id === id);
    },
  };
}

