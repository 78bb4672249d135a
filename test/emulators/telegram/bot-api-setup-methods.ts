// Bot-level methods: identity, getting updates, webhooks, commands.
// https://core.telegram.org/bots/api#getting-updates and #available-methods
import type { BotCommand } from 'node-telegram-bot-api/types';
import { badRequest } from './http-io.ts';
import type { MethodHandler } from './bot-api-methods.ts';

/** Storage key of a command list: "scope type[:chat_id]|language_code" (setMyCommands docs). */
export function commandsKey(scope: { type?: string; chat_id?: number | string; user_id?: number } | undefined, lang: string | undefined): string {
  const type = scope?.type ?? 'default';
  const target = [scope?.chat_id, scope?.user_id].filter((v) => v !== undefined).join(':');
  return `${type}${target ? `:${target}` : ''}|${lang ?? ''}`;
}

export const setupMethods: Record<string, MethodHandler> = {
  getMe(_p, { state }) {
    return {
      ...state.bot,
      can_join_groups: true,
      can_read_all_group_messages: false,
      supports_inline_queries: false,
      can_connect_to_business: false,
      has_main_web_app: false,
    };
  },

  getUpdates(p, { queue, signal }) {
    queue.setAllowed(p.json<string[]>('allowed_updates'));
    return queue.getUpdates({ offset: p.int('offset'), limit: p.int('limit'), timeout: p.int('timeout') }, signal);
  },

  setWebhook(p, { queue }) {
    const url = p.str('url') ?? '';
    const drop = p.bool('drop_pending_updates');
    queue.setAllowed(p.json<string[]>('allowed_updates'));
    // "Use an empty string to remove webhook integration"
    if (url === '') {
      queue.deleteWebhook(drop);
      return true;
    }
    // The real server insists on HTTPS and ports 443/80/88/8443; plain http on
    // loopback is accepted here because tests run their receiver locally.
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw badRequest('bad webhook: invalid webhook URL specified');
    }
    if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') throw badRequest('bad webhook: unsupported URL protocol');
    const secret = p.str('secret_token');
    // "1-256 characters. Only characters A-Z, a-z, 0-9, _ and - are allowed."
    if (secret !== undefined && secret !== '' && !/^[A-Za-z0-9_-]{1,256}$/.test(secret)) {
      throw badRequest('secret token contains unallowed characters');
    }
    const maxConnections = p.int('max_connections');
    if (maxConnections !== undefined && (maxConnections < 1 || maxConnections > 100)) throw badRequest('bad webhook: invalid max_connections');
    queue.setWebhook({ url, secret_token: secret || undefined, max_connections: maxConnections }, drop);
    return true;
  },

  deleteWebhook(p, { queue }) {
    queue.deleteWebhook(p.bool('drop_pending_updates'));
    return true;
  },

  getWebhookInfo(_p, { queue }) {
    return queue.webhookInfo();
  },

  setMyCommands(p, { state }) {
    const commands = p.json<BotCommand[]>('commands', "can't parse commands JSON object");
    if (!Array.isArray(commands)) throw badRequest('commands must be an Array');
    if (commands.length > 100) throw badRequest('too many commands specified');
    for (const c of commands) {
      // "Text of the command; 1-32 characters. Can contain only lowercase English letters, digits and underscores."
      if (typeof c?.command !== 'string' || !/^[a-z0-9_]{1,32}$/.test(c.command.replace(/^\//, ''))) throw badRequest('BOT_COMMAND_INVALID');
      // "Description of the command; 1-256 characters."
      if (typeof c.description !== 'string' || c.description.trim().length < 1 || c.description.length > 256) {
        throw badRequest('command description must be non-empty');
      }
    }
    const key = commandsKey(p.json('scope'), p.str('language_code'));
    if (commands.length === 0) state.commands.delete(key);
    else state.commands.set(key, commands.map((c) => ({ command: c.command.replace(/^\//, ''), description: c.description })));
    return true;
  },

  getMyCommands(p, { state }) {
    return state.commands.get(commandsKey(p.json('scope'), p.str('language_code'))) ?? [];
  },

  deleteMyCommands(p, { state }) {
    state.commands.delete(commandsKey(p.json('scope'), p.str('language_code')));
    return true;
  },

  // The emulator has nothing to migrate; both just succeed.
  close: () => true,
  logOut: () => true,
};
