import type { Bot, Context } from 'node-telegram-bot-api';
import type { CatalogRepository } from '../catalog/catalog-repository.ts';
import type { DemandRepository, Participant } from '../demand/demand-repository.ts';
import type { OffersRepository } from '../offers/offers-repository.ts';
import { customerTexts } from './customer-texts.ts';

export interface CustomerHandlerDeps {
  catalog: CatalogRepository;
  demand: DemandRepository;
  offers: OffersRepository;
}

const html = { parse_mode: 'HTML' as const, link_preview_options: { is_disabled: true } };

/** The person behind a private chat: verified by Telegram itself, reachable in this chat. */
function participantOf(ctx: Context): Participant | null {
  if (!ctx.from || ctx.chat?.type !== 'private') return null;
  return { key: `tg:${ctx.from.id}`, verified: true, chatId: ctx.chat.id, contact: ctx.from.username ? `@${ctx.from.username}` : null, source: 'telegram' };
}

/** Customer commands: /start want_<record>, /start buy_<record>, /my, /stop. */
export function registerCustomerHandlers(bot: Bot, deps: CustomerHandlerDeps): void {
  bot.command('start', async (ctx) => {
    const who = participantOf(ctx);
    if (!who) return;
    const payload = String(ctx.match ?? '').trim();
    const want = /^want_([0-9a-fA-F-]{1,36})$/.exec(payload);
    const buy = /^buy_([0-9a-fA-F-]{1,36})$/.exec(payload);
    if (want) {
      const record = await deps.catalog.get(want[1]!);
      const result = record ? await deps.demand.register(record.id, who) : null;
      await ctx.reply(result ? customerTexts.registered(result) : customerTexts.notFound, html);
      return;
    }
    if (buy) {
      const result = await deps.offers.reserve(buy[1]!, who.chatId!, who.contact);
      await ctx.reply(customerTexts.reserve(result), html);
      return;
    }
    await ctx.reply(customerTexts.welcome, html);
  });

  bot.command('my', async (ctx) => {
    if (ctx.chat?.type !== 'private' || ctx.chatId === undefined) return;
    await ctx.reply(customerTexts.my(await deps.demand.my(ctx.chatId)), html);
  });

  bot.command('stop', async (ctx) => {
    if (ctx.chat?.type !== 'private' || ctx.chatId === undefined) return;
    const { cancelled } = await deps.demand.stop(ctx.chatId);
    await ctx.reply(customerTexts.stopped(cancelled), html);
  });

  // The person blocked the bot: stop counting on reaching them (a later /start reactivates).
  bot.on('my_chat_member', async (ctx, next) => {
    const update = 'my_chat_member' in ctx.update ? ctx.update.my_chat_member : undefined;
    if (update?.chat.type === 'private' && update.new_chat_member.status === 'kicked') await deps.demand.markUnreachable(update.chat.id);
    return next();
  });
}
