import OpenAI from 'openai';
import { zodResponseFormat } from 'openai/helpers/zod';
import type { z } from 'zod';
import type { LlmProviderConfig, LlmProviderName } from '../../config.ts';

export interface ChatMessage {
  role: 'system' | 'user';
  content: string;
}

export interface LlmRequest {
  messages: ChatMessage[];
  /** Ask for a JSON object; with providers that support it, constrained by this schema. */
  json?: { name: string; schema: z.ZodType };
  maxTokens: number;
  temperature: number;
  signal?: AbortSignal;
}

/** Why a call gave no answer: the chain decides on retry, backoff and fallback by kind. */
export type LlmFailureKind = 'rate_limited' | 'server' | 'timeout' | 'network' | 'refused' | 'aborted';

export class LlmCallError extends Error {
  constructor(
    readonly provider: LlmProviderName,
    readonly kind: LlmFailureKind,
    message: string,
    readonly retryAfterMs?: number,
  ) {
    super(`${provider}: ${message}`);
    this.name = 'LlmCallError';
  }
}

/**
 * How each provider's OpenAI-compatible endpoint takes JSON mode. Structured outputs
 * (json_schema) only where documented; Anthropic's compatibility layer and YandexGPT ignore or
 * reject response_format, and "custom" may be anything: those get the instruction in the
 * prompt only, and every answer is validated with zod either way.
 */
const jsonMode: Record<LlmProviderName, 'json_schema' | 'json_object' | 'prompt'> = {
  openai: 'json_schema',
  groq: 'json_object',
  qwen: 'json_object',
  ollama: 'json_object',
  yandexgpt: 'prompt',
  claude: 'prompt',
  custom: 'prompt',
};

/** One provider over the openai SDK, with its base URL and a timeout on every call. */
export function createLlmClient(config: LlmProviderConfig, options: { timeoutMs: number }) {
  const client = new OpenAI({
    apiKey: config.apiKey,
    baseURL: config.baseUrl,
    timeout: options.timeoutMs,
    // Retries are the provider chain's (provider-chain.ts): it knows about the fallback.
    maxRetries: 0,
    // YandexGPT's OpenAI-compatible API takes the cloud folder as the project.
    project: config.name === 'yandexgpt' ? (config.folderId ?? null) : null,
  });

  return {
    name: config.name,
    model: config.model,
    /** The text of the first choice; throws LlmCallError when there is no answer. */
    async complete(request: LlmRequest): Promise<string> {
      const mode = request.json ? jsonMode[config.name] : 'prompt';
      try {
        const completion = await client.chat.completions.create(
          {
            model: config.model,
            messages: request.messages,
            temperature: request.temperature,
            max_tokens: request.maxTokens,
            ...(mode === 'json_schema' && request.json
              ? { response_format: zodResponseFormat(request.json.schema, request.json.name) }
              : mode === 'json_object'
                ? { response_format: { type: 'json_object' as const } }
                : {}),
          },
          { signal: request.signal },
        );
        return completion.choices[0]?.message?.content ?? '';
      } catch (error) {
        throw toCallError(config.name, error, request.signal);
      }
    },
  };
}
export type LlmClient = ReturnType<typeof createLlmClient>;

function toCallError(provider: LlmProviderName, error: unknown, signal?: AbortSignal): LlmCallError {
  if (signal?.aborted || error instanceof OpenAI.APIUserAbortError) return new LlmCallError(provider, 'aborted', 'aborted');
  if (error instanceof OpenAI.APIConnectionTimeoutError) return new LlmCallError(provider, 'timeout', 'timed out');
  if (error instanceof OpenAI.APIConnectionError) return new LlmCallError(provider, 'network', 'connection failed');
  if (error instanceof OpenAI.APIError && typeof error.status === 'number') {
    const status = error.status;
    if (status === 429) return new LlmCallError(provider, 'rate_limited', 'HTTP 429', retryAfterMs(error.headers));
    if (status >= 500 || status === 408 || status === 409) return new LlmCallError(provider, 'server', `HTTP ${status}`, retryAfterMs(error.headers));
    return new LlmCallError(provider, 'refused', `HTTP ${status}`);
  }
  // A 200 whose body is not a chat completion, and the like: the provider is not working.
  return new LlmCallError(provider, 'server', (error as Error)?.message ?? 'unexpected answer');
}

/** retry-after-ms, or retry-after in seconds or as an HTTP date. */
function retryAfterMs(headers: Headers | undefined): number | undefined {
  const ms = Number(headers?.get('retry-after-ms'));
  if (Number.isFinite(ms) && ms > 0) return ms;
  const value = headers?.get('retry-after');
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isFinite(date) ? Math.max(0, date - Date.now()) : undefined;
}
