import { recordsQuerySchema, type PublicRecord } from '../../../shared/catalog-contract.ts';
import { escapeHtml as e } from '../../../shared/html-escape.ts';
import { statusLabels, type ActiveStatus } from '../../../shared/record-status.ts';
import { greetingScreen, menuScreen, smalltalkScreen, unknownScreen } from './admin-menu.ts';
import type { AdminPanelDeps } from './admin-panel-deps.ts';
import { statusCodes, statusFromCode } from './admin-words.ts';
import { button, cutBytes, type ScreenSender } from './admin-ui.ts';
import { newSession, type Conversation } from './conversation-store.ts';
import { notificationsScreen, statisticsScreen } from './dashboard/statistics-screen.ts';
import { recognizeIntent } from './intents.ts';
import { createProcurementTaskActions } from './procurement/procurement-task-actions.ts';
import { sendAnalytics } from './analytics/send-analytics.ts';
import { createTemplateSettings } from './settings/template-settings.ts';
import { recordCardScreen, searchResultsScreen } from './records/record-card.ts';
import { historyPageSize, recordHistoryScreen } from './records/record-history-screen.ts';
import { outcomeText, type StatusChanger } from './status/status-change.ts';
import type { AddRecordWizard } from './wizard/add-record-wizard.ts';
import { checkAnswer, conditions } from './wizard/wizard-steps.ts';

const pageSize = 8;
const editableFields = { price: 'Цена', condition: 'Состояние' } as const;
type EditableField = keyof typeof editableFields;

