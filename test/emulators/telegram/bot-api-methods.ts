// Message-related Bot API methods. https://core.telegram.org/bots/api#available-methods
import type { InlineKeyboardMarkup, Message, MessageEntity, PhotoSize } from 'node-telegram-bot-api/types';
import { compact, type EmulatorState, type StoredFile, type StoredMessage } from './emulator-state.ts';
import { EntityParseError, parseHtml, trimParsed, type ParsedText } from './html-entities.ts';
import { badRequest, Params } from './http-io.ts';
import { numericId, sniffImage } from './media.ts';
import type { UpdateQueue } from './update-queue.ts';

export interface MethodContext {
  state: EmulatorState;
  queue: UpdateQueue;
  /** Aborted when the HTTP client disconnects. */
  signal: AbortSignal;
}

export type MethodHandler = (p: Params, ctx: MethodContext) => unknown;

/** Applies parse_mode (https://core.telegram.org/bots/api#formatting-options), then trims like the server. */
function formatted(state: EmulatorState, p: Params, field: 'text' | 'caption'): ParsedText & { raw: string; parseMode?: string } {
  const raw = p.str(field) ?? '';
  const parseMode = p.str('parse_mode') || undefined;
  const entitiesField = field === 'text' ? 'entities' : 'caption_entities';
  let parsed: ParsedText;
  const mode = parseMode?.toLowerCase();
  if (mode === undefined) {
    parsed = { text: raw, entities: p.json<MessageEntity[]>(entitiesField) ?? [] };
  } else if (mode === 'html') {
    try {
      parsed = parseHtml(raw, { strictEntities: state.strictHtmlEntities });
    } catch (err) {
      if (err instanceof EntityParseError) throw badRequest(`can't parse entities: ${err.message}`);
      throw err;
    }
  } else if (mode === 'markdown' || mode === 'markdownv2') {
    parsed = { text: raw, entities: [] }; // Markdown is stored verbatim, not validated.
  } else {
    throw badRequest('unsupported parse_mode');
  }
  return { ...trimParsed(parsed), raw, parseMode };
}

function validateText(t: ParsedText): void {
  if (t.text.length === 0) throw badRequest('message text is empty');
  // "Text of the message to be sent, 1-4096 characters after entities parsing" (sendMessage)
  if (t.text.length > 4096) throw badRequest('message is too long');
}

/** "0-1024 characters after entities parsing" (sendPhoto caption). */
function validateCaption(t: ParsedText): void {
  if (t.text.length > 1024) throw badRequest('message caption is too long');
}

/** Parses reply_markup; inline buttons are checked as the server does (callback_data is 1-64 bytes). */
function replyMarkup(p: Params): { raw?: unknown; inline?: InlineKeyboardMarkup } {
  const markup = p.json<Record<string, unknown>>('reply_markup', "can't parse reply keyboard markup JSON object");
  if (markup === undefined) return {};
  if (typeof markup !== 'object' || markup === null) throw badRequest("can't parse reply keyboard markup JSON object");
  if (!('inline_keyboard' in markup)) return { raw: markup };
  const rows = markup.inline_keyboard;
  if (!Array.isArray(rows) || !rows.every(Array.isArray)) {
    throw badRequest("can't parse inline keyboard button: InlineKeyboardMarkup must be an Array of Arrays");
  }
  for (const button of rows.flat() as Record<string, unknown>[]) {
    if (typeof button?.text !== 'string') throw badRequest(`can't parse inline keyboard button: Field "text" must be of type String`);
    const data = button.callback_data;
    if (data !== undefined && (typeof data !== 'string' || Buffer.byteLength(data) < 1 || Buffer.byteLength(data) > 64)) {
      throw badRequest('BUTTON_DATA_INVALID');
    }
    const actions = ['url', 'callback_data', 'web_app', 'login_url', 'switch_inline_query', 'switch_inline_query_current_chat',
      'switch_inline_query_chosen_chat', 'copy_text', 'callback_game', 'pay'].filter((k) => button[k] !== undefined);
    if (actions.length === 0) throw badRequest("can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard");
    if (typeof button.url === 'string' && !/^(https?|tg):\/\/\S+$/i.test(button.url)) throw badRequest('BUTTON_URL_INVALID');
  }
  return { raw: markup, inline: markup as unknown as InlineKeyboardMarkup };
}

