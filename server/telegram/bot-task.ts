import type { Bot } from 'node-telegram-bot-api';
import { registerExpressWebhook } from 'node-telegram-bot-api';
import type { Logger } from 'pino';
import type { TelegramConfig } from '../config.ts';
import type { BackgroundTask } from '../create-server.ts';

const customerCommands = [
  { command: 'my', description: 'Мои запросы и предложения' },
  { command: 'stop', description: 'Отписаться от уведомлений' },
];

/**
 * Receiving updates: long polling as a background task, or a webhook route on the express app
 * that only accepts Telegram's X-Telegram-Bot-Api-Secret-Token (never the token in the URL).
 */
export function createBotTask(deps: {
  bot: Bot;
  config: TelegramConfig;
  logger: Logger;
  app: { post(path: string, handler: (req: never, res: never) => unknown): unknown };
}): BackgroundTask {
  const { bot, config, logger } = deps;
  if (config.mode === 'webhook') {
    registerExpressWebhook(bot, deps.app as never, { path: new URL(config.webhookUrl).pathname, secretToken: config.webhookSecret });
  }
  let polling: Promise<void> | null = null;
  return {
    name: 'telegram-bot',
    async start() {
      await bot.api.setMyCommands({ commands: customerCommands }).catch((error: unknown) => logger.warn({ err: error }, 'telegram: setMyCommands failed'));
      if (config.mode === 'webhook') {
        await bot.api.setWebhook({ url: config.webhookUrl, secret_token: config.webhookSecret });
        return;
      }
      polling = bot.startPolling(undefined, {
        timeout: 30,
        onError: (error) => logger.warn({ err: error }, 'telegram: getUpdates failed, retrying'),
      }).catch((error: unknown) => logger.error({ err: error }, 'telegram: polling stopped'));
    },
    async stop() {
      if (bot.isRunning()) bot.stop();
      await polling;
    },
  };
}
