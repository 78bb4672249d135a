import type { Config } from '../config.ts';

const maxLength = 300;

/** Shapes of credentials that may end up inside an error message (a URL, a header echoed back). */
const credentialPatterns: RegExp[] = [
  /(?<!\d)\d{5,}:[A-Za-z0-9_-]{30,}/g, // a Telegram bot token (the Bot API URL carries it: /bot<token>/)
  /eyJ[\w-]+\.[\w-]+\.[\w-]+/g, // a JWT (Supabase's service-role and anon keys)
  /\bsb_(?:secret|publishable)_[\w-]+/g, // Supabase's new API keys
  /\bsk-[\w-]{16,}/g, // LLM provider keys
];

/** Every secret value in the configuration, so error messages can be cleaned of them. */
export function configSecrets(config: Config): string[] {
  const tg = config.telegram;
  return [
    tg?.token,
    tg?.mode === 'webhook' ? tg.webhookSecret : undefined,
    config.database.kind === 'supabase' ? config.database.serviceRoleKey : undefined,
    config.adminApiToken,
    config.sheet.secret,
    config.llm.primary?.apiKey,
    config.llm.fallback?.apiKey,
    config.metrics.token,
    config.backup.databaseUrl,
  ].filter((value): value is string => typeof value === 'string' && value.length >= 8);
}

/**
 * An error as one short line that can be shown on /health and sent to the admin: known secrets
 * and credential-shaped strings replaced by [redacted], cut to 300 characters.
 */
export function createSafeErrorMessage(secrets: string[]) {
  return (error: unknown): string => {
    let text = error instanceof Error ? error.message || error.name : String(error);
    if (error instanceof Error && error.name !== 'Error' && !text.startsWith(error.name)) text = `${error.name}: ${text}`;
    for (const secret of secrets) text = text.split(secret).join('[redacted]');
    for (const pattern of credentialPatterns) text = text.replace(pattern, '[redacted]');
    text = text.replace(/\s+/g, ' ').trim();
    return text.length > maxLength ? `${text.slice(0, maxLength - 1)}…` : text;
  };
}