/** reply_parameters (or the legacy reply_to_message_id) must point at an existing message. */
function replyTo(state: EmulatorState, p: Params, chatId: number): Message | undefined {
  const params = p.json<{ message_id?: number; allow_sending_without_reply?: boolean }>('reply_parameters');
  const id = params?.message_id ?? p.int('reply_to_message_id');
  if (id === undefined) return undefined;
  const target = state.findMessage(chatId, id);
  if (!target && !(params?.allow_sending_without_reply ?? p.bool('allow_sending_without_reply'))) {
    throw badRequest('message to be replied not found');
  }
  return target?.message;
}

function createMessage(ctx: MethodContext, method: string, chatId: number, fields: Partial<Message>, extra: Partial<StoredMessage>, limited = true): Message {
  const { state } = ctx;
  const rec = state.writableChat(chatId);
  // An album is one send for the flood limits: its first message takes the slot.
  if (limited) state.limiter?.take(chatId);
  const message = compact({
    message_id: state.newMessageId(chatId),
    from: state.bot,
    chat: state.privateChat(rec.user),
    date: state.unixNow(),
    ...fields,
  }) as Message;
  const stored: StoredMessage = { message, fromBot: true, method, deleted: false, ...extra };
  state.storeMessage(chatId, stored);
  state.record(state.snapshot(method, stored));
  return message;
}

const nonEmpty = <T>(list: T[]): T[] | undefined => (list.length > 0 ? list : undefined);

async function photoFile(state: EmulatorState, p: Params, value: unknown = undefined): Promise<StoredFile> {
  const photo = value === undefined ? p.file('photo') : p.fileValue(value);
  if (photo === undefined) throw badRequest('there is no photo in the request');
  if (typeof photo !== 'string') {
    const bytes = Buffer.from(await photo.arrayBuffer());
    const info = sniffImage(bytes);
    if (!info) throw badRequest('IMAGE_PROCESS_FAILED');
    return state.addFile({ bytes }, info);
  }
  const known = state.files.get(photo);
  if (known) return known;
  if (/^https?:\/\/\S+$/i.test(photo)) return state.addFile({ url: photo }, { mime: 'image/jpeg', ext: 'jpg', width: 0, height: 0 });
  throw badRequest('wrong file identifier/HTTP URL specified');
}

export const photoSize = (f: StoredFile): PhotoSize =>
  compact({ file_id: f.file_id, file_unique_id: f.file_unique_id, width: f.width, height: f.height, file_size: f.bytes?.length });

/** Shared by the edit methods: only the bot's own, existing messages can be edited. */
function editTarget(ctx: MethodContext, p: Params): StoredMessage {
  if (p.has('inline_message_id')) throw badRequest('MESSAGE_ID_INVALID');
  const chatId = ctx.state.chatIdParam(p);
  const messageId = p.int('message_id');
  if (messageId === undefined) throw badRequest('message identifier is not specified');
  ctx.state.writableChat(chatId);
  const stored = ctx.state.findMessage(chatId, messageId);
  if (!stored) throw badRequest('message to edit not found');
  if (!stored.fromBot) throw badRequest("message can't be edited");
  return stored;
}

