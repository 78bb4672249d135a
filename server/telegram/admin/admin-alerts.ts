import type { Logger } from 'pino';
import { escapeHtml as e } from '../../../shared/html-escape.ts';
import { formatDateRu } from '../../../shared/russian-format.ts';
import { sleep } from '../../async/sleep.ts';
import type { Database } from '../../db/database.ts';
import type { BackgroundTask } from '../../tasks/background-task.ts';
import type { AdminMessenger } from '../held-admin-messages.ts';

type Alert =
  | { kind: 'delivery_failed'; id: number; delivery_kind: string; chat_id: number; attempts: number; error: string }
  | { kind: 'ai_template'; id: number; number: number; title: string; artist: string }
  | { kind: 'sheet_rejected'; id: number; sync_kind: string; errors: number; at: string }
  | { kind: 'sheet_silent'; last_at: string; minutes: number };

export function alertText(a: Alert): string {
  switch (a.kind) {
    case 'delivery_failed':
      return `⚠️ <b>Сообщение не доставлено</b> после ${e(a.attempts)} попыток (${e(a.delivery_kind)}, чат ${e(a.chat_id)}): ${e(a.error || 'без описания')}`;
    case 'ai_template':
      return `🤖 Для №${e(a.number)} ${e(a.artist)} — ${e(a.title)} ИИ недоступен: описание из встроенного шаблона. Можно запустить заново в карточке: /record_${e(a.number)}`;
    case 'sheet_rejected':
      return `📄 Таблица прислала строки с ошибками (${e(a.errors)}, ${e(a.sync_kind)}): они не опубликованы, ошибки отмечены примечаниями в ячейках.`;
    case 'sheet_silent':
      return `📄 Таблица молчит с ${e(formatDateRu(a.last_at))} ${e(new Date(a.last_at).toISOString().slice(11, 16))} UTC — дольше ${e(a.minutes)} минут. Проверьте, что надстройка «Винил» подключена (меню «Винил»).`;
  }
}

/**
 * Admin alerts within a minute (the ones the database does not queue itself): read every 30 s
 * from admin_alerts_collect and sent to each admin. The sheet counts as silent after an hour:
 * its own schedule pulls every 5 minutes and reconciles every 30.
 */
export function createAdminAlerts(deps: { db: Database; adminMessages: AdminMessenger; adminIds: number[]; logger: Logger; intervalMs?: number; sheetSilenceMinutes?: number }): BackgroundTask {
  return {
    name: 'admin-alerts',
    async run({ signal, succeeded }) {
      while (!signal.aborted) {
        // Through read(): the marks are in no cached response and queue nothing.
        const alerts = await deps.db.read<Alert[]>('admin_alerts_collect', { p_sheet_silence_minutes: deps.sheetSilenceMinutes ?? 60 });
        for (const alert of alerts) {
          for (const chat_id of deps.adminIds) {
            await deps.adminMessages
              .send(chat_id, alertText(alert))
              .catch((error: unknown) => deps.logger.warn({ err: (error as Error).message, alert: alert.kind }, 'admin alert not sent'));
          }
        }
        succeeded();
        await sleep(deps.intervalMs ?? 30_000, signal);
      }
    },
  };
}
