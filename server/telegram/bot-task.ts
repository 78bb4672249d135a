import type { Api, Bot } from 'node-telegram-bot-api';
import { longPoll, registerExpressWebhook } from 'node-telegram-bot-api';
import type { Logger } from 'pino';
import { untilAborted } from '../async/sleep.ts';
import type { TelegramConfig } from '../config.ts';
import type { BackgroundTask } from '../tasks/background-task.ts';

export interface BotCommand {
  command: string;
  description: string;
}
export interface WebhookHost {
  post(path: string, handler: (req: never, res: never) => unknown): unknown;
}

/**
 * Receiving updates: long polling as a background task, or a webhook route on the express app
 * that only accepts Telegram's X-Telegram-Bot-Api-Secret-Token (never the token in the URL).
 * Every completed getUpdates is a success; a failed one ends the run (the library's own retry is
 * off), so the supervisor's backoff and the admin's alert cover an unreachable Telegram too.
 */
export function createBotTask(deps: {
  bot: Bot;
  config: TelegramConfig;
  logger: Logger;
  app: WebhookHost;
  customerCommands: BotCommand[];
  adminCommands: BotCommand[];
}): BackgroundTask {
  const { bot, config, logger, customerCommands, adminCommands } = deps;
  if (config.mode === 'webhook') {
    registerExpressWebhook(bot, deps.app as never, { path: new URL(config.webhookUrl).pathname, secretToken: config.webhookSecret });
  }
  let commandsSet = false;
  return {
    name: 'telegram-bot',
    async run({ signal, succeeded }) {
      if (!commandsSet) {
        // The menu is a nicety: its failure is logged, not a reason to stop receiving updates.
        // Customers see theirs; each admin's private chat gets the admin commands on top.
        const menus = [
          bot.api.setMyCommands({ commands: customerCommands }, signal),
          ...config.adminIds.map((chat_id) =>
            bot.api.setMyCommands({ commands: [...adminCommands, ...customerCommands], scope: { type: 'chat', chat_id } }, signal),
          ),
        ];
        await Promise.all(menus).then(
          () => (commandsSet = true),
          (error: unknown) => logger.warn({ error: (error as Error).message }, 'telegram: setMyCommands failed'),
        );
      }
      if (config.mode === 'webhook') {
        await bot.api.setWebhook({ url: config.webhookUrl, secret_token: config.webhookSecret }, signal);
        succeeded();
        return untilAborted(signal);
      }
      // longPoll only calls getUpdates: count each completed one as a success. The run's first
      // poll does not wait (timeout 0), so a working connection shows at once instead of after
      // a 30 s long poll: the supervisor's start and a recovery both hear of it right away.
      let first = true;
      const counted = {
        getUpdates: async (params: Parameters<Api['getUpdates']>[0], pollSignal?: AbortSignal) => {
          const updates = await bot.api.getUpdates(first ? { ...params, timeout: 0 } : params, pollSignal);
          first = false;
          succeeded();
          return updates;
        },
      } as Api;
      // Ends when the signal aborts (the poll in flight is cancelled) or a poll fails.
      await bot.startPolling(longPoll(counted, { timeout: 30, retry: false }, signal));
    },
  };
}