function applyEdit(ctx: MethodContext, method: string, stored: StoredMessage, next: Message, extra: Partial<StoredMessage>): Message {
  const content = (m: Message) => JSON.stringify([m.text, m.entities, m.caption, m.caption_entities, m.reply_markup, m.photo?.at(-1)?.file_unique_id]);
  const before = content(stored.message);
  const after = content(next);
  if (before === after) {
    throw badRequest('message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message');
  }
  stored.message = compact({ ...next, edit_date: ctx.state.unixNow() });
  Object.assign(stored, extra);
  ctx.state.record(ctx.state.snapshot(method, stored));
  return stored.message;
}

export const messageMethods: Record<string, MethodHandler> = {
  sendMessage(p, ctx) {
    const chatId = ctx.state.chatIdParam(p);
    const text = formatted(ctx.state, p, 'text');
    validateText(text);
    const markup = replyMarkup(p);
    const reply_to_message = replyTo(ctx.state, p, chatId);
    return createMessage(ctx, 'sendMessage', chatId,
      { text: text.text, entities: nonEmpty(text.entities), reply_markup: markup.inline, reply_to_message },
      { raw_text: text.raw, parse_mode: text.parseMode, reply_markup: markup.raw });
  },

  async sendPhoto(p, ctx) {
    const chatId = ctx.state.chatIdParam(p);
    const caption = formatted(ctx.state, p, 'caption');
    validateCaption(caption);
    const markup = replyMarkup(p);
    const reply_to_message = replyTo(ctx.state, p, chatId);
    ctx.state.writableChat(chatId); // before storing an upload nobody will see
    const file = await photoFile(ctx.state, p);
    return createMessage(ctx, 'sendPhoto', chatId,
      { photo: [photoSize(file)], caption: caption.text || undefined, caption_entities: nonEmpty(caption.entities), reply_markup: markup.inline, reply_to_message },
      { raw_caption: p.str('caption'), parse_mode: caption.parseMode, reply_markup: markup.raw });
  },

  // https://core.telegram.org/bots/api#sendmediagroup : 2-10 items; the messages share a media_group_id.
  async sendMediaGroup(p, ctx) {
    const chatId = ctx.state.chatIdParam(p);
    const media = p.json<Array<{ type?: string; media?: unknown; caption?: string; parse_mode?: string }>>('media', "can't parse InputMedia JSON object");
    if (!Array.isArray(media)) throw badRequest("can't parse InputMedia JSON object");
    if (media.length < 2 || media.length > 10) throw badRequest('wrong number of media items specified: must include 2-10 items');
    ctx.state.writableChat(chatId);
    const files: StoredFile[] = [];
    const captions: Array<ParsedText & { raw: string; parseMode?: string }> = [];
    for (const item of media) {
      if (item?.type !== 'photo') throw badRequest('the emulator supports only photo albums');
      const caption = formatted(ctx.state, new Params({ caption: item.caption, parse_mode: item.parse_mode }), 'caption');
      validateCaption(caption);
      captions.push(caption);
      files.push(await photoFile(ctx.state, p, item.media));
    }
    const groupId = numericId();
    return files.map((file, i) =>
      createMessage(ctx, 'sendMediaGroup', chatId,
        { photo: [photoSize(file)], caption: captions[i]!.text || undefined, caption_entities: nonEmpty(captions[i]!.entities), media_group_id: groupId },
        { raw_caption: captions[i]!.raw || undefined, parse_mode: captions[i]!.parseMode }, i === 0));
  },

  // https://core.telegram.org/bots/api#editmessagemedia : a photo message gets a new photo (and caption).
  async editMessageMedia(p, ctx) {
    const media = p.json<{ type?: string; media?: unknown; caption?: string; parse_mode?: string }>('media', "can't parse InputMedia JSON object");
    if (media?.type !== 'photo') throw badRequest('the emulator supports only photos in editMessageMedia');
    const markup = replyMarkup(p);
    const stored = editTarget(ctx, p);
    if (!stored.message.photo) throw badRequest('there is no media in the message to edit');
    const caption = formatted(ctx.state, new Params({ caption: media.caption, parse_mode: media.parse_mode }), 'caption');
    validateCaption(caption);
    const file = await photoFile(ctx.state, p, media.media);
    const next = { ...stored.message, photo: [photoSize(file)], caption: caption.text || undefined, caption_entities: nonEmpty(caption.entities), reply_markup: markup.inline };
    return applyEdit(ctx, 'editMessageMedia', stored, next, { raw_caption: caption.raw || undefined, parse_mode: caption.parseMode, reply_markup: markup.raw });
  },

  editMessageText(p, ctx) {
    const text = formatted(ctx.state, p, 'text');
    validateText(text);
    const markup = replyMarkup(p);
    const stored = editTarget(ctx, p);
    if (stored.message.text === undefined) throw badRequest('there is no text in the message to edit');
    // Omitting reply_markup removes the inline keyboard, as on the real server.
    const next = { ...stored.message, text: text.text, entities: nonEmpty(text.entities), reply_markup: markup.inline };
    return applyEdit(ctx, 'editMessageText', stored, next, { raw_text: text.raw, parse_mode: text.parseMode, reply_markup: markup.raw });
  },

  editMessageCaption(p, ctx) {
    const caption = formatted(ctx.state, p, 'caption');
    validateCaption(caption);
    const markup = replyMarkup(p);
    const stored = editTarget(ctx, p);
    if (stored.message.text !== undefined) throw badRequest('there is no caption in the message to edit');
    const next = { ...stored.message, caption: caption.text || undefined, caption_entities: nonEmpty(caption.entities), reply_markup: markup.inline };
    return applyEdit(ctx, 'editMessageCaption', stored, next, { raw_caption: p.str('caption'), parse_mode: caption.parseMode, reply_markup: markup.raw });
  },

  editMessageReplyMarkup(p, ctx) {
    const markup = replyMarkup(p);
    const stored = editTarget(ctx, p);
    return applyEdit(ctx, 'editMessageReplyMarkup', stored, { ...stored.message, reply_markup: markup.inline }, { reply_markup: markup.raw });
  },

  deleteMessage(p, ctx) {
    const chatId = ctx.state.chatIdParam(p);
    const messageId = p.int('message_id');
    ctx.state.writableChat(chatId);
    const stored = messageId === undefined ? undefined : ctx.state.findMessage(chatId, messageId);
    if (!stored) throw badRequest('message to delete not found');
    stored.deleted = true;
    ctx.state.record({ method: 'deleteMessage', chat_id: chatId, message_id: stored.message.message_id, at: ctx.state.now() });
    return true;
  },

  sendChatAction(p, ctx) {
    const chatId = ctx.state.chatIdParam(p);
    const actions = ['typing', 'upload_photo', 'record_video', 'upload_video', 'record_voice', 'upload_voice',
      'upload_document', 'choose_sticker', 'find_location', 'record_video_note', 'upload_video_note'];
    if (!actions.includes(p.str('action') ?? '')) throw badRequest('wrong parameter action in request');
    ctx.state.writableChat(chatId);
    return true;
  },

  answerCallbackQuery(p, ctx) {
    const rec = ctx.state.callbacks.get(p.str('callback_query_id') ?? '');
    // A query can be answered once; unknown or repeated ids get the same error.
    if (!rec || rec.answered) throw badRequest('query is too old and response timeout expired or query ID is invalid');
    const text = p.str('text');
    if (text !== undefined && text.length > 200) throw badRequest('MESSAGE_TOO_LONG');
    rec.answered = true;
    rec.answer = compact({ text, show_alert: p.bool('show_alert') || undefined, url: p.str('url') });
    return true;
  },

  getFile(p, ctx) {
    const file = ctx.state.files.get(p.str('file_id') ?? '');
    if (!file) throw badRequest('invalid file_id');
    return compact({ file_id: file.file_id, file_unique_id: file.file_unique_id, file_size: file.bytes?.length, file_path: file.file_path });
  },
};
