import { templateProblems } from '../../../../shared/notification-templates.ts';
import { escapeHtml as e } from '../../../../shared/html-escape.ts';
import { renderOfferTemplate } from '../../../offers/offer-template.ts';
import { menuScreen } from '../admin-menu.ts';
import type { AdminPanelRepository, NotificationTemplate } from '../admin-panel-repository.ts';
import { button, cutBytes, type Screen, type ScreenSender } from '../admin-ui.ts';
import { newSession, type ConversationStore } from '../conversation-store.ts';

const sample = {
  artist: 'Pink Floyd', title: 'The Wall', original_price: 6000, price: 4500, code: 'PRE-12-K7F3Q9XM2A',
  expires_at: new Date(Date.now() + 14 * 86_400_000).toISOString(), record_url: 'https://example.com/records/pink-floyd-the-wall',
};

/** Template types are short identifiers; the callback data carries them cut to fit. */
const typeArg = (type: string) => cutBytes(type, 40);

function listScreen(templates: NotificationTemplate[]): Screen {
  if (templates.length === 0) {
    return menuScreen('⚙️ Шаблонов уведомлений пока нет: они появятся после «Настроить листы» в таблице (лист «Настройки_уведомлений»).');
  }
  return {
    text: ['⚙️ <b>Шаблоны уведомлений</b>', '', ...templates.map((t) => `${t.active ? '🟢' : '⚪️'} <b>${e(t.type)}</b> — ${e(t.title || 'без заголовка')}`)].join('\n'),
    keyboard: [...templates.map((t) => [button(`${t.active ? '🟢' : '⚪️'} ${t.title || t.type}`.slice(0, 60), 't', 'v', typeArg(t.type))]), [button('🏠 Меню', 'm', 'menu')]],
  };
}

function templateScreen(t: NotificationTemplate, lead?: string): Screen {
  const head = [lead, `⚙️ <b>${e(t.title || t.type)}</b> (${e(t.type)}) — ${t.active ? '🟢 включён' : '⚪️ выключен'}`, '', '<b>Текст:</b>', `<pre>${e(t.body)}</pre>`]
    .filter((line) => line !== undefined).join('\n');
  const withPreview = `${head}\n\n<b>Так его увидит покупатель:</b>\n${renderOfferTemplate(t.body, sample)}`;
  // Telegram's limit is 4096 characters: a long template is shown without its preview, never cut mid-tag.
  return {
    text: withPreview.length <= 4000 ? withPreview : head,
    keyboard: [
      [button('✏️ Изменить текст', 't', 'e', typeArg(t.type)), button(t.active ? '⏸ Выключить' : '▶️ Включить', 't', 'a', typeArg(t.type))],
      [button('⬅️ Все шаблоны', 'm', 'settings'), button('🏠 Меню', 'm', 'menu')],
    ],
  };
}

/**
 * Telegram clients turn **bold** typed in a message into a bold entity and drop the asterisks:
 * put the template's markup back from the entities (offsets are UTF-16, as JS strings).
 */
export function markupFromEntities(text: string, entities: Array<{ type: string; offset: number; length: number; url?: string }> = []): string {
  const marks: Record<string, [string, string]> = { bold: ['**', '**'], strikethrough: ['~~', '~~'] };
  let out = text;
  for (const entity of [...entities].sort((a, b) => b.offset - a.offset)) {
    const inner = out.slice(entity.offset, entity.offset + entity.length);
    const wrap = entity.type === 'text_link' && entity.url ? [`[`, `](${entity.url})`] : marks[entity.type];
    if (wrap) out = out.slice(0, entity.offset) + wrap[0] + inner + wrap[1] + out.slice(entity.offset + entity.length);
  }
  return out;
}

/** ⚙️ Settings: the notification templates, viewed, edited (checked first) and switched on and off. */
export function createTemplateSettings(deps: { panel: AdminPanelRepository; conversations: ConversationStore }) {
  const find = async (type: string) => (await deps.panel.templates()).find((t) => typeArg(t.type) === type) ?? null;
  return {
    list: async (ui: ScreenSender) => ui.send(listScreen(await deps.panel.templates())),

    /** `t:<action>:<type>` buttons. */
    async onCallback(ui: ScreenSender, action: string, type: string): Promise<string | undefined> {
      const template = await find(type);
      if (!template) return 'Этого шаблона больше нет';
      if (action === 'v') {
        await ui.send(templateScreen(template));
        return undefined;
      }
      if (action === 'a') {
        const saved = await deps.panel.saveTemplate(template.type, null, !template.active);
        if (!saved) return 'Этого шаблона больше нет';
        await ui.send(templateScreen(saved, saved.active ? '▶️ Шаблон включён.' : '⏸ Шаблон выключен: предложения пойдут со встроенным текстом.'));
        return saved.active ? 'Включён' : 'Выключен';
      }
      if (action === 'e') {
        await deps.conversations.save(ui.chatId, { flow: 'edit_template', session: newSession(), step: 'body', data: { type: template.type } });
        await ui.send({
          text: `Пришлите новый текст шаблона «${e(template.title || template.type)}» одним сообщением.\nПодстановки: {artist}, {title}, {original_price}, {discount_price}, {discount_code}, {expires_date}, {record_url}. Разметка: **жирный**, ~~зачёркнутый~~, [текст](ссылка).`,
          keyboard: [[button('✖️ Отмена', 'm', 'settings')]],
        });
        return undefined;
      }
      return 'Эта кнопка устарела';
    },

    /** The new text of a template: refused with the reasons, or saved (and sent to the sheet). */
    async onText(ui: ScreenSender, type: string, body: string): Promise<boolean> {
      const problems = templateProblems(body);
      if (problems.length > 0) {
        await ui.send({ text: `❗ Не сохранил:\n${problems.map((p) => `• ${e(p)}`).join('\n')}\n\nИсправьте и пришлите текст ещё раз.`, keyboard: [[button('✖️ Отмена', 'm', 'settings')]] });
        return false;
      }
      const saved = await deps.panel.saveTemplate(type, body, null);
      if (!saved) {
        await ui.send(menuScreen('Этого шаблона больше нет в таблице.'));
        return true;
      }
      await ui.send(templateScreen(saved, '✅ Сохранил. Таблица обновится при следующей синхронизации.'));
      return true;
    },
  };
}
export type TemplateSettings = ReturnType<typeof createTemplateSettings>;
