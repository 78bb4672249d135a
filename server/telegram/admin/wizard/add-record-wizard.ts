import { adminCreateRecordSchema } from '../../../../shared/demand-contract.ts';
import { escapeHtml as e } from '../../../../shared/html-escape.ts';
import type { AdminRepository } from '../../../admin/admin-repository.ts';
import type { CatalogRepository } from '../../../catalog/catalog-repository.ts';
import { menuScreen } from '../admin-menu.ts';
import type { ScreenSender } from '../admin-ui.ts';
import { newSession, type Conversation, type ConversationStore } from '../conversation-store.ts';
import type { PhotoIntake } from '../photos/photo-intake.ts';
import type { PhotoRepository } from '../photos/photo-repository.ts';
import { photoProblems, receivedText, stepScreen, summaryScreen, type WizardData } from './wizard-screens.ts';
import { checkAnswer, conditions, stepIndex, wizardSteps, type WizardField } from './wizard-steps.ts';
import { recordUrl as siteRecordUrl } from '../../../../site/site-urls.ts';

export const addRecordFlow = 'add_record';
type WizardConversation = Conversation<WizardData>;

/** Genres offered when the catalog has few of its own. */
const commonGenres = ['Rock', 'Jazz', 'Pop', 'Electronic', 'Classical', 'Hip-Hop', 'Soul', 'Blues', 'Метал'];

export interface IncomingPhoto {
  fileId: string;
  size: number | undefined;
  mediaGroupId: string | undefined;
}

/**
 * The add-record wizard: seven steps (title, artist, genre, year, condition, price, photo), a
 * summary with edit buttons, then the record is created through the admin API's own path
 * (admin_create_record: a row in the sheet's outbox, AI enrichment queued). Every step is saved
 * in admin_conversations, so a restart in the middle loses nothing.
 */
