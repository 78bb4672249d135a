import type { Bot, Context } from 'node-telegram-bot-api';
import type { BotFeature } from '../telegram-module.ts';
import { adminTexts } from '../admin-texts.ts';
import { menuScreen } from './admin-menu.ts';
import { screenSender, type ScreenSender } from './admin-ui.ts';
import type { AdminPanelDeps } from './admin-panel-deps.ts';
import { createAdminActions } from './admin-actions.ts';
import { markupFromEntities } from './settings/template-settings.ts';
import { createStatusChanger } from './status/status-change.ts';
import { createStatusCommands } from './status/status-commands.ts';
import { addRecordFlow, createAddRecordWizard, type IncomingPhoto } from './wizard/add-record-wizard.ts';
import type { WizardData } from './wizard/wizard-screens.ts';


const adminCommands = [
  { command: 'menu', description: 'Панель администратора' },
  { command: 'add', description: 'Добавить пластинку' },
  { command: 'search', description: 'Найти пластинку' },
  { command: 'status', description: 'Статус: /status 123 available' },
  { command: 'bulk_status', description: 'Статус многих: /bulk_status sold 101-105' },
  { command: 'stats', description: 'Статистика' },
  { command: 'analytics', description: 'Графики' },
  { command: 'notifications', description: 'Что ждёт внимания' },
  { command: 'settings', description: 'Шаблоны уведомлений' },
  { command: 'cancel', description: 'Прервать текущее действие' },
];

const commandPattern = /^\/([A-Za-z0-9_]{1,64})(?:@\w+)?(?:\s+([\s\S]*))?$/;

/**
 * The admin's side of the bot: one middleware in front of the customers' handlers. Admin
 * commands and every `a:` button from anyone else get a polite refusal and change nothing;
 * everything else from a non-admin goes on to the customers' handlers (next()). For the admin:
 * commands, then the open conversation (a wizard), then free text read as an intent.
 */
export function createAdminPanel(deps: AdminPanelDeps): BotFeature {
  const { conversations } = deps;
  const changeStatus = createStatusChanger({ catalog: deps.catalog, admin: deps.admin });
  const statusCommands = createStatusCommands({ changeStatus });
  const wizard = createAddRecordWizard({
    conversations,
    admin: deps.admin,
    catalog: deps.catalog,
    genres: () => deps.panel.genres(9),
    photoIntake: deps.photoIntake,
    photos: deps.photos,
    publicSiteUrl: deps.publicSiteUrl,
    onCreated: (chatId, record) => {
      deps.panel.watchEnrichment(record.id, chatId).catch((error: unknown) => deps.logger.warn({ err: error }, 'admin bot: enrichment watch failed'));
    },
  });
  const actions = createAdminActions({ ...deps, wizard, changeStatus });

  const commands: Record<string, (ui: ScreenSender, args: string) => Promise<unknown>> = {
    menu: (ui) => actions.menu(ui),
    add: (ui) => wizard.start(ui),
    search: (ui, args) => actions.search(ui, args, 0),
    status: (ui, args) => statusCommands.status(ui, args),
    bulk_status: (ui, args) => statusCommands.bulk(ui, args),
    stats: (ui) => actions.statistics(ui),
    analytics: (ui) => actions.analytics(ui),
    notifications: (ui) => actions.notifications(ui),
    settings: (ui) => actions.onCallback(ui, 'm', ['settings'], undefined),
    cancel: async (ui) => {
      await conversations.clear(ui.chatId);
      return ui.send(menuScreen('Хорошо, прервал. Ничего не сохранено.'));
    },
  };

  const refuse = (ctx: Context) =>
    ctx.callbackQuery
      ? ctx.answerCallbackQuery({ text: adminTexts.adminOnly, show_alert: true })
      : ctx.reply(adminTexts.adminOnly);

  const onCallback = async (ctx: Context, admin: boolean) => {
    if (!admin) return refuse(ctx);
    const ui = screenSender(ctx.api, ctx.callbackQuery!.message?.chat.id ?? ctx.from!.id);
    const [, kind = '', ...parts] = ctx.callbackQuery!.data!.split(':');
    const messageId = ctx.callbackQuery!.message?.message_id;
    let answer: string | undefined;
    if (kind === 'w') {
      const c = await conversations.get<WizardData>(ui.chatId);
      answer = await wizard.onCallback(ui, c, parts[0] ?? '', parts[1] ?? '', parts[2]);
    } else {
      answer = await actions.onCallback(ui, kind, parts, messageId);
    }
    await ctx.answerCallbackQuery(answer ? { text: answer } : {});
  };

  const onMessage = async (ctx: Context, ui: ScreenSender) => {
    const message = ctx.message!;
    const c = await conversations.get<Record<string, unknown>>(ui.chatId);
    const photo = incomingPhoto(message);
    if (photo) {
      if (c?.flow === addRecordFlow) return wizard.onPhoto(ui, c as never, photo);
      return ui.send(menuScreen('Фото получил, но не знаю, к какой пластинке оно. Чтобы добавить пластинку с фото, нажмите «➕ Добавить пластинку» — фото попрошу на шаге 7.'));
    }
    const text = message.text?.trim();
    if (!text) return ui.send(menuScreen('Пока понимаю только текст и фото.'));
    if (c?.flow === addRecordFlow) return wizard.onText(ui, c as never, text);
    // A template's text keeps the formatting the client turned into entities.
    if (c?.flow === 'edit_template') return actions.onConversationText(ui, c, markupFromEntities(message.text!, message.entities).trim());
    if (c) return actions.onConversationText(ui, c, text);
    return actions.onText(ui, text);
  };

  return {
    name: 'admin-panel',
    adminCommands,
    register(bot: Bot, { isAdmin }) {
      bot.use(async (ctx, next) => {
        // Only a private chat with an admin is the admin's panel: in a group anyone could press its buttons.
        const admin = isAdmin(ctx.from?.id) && (ctx.chat?.type ?? 'private') === 'private';
        const data = ctx.callbackQuery?.data;
        if (data?.startsWith('a:')) return onCallback(ctx, admin);
        if (!ctx.message) return next();
        const command = commandPattern.exec(ctx.message.text ?? '');
        if (command) {
          const name = command[1]!.toLowerCase();
          const args = (command[2] ?? '').trim();
          const record = /^record_(\d{1,9})$/.exec(name);
          // /start with a payload is a customer's deep link (want_/buy_), the admin's too.
          if (name === 'start') return admin && args === '' ? actions.menu(screenSender(ctx.api, ctx.chat!.id), true) : next();
          if (!record && !commands[name]) return next();
          if (!admin) return refuse(ctx);
          const ui = screenSender(ctx.api, ctx.chat!.id);
          return record ? actions.card(ui, record[1]!) : commands[name]!(ui, args);
        }
        if (!admin) return next();
        return onMessage(ctx, screenSender(ctx.api, ctx.chat!.id));
      });
    },
  };
}

/** A photo as a photo (largest size) or as a file; its type is checked by decoding, not by name or MIME. */
function incomingPhoto(message: NonNullable<Context['message']>): IncomingPhoto | null {
  const largest = message.photo?.at(-1);
  if (largest) return { fileId: largest.file_id, size: largest.file_size, mediaGroupId: message.media_group_id };
  if (message.document) return { fileId: message.document.file_id, size: message.document.file_size, mediaGroupId: message.media_group_id };
  return null;
}
