import type { Bot, Context } from 'node-telegram-bot-api';
import { missingForSale } from '../../shared/record-fields.ts';
import type { AdminRepository } from '../admin/admin-repository.ts';
import type { CatalogRepository } from '../catalog/catalog-repository.ts';
import { adminTexts } from './admin-texts.ts';

const html = { parse_mode: 'HTML' as const, link_preview_options: { is_disabled: true } };

/**
 * The commands in the admin's procurement messages: /mark_found_<n> puts the record on sale
 * (its waiting customers get their offers), /view_details_<n> shows its demand. Only the
 * admin's Telegram ids may use them; anyone else gets a polite refusal and nothing changes.
 */
export function registerAdminCommandHandlers(
  bot: Bot,
  deps: { isAdmin(userId: number | undefined): boolean; catalog: CatalogRepository; admin: AdminRepository },
): void {
  const recordFor = async (ctx: Context) => {
    if (!deps.isAdmin(ctx.from?.id)) {
      await ctx.reply(adminTexts.adminOnly, html);
      return null;
    }
    const number = (ctx.match as RegExpMatchArray)[1]!;
    const record = await deps.catalog.get(number);
    if (!record) await ctx.reply(adminTexts.noRecord(number), html);
    return record;
  };

  bot.hears(/^\/mark_found_(\d{1,9})(?:@\w+)?$/, async (ctx) => {
    const record = await recordFor(ctx);
    if (!record) return;
    // On sale needs genre, condition and a price (an offer is a discount on it): the same rule as
    // the sheet and the admin API, so the admin fills them in the sheet first.
    const missing = missingForSale(record, 'available');
    if (missing.length > 0) {
      await ctx.reply(adminTexts.needsSaleFields(record, missing), html);
      return;
    }
    const result = await deps.admin.setStatus(record.id, { status: 'available', trigger_notifications: true });
    await ctx.reply(adminTexts.markedFound(record, result?.special_offers_created ?? 0), html);
  });

  bot.hears(/^\/view_details_(\d{1,9})(?:@\w+)?$/, async (ctx) => {
    const record = await recordFor(ctx);
    if (record) await ctx.reply(adminTexts.details(record), html);
  });
}