export function createAddRecordWizard(deps: {
  conversations: ConversationStore;
  admin: AdminRepository;
  catalog: CatalogRepository;
  genres: () => Promise<string[]>;
  photoIntake: PhotoIntake;
  photos: PhotoRepository;
  publicSiteUrl: string;
  /** Called with the new record, e.g. to tell the admin when its enrichment has finished. */
  onCreated?: (chatId: number, record: { id: string; number: number }) => void;
}) {
  const { conversations } = deps;
  const save = (chatId: number, c: WizardConversation) => conversations.save(chatId, c);

  const ask = async (ui: ScreenSender, c: WizardConversation, field: WizardField, received?: string) => {
    c.step = field;
    await save(ui.chatId, c);
    await ui.send(stepScreen(c.session, field, c.data, received));
  };
  const showSummary = async (ui: ScreenSender, c: WizardConversation, lead?: string, editMessage?: number) => {
    c.step = 'summary';
    c.data.editing = false;
    const screen = summaryScreen(c.session, c.data, lead);
    const sent = editMessage ? await ui.edit(editMessage, screen) : await ui.send(screen);
    if (sent && typeof sent === 'object' && 'message_id' in sent) c.data.summaryMessageId = sent.message_id;
    await save(ui.chatId, c);
  };
  /** After a valid answer: the next step, or the summary when editing or done. */
  const advance = async (ui: ScreenSender, c: WizardConversation, field: WizardField) => {
    const received = receivedText(field, c.data);
    const next = wizardSteps[stepIndex(field) + 1];
    if (c.data.editing || !next) return showSummary(ui, c, `✅ ${received}`);
    return ask(ui, c, next.field, received);
  };

  const acceptValue = async (ui: ScreenSender, c: WizardConversation, field: Exclude<WizardField, 'photo'>, text: string) => {
    const checked = checkAnswer(field, text);
    if (!checked.ok) {
      await ui.send({ text: `❗ ${e(checked.message)}. Попробуйте ещё раз.` });
      return ask(ui, c, field);
    }
    (c.data.values as Record<string, unknown>)[field] = checked.value;
    return advance(ui, c, field);
  };

  const finish = async (ui: ScreenSender, c: WizardConversation) => {
    const v = c.data.values;
    const parsed = adminCreateRecordSchema.safeParse({ ...v, photo_url: c.data.photos[0]?.cover_url, status: 'available' });
    if (!parsed.success) {
      const missing = parsed.error.issues.map((i) => wizardSteps.find((s) => s.field === i.path[0])?.label ?? String(i.path[0]));
      return showSummary(ui, c, `❗ Не хватает: ${e([...new Set(missing)].join(', '))}`);
    }
    const created = await deps.admin.createRecord(parsed.data);
    if (c.data.photos.length > 0) {
      await deps.photos.add(created.record_id, c.data.photos.map(({ phash, original_url, cover_url, thumb_url }) => ({ phash, original_url, cover_url, thumb_url })));
    }
    await conversations.clear(ui.chatId);
    const record = await deps.catalog.get(created.record_id);
    const link = siteRecordUrl(deps.publicSiteUrl, { number: created.number, slug: record?.slug });
    const lines = [
      `✅ Пластинка <b>№${e(created.number)}</b> сохранена: ${e(v.artist)} — ${e(v.title)}`,
      `Страница: <a href="${e(link)}">${e(link)}</a>`,
      'Строка добавится в таблицу при следующей синхронизации.',
      created.ai_enrichment_queued ? '🤖 ИИ пишет описание — пришлю сообщение, когда закончит.' : '',
    ].filter(Boolean);
    deps.onCreated?.(ui.chatId, { id: created.record_id, number: created.number });
    await ui.send(menuScreen(lines.join('\n')));
  };

  return {
    flow: addRecordFlow,

    async start(ui: ScreenSender) {
      const genres = [...new Set([...(await deps.genres()), ...commonGenres])].slice(0, 9);
      const c: WizardConversation = { flow: addRecordFlow, session: newSession(), step: 'title', data: { values: {}, photos: [], genres } };
      await ask(ui, c, 'title', 'Добавляем новую пластинку.');
    },

    async onText(ui: ScreenSender, c: WizardConversation, text: string) {
      const field = c.step;
      if (field === 'summary') return showSummary(ui, c, 'Нажмите «Сохранить» или кнопку поля, которое нужно исправить.');
      if (field === 'photo') {
        await ui.send({ text: 'Жду фото (JPG или PNG). Если фото нет — нажмите «Пропустить».' });
        return ask(ui, c, 'photo');
      }
      return acceptValue(ui, c, field as Exclude<WizardField, 'photo'>, text);
    },

    async onPhoto(ui: ScreenSender, c: WizardConversation, photo: IncomingPhoto) {
      if (c.step !== 'photo' && c.step !== 'summary') {
        await ui.send({ text: 'Фото пригодится на шаге 7. Сейчас ответьте на вопрос выше.' });
        return ask(ui, c, c.step as WizardField);
      }
      const result = await deps.photoIntake.fromTelegram(photo.fileId, photo.size);
      // The intake may take a moment: read the state again so a photo of the same album handled
      // meanwhile is not lost (updates are handled one at a time, but be safe across restarts).
      const fresh = (await conversations.get<WizardData>(ui.chatId)) ?? c;
      if (fresh.session !== c.session) return;
      if (!result.ok) {
        await ui.send({ text: `❗ ${photoProblems[result.reason]}` });
        return fresh.step === 'photo' ? ask(ui, fresh, 'photo') : undefined;
      }
      const match = result.matches[0];
      fresh.data.photos.push({ ...result.photo, ...(match ? { duplicateOf: { number: match.number, title: match.title, artist: match.artist } } : {}) });
      // The photos of one album arrive as separate messages: they edit one summary.
      const sameAlbum = photo.mediaGroupId !== undefined && photo.mediaGroupId === fresh.data.photoGroup && fresh.data.summaryMessageId;
      fresh.data.photoGroup = photo.mediaGroupId;
      const lead = `✅ Фото получено (${fresh.data.photos.length}). Первое станет обложкой.`;
      return showSummary(ui, fresh, lead, sameAlbum ? fresh.data.summaryMessageId : undefined);
    },

    /** A wizard button; returns the text of the callback answer. */
    async onCallback(ui: ScreenSender, c: WizardConversation | null, session: string, action: string, arg: string | undefined): Promise<string | undefined> {
      if (!c || c.flow !== addRecordFlow || c.session !== session) return 'Это сообщение устарело: мастер уже закрыт или начат заново.';
      const field = c.step as WizardField | 'summary';
      switch (action) {
        case 'x':
          await conversations.clear(ui.chatId);
          await ui.send(menuScreen('Добавление отменено, ничего не сохранено.'));
          return 'Отменено';
        case 'b': {
          const previous = field === 'summary' ? wizardSteps.at(-1) : wizardSteps[stepIndex(field) - 1];
          if (!previous) return 'Это первый шаг';
          await ask(ui, c, previous.field);
          return undefined;
        }
        case 's': {
          const step = wizardSteps.find((s) => s.field === field);
          if (!step?.optional) return 'Этот шаг нельзя пропустить';
          if (field !== 'photo') (c.data.values as Record<string, unknown>)[field] = null;
          await advance(ui, c, step.field);
          return 'Пропущено';
        }
        case 'g':
        case 'c': {
          const list = action === 'g' ? c.data.genres : conditions;
          const value = list[Number(arg)];
          const target = action === 'g' ? 'genre' : 'condition';
          if (value === undefined || field !== target) return 'Эта кнопка уже не к месту';
          await acceptValue(ui, c, target, value);
          return value;
        }
        case 'e': {
          const step = wizardSteps[Number(arg)];
          if (!step) return 'Нет такого поля';
          c.data.editing = true;
          if (step.field === 'photo') {
            c.data.photos = [];
            c.data.photoGroup = undefined;
          }
          await ask(ui, c, step.field);
          return undefined;
        }
        case 'sum':
          await showSummary(ui, c);
          return undefined;
        case 'r':
          // Resume after a break or a restart: the question where it stopped.
          if (field === 'summary') await showSummary(ui, c);
          else await ask(ui, c, field);
          return undefined;
        case 'dk':
        case 'dd': {
          const index = Number(arg);
          const photo = c.data.photos[index];
          if (!photo?.duplicateOf) return 'Уже решено';
          if (action === 'dk') delete photo.duplicateOf;
          else c.data.photos.splice(index, 1);
          await showSummary(ui, c, action === 'dk' ? 'Оставил фото: это другой экземпляр.' : 'Фото убрано.');
          return 'Готово';
        }
        case 'v':
          if (field !== 'summary') return 'Сначала ответьте на вопросы мастера';
          await finish(ui, c);
          return 'Сохранено';
        default:
          return 'Эта кнопка устарела';
      }
    },
  };
}
export type AddRecordWizard = ReturnType<typeof createAddRecordWizard>;
