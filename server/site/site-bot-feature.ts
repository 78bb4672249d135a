import { adminTexts } from '../telegram/admin-texts.ts';
import type { BotFeature } from '../telegram/telegram-module.ts';
import type { SiteBuilder } from './site-builder.ts';

const html = { parse_mode: 'HTML' as const };

/** The admin's /site_rebuild command: the static export rebuilt (fully) and the result told. */
export function createSiteBotFeature(deps: { builder: SiteBuilder }): BotFeature {
  return {
    name: 'site',
    adminCommands: [{ command: 'site_rebuild', description: 'Пересобрать сайт' }],
    register(bot, { isAdmin }) {
      bot.hears(/^\/site_rebuild(?:@\w+)?$/, async (ctx) => {
        if (!isAdmin(ctx.from?.id)) {
          await ctx.reply(adminTexts.adminOnly, html);
          return;
        }
        await ctx.reply('Пересобираю сайт…', html);
        try {
          const r = await deps.builder.build({ full: true, reason: 'bot' });
          const deploy = r.deployed === null ? '' : r.deployed ? '\nХостинг принял обновление.' : '\nХостинг не ответил на вызов деплоя: загляните в логи.';
          await ctx.reply(`Сайт собран за ${(r.ms / 1000).toFixed(1)} с: страниц и файлов ${r.rendered}, изменилось ${r.written}, удалено ${r.deleted}.${deploy}`, html);
        } catch {
          await ctx.reply('Не получилось собрать сайт. Подробности в логах сервера.', html);
        }
      });
    },
  };
}