/** The admin panel's screens and buttons other than the wizard: menu, search, card, status, dashboards. */
export function createAdminActions(deps: AdminPanelDeps & { wizard: AddRecordWizard; changeStatus: StatusChanger }) {
  const { conversations } = deps;
  const settings = createTemplateSettings({ panel: deps.panel, conversations });
  const taskAction = createProcurementTaskActions({ admin: deps.admin, catalog: deps.catalog });

  const search = async (ui: ScreenSender, query: string, offset: number, messageId?: number) => {
    if (query.trim() === '') return ui.send({ text: '🔍 Что ищем? Напишите название или исполнителя, например <code>Pink Floyd</code>.' });
    const page = await deps.catalog.search(recordsQuerySchema.parse({ search: query, status: 'all', limit: String(pageSize), offset: String(offset) }));
    // The query rides in the paging buttons' data, cut to what 64 bytes leave.
    const screen = searchResultsScreen(query, page, offset, pageSize, cutBytes(query, 64 - `a:sp:${offset + pageSize}:`.length));
    return messageId ? ui.edit(messageId, screen) : ui.send(screen);
  };

  const card = async (ui: ScreenSender, number: string) => {
    const record = await deps.catalog.get(number);
    if (!record) return ui.send({ text: `Пластинки №${e(number)} нет в каталоге.`, keyboard: [[button('🔍 Поиск', 'm', 'search'), button('🏠 Меню', 'm', 'menu')]] });
    return ui.send(recordCardScreen(record, deps.publicSiteUrl));
  };

  const confirmStatus = (ui: ScreenSender, r: PublicRecord, status: ActiveStatus) =>
    ui.send({
      text: `Отметить <b>№${e(r.number)} ${e(r.artist)} — ${e(r.title)}</b> как ${e(statusLabels[status])}?\nСейчас: ${e(statusLabels[r.status as ActiveStatus] ?? r.status)}`,
      keyboard: [[button('✅ Да', 'r', r.number, 'st', statusCodes[status]), button('✖️ Нет', 'm', 'menu')]],
    });

  /** «Abbey Road продана»: find the record, then ask before changing anything. */
  const statusIntent = async (ui: ScreenSender, query: string, status: ActiveStatus) => {
    if (query === '') {
      await conversations.save(ui.chatId, { flow: 'status_ask', session: newSession(), step: 'query', data: { status } });
      return ui.send({ text: `Какую пластинку отметить как ${e(statusLabels[status])}? Напишите номер или название.` });
    }
    if (/^\d{1,9}$/.test(query)) {
      const record = await deps.catalog.get(query);
      return record ? confirmStatus(ui, record, status) : ui.send({ text: `Пластинки №${e(query)} нет в каталоге.` });
    }
    const page = await deps.catalog.search(recordsQuerySchema.parse({ search: query, status: 'all', limit: '6' }));
    if (page.records.length === 0) return ui.send({ text: `Не нашёл «${e(query)}» в каталоге. Проверьте название или пришлите номер пластинки.` });
    if (page.records.length === 1) return confirmStatus(ui, page.records[0]!, status);
    return ui.send({
      text: `Нашлось несколько пластинок по «${e(query)}». Какую отметить как ${e(statusLabels[status])}?`,
      keyboard: [...page.records.map((r) => [button(`№${r.number} ${r.artist} — ${r.title}`.slice(0, 60), 'r', r.number, 'cf', statusCodes[status])]), [button('✖️ Отмена', 'm', 'menu')]],
    });
  };

  const menu = async (ui: ScreenSender, fromStart = false) => {
    const open = await conversations.get<unknown>(ui.chatId);
    const screen = menuScreen(fromStart ? 'Здравствуйте! Это панель управления магазином.' : undefined);
    // A wizard left open (a restart, a break): offer to go on where it stopped.
    if (open?.flow === deps.wizard.flow) screen.keyboard!.unshift([button('▶️ Продолжить добавление пластинки', 'w', open.session, 'r')]);
    return ui.send(screen);
  };

  const statistics = async (ui: ScreenSender) => ui.send(statisticsScreen(await deps.admin.statistics()));
  const notifications = async (ui: ScreenSender) => ui.send(notificationsScreen(await deps.admin.notifications()));
  const analytics = (ui: ScreenSender) => sendAnalytics(ui, { panel: deps.panel, charts: deps.charts });

  /** `r:<number>:<action>[:arg]` buttons of cards, lists and confirmations. */
  const recordAction = async (ui: ScreenSender, number: string, action: string, arg: string | undefined, messageId?: number): Promise<string | undefined> => {
    if (!/^\d{1,9}$/.test(number)) return 'Эта кнопка устарела';
    if (action === 'v') {
      await card(ui, number);
      return undefined;
    }
    const record = await deps.catalog.get(number);
    if (!record) return `Пластинки №${number} больше нет в каталоге`;
    switch (action) {
      case 'st': {
        const status = statusFromCode(arg ?? '');
        if (!status) return 'Эта кнопка устарела';
        const outcome = await deps.changeStatus(number, status);
        await ui.send(menuScreen(outcomeText(outcome)));
        return outcome.ok ? 'Готово' : 'Не получилось';
      }
      case 'cf': {
        const status = statusFromCode(arg ?? '');
        if (!status) return 'Эта кнопка устарела';
        await confirmStatus(ui, record, status);
        return undefined;
      }
      case 'ed': {
        if (arg !== 'price' && arg !== 'condition') return 'Эта кнопка устарела';
        await conversations.save(ui.chatId, { flow: 'edit_field', session: newSession(), step: arg, data: { number } });
        const hint = arg === 'price' ? 'Например: <code>4500</code>' : `Например: ${conditions.map((c) => `<code>${e(c)}</code>`).join(', ')}`;
        await ui.send({ text: `${editableFields[arg]} для №${e(number)} сейчас: ${e(record[arg] ?? '—')}. Напишите новое значение.\n${hint}`, keyboard: [[button('✖️ Отмена', 'm', 'menu')]] });
        return undefined;
      }
      case 'ai': {
        await deps.ai.createBatch([record.id], false, true);
        await deps.panel.watchEnrichment(record.id, ui.chatId);
        await ui.send({ text: `🤖 ИИ заново пишет описание №${e(number)}. Пришлю сообщение, когда закончит.` });
        return 'Поставлено в очередь';
      }
      case 'h': // from the card: a new message
      case 'hp': { // paging: the same message
        const offset = Number(arg ?? 0);
        if (!Number.isInteger(offset) || offset < 0 || offset > 995) return 'Эта кнопка устарела';
        const { changes } = await deps.audit.recordHistory(record.id, offset + historyPageSize + 1);
        const screen = recordHistoryScreen(record, changes, offset);
        await (action === 'hp' && messageId ? ui.edit(messageId, screen) : ui.send(screen));
        return undefined;
      }
      case 'of': {
        const result = await deps.offers.createForRecord(record.id);
        if ('error' in result) {
          await ui.send({ text: `Предложения по №${e(number)} не отправлены: пластинка должна быть 🟢 Available, с ценой.` });
          return 'Не отправлено';
        }
        await ui.send({ text: result.recipients > 0 ? `📨 Предложения по №${e(number)} уходят ${result.recipients} покупателям.` : `По №${e(number)} некому отправлять: все уже получили предложение или никто не ждёт.` });
        return 'Готово';
      }
      default:
        return 'Эта кнопка устарела';
    }
  };

  const onText = async (ui: ScreenSender, text: string) => {
    const intent = recognizeIntent(text);
    switch (intent.kind) {
      case 'greeting':
        return ui.send(greetingScreen(text));
      case 'smalltalk':
        return ui.send(smalltalkScreen(text));
      case 'menu':
        return menu(ui);
      case 'add':
        return deps.wizard.start(ui);
      case 'statistics':
        return statistics(ui);
      case 'analytics':
        return analytics(ui);
      case 'notifications':
        return notifications(ui);
      case 'settings':
        return settings.list(ui);
      case 'record_choice':
        return ui.send({ text: 'Что сделать с пластинкой?', keyboard: [[button('➕ Добавить', 'm', 'add'), button('🔍 Найти', 'm', 'search')]] });
      case 'record':
        return card(ui, String(intent.number));
      case 'search':
        return search(ui, intent.query, 0);
      case 'status':
        return statusIntent(ui, intent.query, intent.status);
      case 'unknown':
        return ui.send(unknownScreen());
    }
  };

  return {
    menu,
    search,
    card,
    statistics,
    notifications,
    analytics,
    onText,

    /** Text inside a short conversation: a field edit or «which record?». */
    async onConversationText(ui: ScreenSender, c: Conversation<Record<string, unknown>>, text: string) {
      await conversations.clear(ui.chatId);
      if (c.flow === 'edit_template') {
        const done = await settings.onText(ui, String(c.data.type), text);
        if (!done) await conversations.save(ui.chatId, c);
        return undefined;
      }
      if (c.flow === 'status_ask') return statusIntent(ui, text.replace(/^[#№]\s*/, ''), c.data.status as ActiveStatus);
      if (c.flow === 'edit_field' && (c.step === 'price' || c.step === 'condition')) {
        const field = c.step as EditableField;
        const checked = checkAnswer(field, text);
        const record = await deps.catalog.get(String(c.data.number));
        if (!record) return ui.send({ text: 'Этой пластинки больше нет в каталоге.' });
        if (!checked.ok) {
          await conversations.save(ui.chatId, c);
          return ui.send({ text: `❗ ${e(checked.message)}. Напишите ещё раз или нажмите «Отмена».`, keyboard: [[button('✖️ Отмена', 'm', 'menu')]] });
        }
        await deps.panel.updateFields(record.id, { [field]: checked.value });
        await ui.send({ text: `✅ ${editableFields[field]} №${e(record.number)}: ${e(checked.value)}` });
        return card(ui, String(record.number));
      }
      return onText(ui, text);
    },

    async onCallback(ui: ScreenSender, kind: string, parts: string[], messageId: number | undefined): Promise<string | undefined> {
      if (kind === 'm') {
        const item = parts[0];
        if (item === 'menu') {
          await conversations.clear(ui.chatId);
          await menu(ui);
        } else if (item === 'add') await deps.wizard.start(ui);
        else if (item === 'stats') await statistics(ui);
        else if (item === 'charts') await analytics(ui);
        else if (item === 'search') await ui.send({ text: '🔍 Напишите название, исполнителя или номер пластинки.' });
        else if (item === 'notif') await notifications(ui);
        else if (item === 'settings') {
          await conversations.clear(ui.chatId);
          await settings.list(ui);
        }
        else return 'Эта кнопка устарела';
        return undefined;
      }
      if (kind === 'r') return recordAction(ui, parts[0] ?? '', parts[1] ?? '', parts[2], messageId);
      if (kind === 't') return settings.onCallback(ui, parts[0] ?? '', parts.slice(1).join(':'));
      if (kind === 'pt') return taskAction(ui, parts[0] ?? '', parts[1] ?? '', messageId);
      if (kind === 'sp') {
        const offset = Number(parts[0]);
        if (!Number.isInteger(offset) || offset < 0) return 'Эта кнопка устарела';
        await search(ui, parts.slice(1).join(':'), offset, messageId);
        return undefined;
      }
      return 'Эта кнопка устарела';
    },
  };
}
