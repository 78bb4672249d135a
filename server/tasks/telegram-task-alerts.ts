import type { Logger } from 'pino';
import { escapeHtml as e } from '../../shared/html-escape.ts';
import type { AdminMessenger } from '../telegram/held-admin-messages.ts';
import type { TaskAlerts, TaskStatus } from './task-supervisor.ts';

/** What each task does, in the admin's words; a task missing here is shown by its name alone. */
const taskLabels: Record<string, string> = {
  'telegram-delivery': 'отправка сообщений в Telegram (предложения, уведомления)',
  'telegram-bot': 'приём сообщений бота',
  'ai-queue-worker': 'очередь ИИ-описаний',
  'offers-scheduler': 'сроки предложений и броней, сводки администратору',
  'statistics-refresher': 'обновление статистики поиска',
  'offer-settings': 'настройки предложений',
};

const label = (name: string) => (taskLabels[name] ? `${e(taskLabels[name])} (<code>${e(name)}</code>)` : `<code>${e(name)}</code>`);

function duration(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  return minutes < 1 ? 'меньше минуты' : `${minutes} мин`;
}

/** Telegram HTML for the admin: a task keeps failing. */
export function taskFailingText(status: TaskStatus, now: number): string {
  return [
    `⚠️ <b>Сбой фоновой задачи</b>: ${label(status.name)}`,
    `Не работает ${duration(now - (status.failingSince ?? now))}, сбоев подряд: ${status.failuresInRow}. Сервер перезапускает её сам, с растущими паузами.`,
    `Последняя ошибка: <code>${e(status.lastError ?? 'неизвестна')}</code>`,
    'Напишу, когда она снова заработает.',
  ].join('\n');
}

/** Telegram HTML for the admin: the task works again. */
export function taskRecoveredText(status: TaskStatus, episode: { failures: number; since: number }, now: number): string {
  return [`✅ <b>Фоновая задача снова работает</b>: ${label(status.name)}`, `Перерыв: ${duration(now - episode.since)}, сбоев: ${episode.failures}.`].join('\n');
}

/**
 * Tells the admins (ADMIN_TELEGRAM_ID) straight through the Bot API, not through the delivery
 * queue in the database: the queue, or the database itself, may be what is failing. Best effort:
 * a message that cannot be sent is logged and not retried (the next episode sends again); one
 * refused because the admin has not pressed Start yet is held for that /start (the admin messenger).
 */
export function createTelegramTaskAlerts(deps: {
  adminMessages: AdminMessenger;
  adminIds: number[];
  logger: Logger;
  describeError: (error: unknown) => string;
  now?: () => number;
}): TaskAlerts {
  const now = deps.now ?? Date.now;
  const send = async (text: string, task: string) => {
    await Promise.all(
      deps.adminIds.map((chatId) =>
        deps.adminMessages
          .send(chatId, text, { link_preview_options: { is_disabled: true } })
          .catch((error: unknown) => deps.logger.warn({ task, chat: chatId, error: deps.describeError(error) }, 'could not tell the admin about a background task')),
      ),
    );
  };
  return {
    failing: (status) => send(taskFailingText(status, now()), status.name),
    recovered: (status, episode) => send(taskRecoveredText(status, episode, now()), status.name),
  };
}
