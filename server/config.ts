import path from 'node:path';
import { z } from 'zod';
import { serviceKeyProblem } from './db/supabase-keys.ts';

/**
 * The whole configuration: one zod schema over the environment, parsed once by main.ts.
 * Nothing else reads process.env. Every variable is described in .env.example.
 */

const llmProviders = ['openai', 'qwen', 'yandexgpt', 'claude', 'groq', 'ollama', 'custom'] as const;
export type LlmProviderName = (typeof llmProviders)[number];

/** Where each OpenAI-compatible provider lives and which model it answers with by default. */
const llmDefaults: Record<LlmProviderName, { prefix: string; baseUrl?: string; model?: string; needsKey: boolean }> = {
  openai: { prefix: 'OPENAI', baseUrl: 'https://api.openai.com/v1', model: 'gpt-4o-mini', needsKey: true },
  qwen: { prefix: 'QWEN', baseUrl: 'https://dashscope-intl.aliyuncs.com/compatible-mode/v1', model: 'qwen-plus', needsKey: true },
  yandexgpt: { prefix: 'YANDEXGPT', baseUrl: 'https://llm.api.cloud.yandex.net/v1', needsKey: true },
  claude: { prefix: 'CLAUDE', baseUrl: 'https://api.anthropic.com/v1/', model: 'claude-sonnet-4-5', needsKey: true },
  groq: { prefix: 'GROQ', baseUrl: 'https://api.groq.com/openai/v1', model: 'llama-3.3-70b-versatile', needsKey: true },
  ollama: { prefix: 'OLLAMA', baseUrl: 'http://127.0.0.1:11434/v1', model: 'qwen2.5:7b', needsKey: false },
  custom: { prefix: 'CUSTOM_LLM', needsKey: false },
};

const optionalText = z.string().trim().min(1).optional();
const url = z.url({ protocol: /^https?$/ });
const port = z.coerce.number().int().min(0).max(65535);
const bool = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');

