import type { Api } from 'node-telegram-bot-api';
import type { InlineKeyboardButton } from 'node-telegram-bot-api/types';

/** What the admin is shown: Telegram HTML (every value escaped by its builder) and inline buttons. */
export interface Screen {
  text: string;
  keyboard?: InlineKeyboardButton[][];
}

/** Callback data of the admin panel: `a:` then short parts. Telegram allows 1-64 bytes. */
export function callbackData(...parts: Array<string | number>): string {
  const data = ['a', ...parts].join(':');
  if (Buffer.byteLength(data) > 64) throw new Error(`callback data over 64 bytes: ${data}`);
  return data;
}

export const button = (text: string, ...parts: Array<string | number>): InlineKeyboardButton => ({ text, callback_data: callbackData(...parts) });
export const urlButton = (text: string, url: string): InlineKeyboardButton => ({ text, url });

/** Cuts a text to at most `maxBytes` UTF-8 bytes without splitting a character (for callback data). */
export function cutBytes(text: string, maxBytes: number): string {
  let out = '';
  for (const ch of text) {
    if (Buffer.byteLength(out + ch) > maxBytes) break;
    out += ch;
  }
  return out;
}

const html = { parse_mode: 'HTML' as const, link_preview_options: { is_disabled: true } };

/** Sends and edits screens in one chat. */
export function screenSender(api: Api, chatId: number) {
  const markup = (s: Screen) => (s.keyboard && s.keyboard.length > 0 ? { reply_markup: { inline_keyboard: s.keyboard } } : {});
  return {
    chatId,
    api,
    send: (s: Screen) => api.sendMessage({ chat_id: chatId, text: s.text, ...html, ...markup(s) }),
    /** Replaces a message's text and buttons; falls back to a new message when it cannot be edited. */
    async edit(messageId: number, s: Screen) {
      try {
        return await api.editMessageText({ chat_id: chatId, message_id: messageId, text: s.text, ...html, ...markup(s) });
      } catch (error) {
        // "message is not modified" is success; a deleted or photo message gets a new one.
        if (/not modified/.test(String((error as Error).message))) return undefined;
        return api.sendMessage({ chat_id: chatId, text: s.text, ...html, ...markup(s) });
      }
    },
  };
}
export type ScreenSender = ReturnType<typeof screenSender>;
