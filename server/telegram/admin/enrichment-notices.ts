import type { Logger } from 'pino';
import { escapeHtml as e } from '../../../shared/html-escape.ts';
import { sleep } from '../../async/sleep.ts';
import type { BackgroundTask } from '../../tasks/background-task.ts';
import type { AdminMessenger } from '../held-admin-messages.ts';
import type { AdminPanelRepository } from './admin-panel-repository.ts';
import { callbackData } from './admin-ui.ts';

/** Tells the admin when the AI has finished a record added (or re-run) from the bot: a second message. */
export function createEnrichmentNotices(deps: { panel: AdminPanelRepository; adminMessages: AdminMessenger; logger: Logger; intervalMs?: number }): BackgroundTask {
  const interval = deps.intervalMs ?? 2000;
  return {
    name: 'admin-enrichment-notices',
    async run({ signal, succeeded }) {
      while (!signal.aborted) {
        for (const done of await deps.panel.finishedEnrichments()) {
          const lines = [
            done.state === 'done' ? `🤖 ИИ закончил пластинку <b>№${e(done.number)}</b> ${e(done.artist)} — ${e(done.title)}` : `⚠️ ИИ не смог описать №${e(done.number)} ${e(done.artist)} — ${e(done.title)}`,
            done.label || done.country ? `Лейбл: ${e(done.label ?? '—')}, страна: ${e(done.country ?? '—')}` : '',
            done.description ? `\n<i>${e(done.description)}</i>` : '',
          ].filter(Boolean);
          await deps.adminMessages
            .send(done.chat_id, lines.join('\n'), {
              reply_markup: { inline_keyboard: [[{ text: '💿 Карточка', callback_data: callbackData('r', done.number, 'v') }]] },
            })
            .catch((error: unknown) => deps.logger.warn({ err: (error as Error).message }, 'admin bot: enrichment notice not sent'));
        }
        succeeded();
        await sleep(interval, signal);
      }
    },
  };
}