const envSchema = z.object({
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  // journal: syslog priorities for journald; unset: journal when systemd connects stdout to the journal.
  LOG_FORMAT: z.enum(['json', 'journal']).optional(),
  JOURNAL_STREAM: z.string().optional(),
  API_HOST: z.string().min(1).default('0.0.0.0'),
  API_PORT: port.default(8000),
  PUBLIC_SITE_URL: url.default('http://localhost:8000'),
  // Behind nginx or a platform proxy, per-IP rate limits need the client's address from
  // X-Forwarded-For: a hop count, true, or the proxies' addresses (express's "trust proxy").
  TRUST_PROXY: z
    .string()
    .regex(/^(true|false|\d{1,2}|[\d.:a-f/, ]+|loopback|linklocal|uniquelocal)$/i, 'expected true, false, a hop count or proxy addresses')
    .transform((v): boolean | number | string => (v === 'true' ? true : v === 'false' ? false : /^\d+$/.test(v) ? Number(v) : v))
    .default(false),
  // On SIGTERM, how long requests in flight may take to finish before their connections are cut
  // (Docker waits 10 s before SIGKILL: stopping the tasks and the database needs the rest).
  SHUTDOWN_GRACE_SECONDS: z.coerce.number().min(0).max(300).default(8),
  DATA_DIR: z.string().min(1).default('./data'),
  // Where this server is reached from outside: record photos on the embedded default are served
  // at PUBLIC_API_URL/media/… (their URL goes into the sheet's ФОТО_URL and the website).
  PUBLIC_API_URL: url.default('http://localhost:8000'),
  // On Supabase, record photos go into this public Storage bucket (created when missing).
  // The font of the admin bot's charts: it must have Cyrillic (Debian: fonts-dejavu-core).
  CHART_FONT_FILE: z.string().min(1).default('/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf'),
  PHOTO_BUCKET: z.string().regex(/^[a-z0-9][a-z0-9._-]{2,62}$/, 'lower-case letters, digits, dots, dashes; 3-63 characters').default('record-photos'),
  // Unset: the demo catalog goes into an empty embedded database, never into Supabase (a
  // production project must not greet its first customers with 36 demo records).
  LOAD_DEMO_CATALOG: bool.optional(),
  CACHE_TTL: z.coerce.number().int().min(0).max(86_400).default(600),

  SUPABASE_URL: url.optional(),
  SUPABASE_SERVICE_ROLE_KEY: optionalText,
  // The same key under the name new projects give it (sb_secret_…); either variable works.
  SUPABASE_SECRET_KEY: optionalText,

  TELEGRAM_BOT_TOKEN: z.string().regex(/^\d+:[\w-]+$/, 'expected the token @BotFather gave, like 123456:ABC-DEF').optional(),
  ADMIN_TELEGRAM_ID: z
    .string()
    .regex(/^\d+(\s*,\s*\d+)*$/, 'expected numeric Telegram ids separated by commas')
    .transform((v) => v.split(',').map((id) => Number(id.trim())))
    .optional(),
  TELEGRAM_BOT_USERNAME: optionalText,
  TELEGRAM_WEBHOOK_URL: url.optional(),
  TELEGRAM_WEBHOOK_SECRET: z.string().regex(/^[A-Za-z0-9_-]{16,256}$/, '16-256 characters of A-Z a-z 0-9 _ -').optional(),
  TELEGRAM_API_ROOT: url.default('https://api.telegram.org'),
  TELEGRAM_RATE_PER_SECOND: z.coerce.number().min(1).max(1000).default(30),

  ADMIN_API_TOKEN: z.string().min(24, 'use at least 24 random characters').optional(),

  SHEET_SECRET: z.string().min(24, 'use at least 24 random characters').optional(),
  SPREADSHEET_URL: url.optional(),
  GOOGLE_CREDENTIALS_FILE: optionalText,

  LLM_PROVIDER: z.enum(llmProviders).optional(),
  LLM_FALLBACK_PROVIDER: z.enum(llmProviders).optional(),
  LLM_TIMEOUT_MS: z.coerce.number().int().min(1000).max(600_000).default(60_000),
  // 0: this instance queues AI jobs but leaves them to another instance's worker.
  AI_CONCURRENCY: z.coerce.number().int().min(0).max(64).default(2),

  // Operations (issue 11): Prometheus metrics, and the embedded database's daily backup.
  METRICS_ENABLED: bool.default(true),
  METRICS_TOKEN: z.string().min(24, 'use at least 24 random characters').optional(),
  BACKUP_DIR: optionalText,
  BACKUP_KEEP: z.coerce.number().int().min(1).max(1000).default(7),
  BACKUP_INTERVAL_HOURS: z.coerce.number().min(1).max(24 * 30).default(24),
  // Supabase's direct connection string (Project Settings → Database), only for npm run backup.
  SUPABASE_DB_URL: z.string().regex(/^postgres(ql)?:\/\//, 'expected postgresql://user:password@host:5432/postgres').optional(),

  DISCOUNT_PERCENT: z.coerce.number().int().min(1).max(90).default(25),
  OFFER_TTL_DAYS: z.coerce.number().int().min(1).max(365).default(14),
  RESERVATION_DAYS: z.coerce.number().int().min(1).max(365).default(14),
  // After offers go out only their holders may reserve the copy, for this long.
  OFFER_EXCLUSIVE_HOURS: z.coerce.number().int().min(0).max(720).default(48),
  // Active reservations one person may hold at a time.
  RESERVATION_LIMIT: z.coerce.number().int().min(1).max(50).default(2),
  // Demand limits that hold across addresses (docs/demand-and-offers.md, "Limits").
  DEMAND_PER_PERSON_PER_DAY: z.coerce.number().int().min(1).max(10_000).default(20),
  DEMAND_UNVERIFIED_PER_TITLE_PER_HOUR: z.coerce.number().int().min(1).max(10_000).default(20),
  DEMAND_NEW_TITLES_PER_HOUR: z.coerce.number().int().min(1).max(100_000).default(30),
  DEMAND_UNVERIFIED_PER_HOUR: z.coerce.number().int().min(1).max(1_000_000).default(300),

  // The store website (server/site, docs/website.md).
  SITE_NAME: z.string().trim().min(1).max(60).default('Винил-лавка'),
  SITE_EXPORT_DIR: optionalText,
  SITE_API_URL: url.optional(),
  SITE_DEPLOY_HOOK_URL: url.optional(),
});

type Env = z.infer<typeof envSchema>;

export interface LlmProviderConfig {
  name: LlmProviderName;
  apiKey: string;
  model: string;
  baseUrl: string;
  /** Yandex needs the cloud folder in the model URI (gpt://<folder>/yandexgpt/latest). */
  folderId?: string;
}

export type DatabaseConfig =
  | { kind: 'pglite'; dataDir: string }
  | { kind: 'supabase'; url: string; serviceRoleKey: string };

export type TelegramConfig = {
  token: string;
  adminIds: number[];
  botUsername?: string;
  apiRoot: string;
  ratePerSecond: number;
} & ({ mode: 'polling' } | { mode: 'webhook'; webhookUrl: string; webhookSecret: string });

export interface Config {
  logLevel: Env['LOG_LEVEL'];
  logFormat: 'json' | 'journal';
  http: { host: string; port: number; trustProxy: boolean | number | string; shutdownGraceMs: number };
  publicSiteUrl: string;
  dataDir: string;
  loadDemoCatalog: boolean;
  cacheTtlSeconds: number;
  database: DatabaseConfig;
  telegram: TelegramConfig | null;
  adminApiToken: string | null;
  sheet: { secret: string | null; spreadsheetUrl: string | null };
  llm: { primary: LlmProviderConfig | null; fallback: LlmProviderConfig | null; timeoutMs: number; concurrency: number };
  offers: { discountPercent: number; ttlDays: number; reservationDays: number; exclusiveHours: number; reservationLimit: number };
  demand: { perPersonPerDay: number; unverifiedPerTitlePerHour: number; newTitlesPerHour: number; unverifiedPerHour: number };
  metrics: { enabled: boolean; token: string | null };
  /** Periodic backups of the embedded database into `dir` (off when dir is null). */
  backup: { dir: string | null; keep: number; intervalHours: number; databaseUrl: string | null };
  /** exportDir set: the server keeps a static export there, rebuilt after changes and daily. */
  site: { name: string; exportDir: string | null; apiUrl: string | null; deployHookUrl: string | null };
  /** Record photos: DATA_DIR/media served at publicBaseUrl/media on PGlite, the bucket on Supabase. */
  media: { dir: string; publicBaseUrl: string; bucket: string };
  /** The admin bot's chart font. */
  chartFontFile: string;
}

/** A configuration mistake, with the variable to fix. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Parses the environment; throws ConfigError naming every variable that is wrong. */
export function parseConfig(rawEnv: Record<string, string | undefined>): Config {
  // A line like "SUPABASE_URL=" in .env means "not set", not "set to nothing".
  const env = Object.fromEntries(Object.entries(rawEnv).filter(([, value]) => value !== undefined && value.trim() !== ''));
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`));
  }
  const e = parsed.data;
  const problems: string[] = [];
  const requireTogether = (a: keyof Env, b: keyof Env, why: string) => {
    if (e[a] !== undefined && e[b] === undefined) problems.push(`${b}: required when ${a} is set (${why})`);
  };
  const supabaseKeyVariable = e.SUPABASE_SECRET_KEY !== undefined ? 'SUPABASE_SECRET_KEY' : 'SUPABASE_SERVICE_ROLE_KEY';
  const supabaseKey = e.SUPABASE_SECRET_KEY ?? e.SUPABASE_SERVICE_ROLE_KEY;
  if (e.SUPABASE_URL !== undefined && supabaseKey === undefined) {
    problems.push(
      'SUPABASE_SECRET_KEY: required when SUPABASE_URL is set (Project Settings → API Keys: the secret key sb_secret_…, or the legacy service_role key; SUPABASE_SERVICE_ROLE_KEY works too)',
    );
  }
  if (supabaseKey !== undefined && e.SUPABASE_URL === undefined) {
    problems.push(`SUPABASE_URL: required when ${supabaseKeyVariable} is set (https://<project>.supabase.co)`);
  }
  if (e.SUPABASE_SECRET_KEY !== undefined && e.SUPABASE_SERVICE_ROLE_KEY !== undefined && e.SUPABASE_SECRET_KEY !== e.SUPABASE_SERVICE_ROLE_KEY) {
    problems.push('SUPABASE_SECRET_KEY: SUPABASE_SERVICE_ROLE_KEY holds a different key; set only one of them');
  }
  const keyProblem = supabaseKey === undefined ? null : serviceKeyProblem(supabaseKey);
  if (keyProblem) problems.push(`${supabaseKeyVariable}: ${keyProblem}`);
  requireTogether('TELEGRAM_BOT_TOKEN', 'ADMIN_TELEGRAM_ID', 'set it to your numeric Telegram id, e.g. from @userinfobot');
  requireTogether('TELEGRAM_WEBHOOK_URL', 'TELEGRAM_WEBHOOK_SECRET', 'Telegram sends it back so forged updates are refused');

  const provider = (name: LlmProviderName | undefined, variable: string): LlmProviderConfig | null => {
    if (!name) return null;
    const defaults = llmDefaults[name];
    const read = (suffix: string) => optionalText.safeParse(env[`${defaults.prefix}_${suffix}`]).data;
    const apiKey = read('API_KEY');
    const baseUrl = read('BASE_URL') ?? defaults.baseUrl;
    const model = read('MODEL') ?? defaults.model;
    const folderId = read('FOLDER_ID');
    if (defaults.needsKey && !apiKey) problems.push(`${defaults.prefix}_API_KEY: required because ${variable}=${name}`);
    if (!baseUrl) problems.push(`${defaults.prefix}_BASE_URL: required because ${variable}=${name}`);
    else if (!url.safeParse(baseUrl).success) problems.push(`${defaults.prefix}_BASE_URL: not an http(s) URL`);
    if (name === 'yandexgpt' && !folderId) problems.push(`YANDEXGPT_FOLDER_ID: required because ${variable}=yandexgpt`);
    const resolvedModel = name === 'yandexgpt' && !model ? `gpt://${folderId}/yandexgpt/latest` : model;
    if (!resolvedModel) problems.push(`${defaults.prefix}_MODEL: required because ${variable}=${name}`);
    return { name, apiKey: apiKey ?? 'not-needed', model: resolvedModel ?? '', baseUrl: baseUrl ?? '', folderId };
  };
  const primary = provider(e.LLM_PROVIDER, 'LLM_PROVIDER');
  const fallback = provider(e.LLM_FALLBACK_PROVIDER, 'LLM_FALLBACK_PROVIDER');
  if (fallback && !primary) problems.push('LLM_PROVIDER: required when LLM_FALLBACK_PROVIDER is set');

  if (problems.length > 0) throw new ConfigError(problems);

  const database: DatabaseConfig =
    e.SUPABASE_URL && supabaseKey
      ? { kind: 'supabase', url: e.SUPABASE_URL, serviceRoleKey: supabaseKey }
      : { kind: 'pglite', dataDir: e.DATA_DIR };

  return {
    logLevel: e.LOG_LEVEL,
    logFormat: e.LOG_FORMAT ?? (e.JOURNAL_STREAM ? 'journal' : 'json'),
    http: { host: e.API_HOST, port: e.API_PORT, trustProxy: e.TRUST_PROXY, shutdownGraceMs: e.SHUTDOWN_GRACE_SECONDS * 1000 },
    publicSiteUrl: e.PUBLIC_SITE_URL.replace(/\/+$/, ''),
    dataDir: e.DATA_DIR,
    loadDemoCatalog: e.LOAD_DEMO_CATALOG ?? database.kind === 'pglite',
    cacheTtlSeconds: e.CACHE_TTL,
    database,
    telegram:
      e.TELEGRAM_BOT_TOKEN && e.ADMIN_TELEGRAM_ID
        ? {
            token: e.TELEGRAM_BOT_TOKEN,
            adminIds: e.ADMIN_TELEGRAM_ID,
            botUsername: e.TELEGRAM_BOT_USERNAME,
            apiRoot: e.TELEGRAM_API_ROOT.replace(/\/+$/, ''),
            ratePerSecond: e.TELEGRAM_RATE_PER_SECOND,
            ...(e.TELEGRAM_WEBHOOK_URL && e.TELEGRAM_WEBHOOK_SECRET
              ? { mode: 'webhook' as const, webhookUrl: e.TELEGRAM_WEBHOOK_URL, webhookSecret: e.TELEGRAM_WEBHOOK_SECRET }
              : { mode: 'polling' as const }),
          }
        : null,
    adminApiToken: e.ADMIN_API_TOKEN ?? null,
    sheet: { secret: e.SHEET_SECRET ?? null, spreadsheetUrl: e.SPREADSHEET_URL ?? null },
    llm: { primary, fallback, timeoutMs: e.LLM_TIMEOUT_MS, concurrency: e.AI_CONCURRENCY },
    offers: {
      discountPercent: e.DISCOUNT_PERCENT,
      ttlDays: e.OFFER_TTL_DAYS,
      reservationDays: e.RESERVATION_DAYS,
      exclusiveHours: e.OFFER_EXCLUSIVE_HOURS,
      reservationLimit: e.RESERVATION_LIMIT,
    },
    demand: {
      perPersonPerDay: e.DEMAND_PER_PERSON_PER_DAY,
      unverifiedPerTitlePerHour: e.DEMAND_UNVERIFIED_PER_TITLE_PER_HOUR,
      newTitlesPerHour: e.DEMAND_NEW_TITLES_PER_HOUR,
      unverifiedPerHour: e.DEMAND_UNVERIFIED_PER_HOUR,
    },
    metrics: { enabled: e.METRICS_ENABLED, token: e.METRICS_TOKEN ?? null },
    backup: { dir: e.BACKUP_DIR ?? null, keep: e.BACKUP_KEEP, intervalHours: e.BACKUP_INTERVAL_HOURS, databaseUrl: e.SUPABASE_DB_URL ?? null },
    site: {
      name: e.SITE_NAME,
      exportDir: e.SITE_EXPORT_DIR ?? null,
      apiUrl: e.SITE_API_URL?.replace(/\/+$/, '') ?? null,
      deployHookUrl: e.SITE_DEPLOY_HOOK_URL ?? null,
    },
    media: { dir: path.join(e.DATA_DIR, 'media'), publicBaseUrl: e.PUBLIC_API_URL.replace(/\/+$/, ''), bucket: e.PHOTO_BUCKET },
    chartFontFile: e.CHART_FONT_FILE,
  };
}

/** Which integrations are on, and the variable that turns on each one that is off. */
export function integrationStatus(config: Config) {
  return {
    supabase: { configured: config.database.kind === 'supabase', enableWith: 'SUPABASE_URL + SUPABASE_SECRET_KEY (or SUPABASE_SERVICE_ROLE_KEY)' },
    telegram: { configured: config.telegram !== null, enableWith: 'TELEGRAM_BOT_TOKEN + ADMIN_TELEGRAM_ID' },
    llm: {
      configured: config.llm.primary !== null,
      enableWith: 'LLM_PROVIDER (+ its API key); until then descriptions come from the built-in template',
    },
    sheet: { configured: config.sheet.secret !== null, enableWith: 'SHEET_SECRET (the add-on signs requests with it)' },
    admin_api: { configured: config.adminApiToken !== null, enableWith: 'ADMIN_API_TOKEN' },
  };
}
