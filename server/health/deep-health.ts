import type { DeepHealth } from '../../shared/health-contract.ts';
import type { Config } from '../config.ts';
import type { Database } from '../db/database.ts';
import type { OpsFigures } from '../metrics/create-metrics.ts';

type Check = DeepHealth['database'];

export interface DeepHealthDeps {
  config: Config;
  db: Database;
  /** The bot's getMe (null without a bot): a round trip to Telegram with the real token. */
  telegramGetMe: (() => Promise<{ username?: string }>) | null;
  /** Errors as one line without secrets (tasks/safe-error-message.ts). */
  describeError: (error: unknown) => string;
  fetch?: typeof fetch;
  timeoutMs?: number;
  /** The sheet counts as silent after this long (its add-on pulls on a timer). */
  sheetSilentAfterS?: number;
}

/**
 * Tries every integration once: the database, Telegram (getMe), the LLM provider (its model list),
 * and how long since the sheet was heard from. For /health?deep=1 and the admin bot's status;
 * each check has its own time limit, so one hanging integration does not hide the others.
 */
export function createDeepHealthCheck(deps: DeepHealthDeps) {
  const timeoutMs = deps.timeoutMs ?? 5000;
  const doFetch = deps.fetch ?? fetch;
  const silentAfter = deps.sheetSilentAfterS ?? 3 * 3600;

  const timed = async (run: () => Promise<string | null>): Promise<Check> => {
    const started = performance.now();
    try {
      const detail = await Promise.race([
        run(),
        new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs).unref()),
      ]);
      return { status: 'ok', latency_ms: Math.round(performance.now() - started), detail };
    } catch (error) {
      return { status: 'failed', latency_ms: Math.round(performance.now() - started), detail: deps.describeError(error) };
    }
  };
  const off = (detail: string): Check => ({ status: 'off', latency_ms: null, detail });

  const llm = async (): Promise<Check> => {
    const provider = deps.config.llm.primary;
    if (!provider) return off('LLM_PROVIDER unset: descriptions come from the built-in template');
    return timed(async () => {
      const response = await doFetch(`${provider.baseUrl.replace(/\/+$/, '')}/models`, {
        headers: { authorization: `Bearer ${provider.apiKey}` },
        signal: AbortSignal.timeout(timeoutMs),
      });
      await response.body?.cancel();
      // Not every OpenAI-compatible server lists models: any answer but a refusal or an outage is reachable.
      if (response.status === 401 || response.status === 403) throw new Error(`${provider.name} refused the API key (HTTP ${response.status})`);
      if (response.status >= 500) throw new Error(`${provider.name} answered HTTP ${response.status}`);
      return `${provider.name} answered HTTP ${response.status}`;
    });
  };

  return async function deepHealth(): Promise<DeepHealth> {
    let figures: OpsFigures | null = null;
    const [database, telegram, llmCheck] = await Promise.all([
      timed(async () => {
        figures = await deps.db.read<OpsFigures>('ops_figures');
        return deps.db.kind;
      }),
      deps.telegramGetMe
        ? timed(async () => `@${(await deps.telegramGetMe!()).username ?? '?'}`)
        : Promise.resolve(off('TELEGRAM_BOT_TOKEN unset')),
      llm(),
    ]);
    const since = (figures as OpsFigures | null)?.sheet.since_heard_s ?? null;
    const seconds = since === null ? null : Math.round(since);
    const sheet: DeepHealth['sheet'] = !deps.config.sheet.secret
      ? { ...off('SHEET_SECRET unset'), seconds_since_heard: seconds }
      : database.status !== 'ok'
        ? { status: 'failed', latency_ms: null, detail: 'unknown: the database did not answer', seconds_since_heard: null }
        : seconds === null
          ? { status: 'failed', latency_ms: null, detail: 'the sheet has never called the server', seconds_since_heard: null }
          : { status: seconds > silentAfter ? 'failed' : 'ok', latency_ms: null, detail: `last heard ${seconds} s ago`, seconds_since_heard: seconds };
    return { database, telegram, llm: llmCheck, sheet };
  };
}
export type DeepHealthCheck = ReturnType<typeof createDeepHealthCheck>;
