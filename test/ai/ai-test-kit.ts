import { createHmac, randomBytes } from 'node:crypto';
import { signatureHeaders, signedPayload } from '../../shared/sheet-signature.ts';
import { createCatalogRepository, type NewRecord } from '../../server/catalog/catalog-repository.ts';
import type { Database } from '../../server/db/database.ts';
import type { FakeOpenAi } from '../emulators/openai/fake-openai.ts';

export const adminToken = 'test-admin-token-0123456789abcdef';
export const sheetSecret = 'test-sheet-secret-0123456789abcdef';

/** Environment for an app whose primary is the fake (custom) and fallback another fake (ollama). */
export function llmEnv(primary: FakeOpenAi, fallback?: FakeOpenAi, extra: Record<string, string> = {}): Record<string, string> {
  return {
    ADMIN_API_TOKEN: adminToken,
    SHEET_SECRET: sheetSecret,
    LLM_PROVIDER: 'custom',
    CUSTOM_LLM_BASE_URL: `${primary.url}/v1`,
    CUSTOM_LLM_MODEL: 'fake-primary',
    ...(fallback ? { LLM_FALLBACK_PROVIDER: 'ollama', OLLAMA_BASE_URL: `${fallback.url}/v1`, OLLAMA_MODEL: 'fake-fallback' } : {}),
    ...extra,
  };
}

let counter = 0;
/** Inserts a record the way the admin API and the demo seed do; returns its id. */
export async function addRecord(db: Database, overrides: Partial<NewRecord> = {}): Promise<string> {
  const id = overrides.id ?? crypto.randomUUID();
  counter += 1;
  await createCatalogRepository(db).importRecords([
    { title: `Test Album ${counter}`, artist: 'Test Artist', genre: 'Рок', year: 1975, condition: 'VG+', price: 3000, status: 'available', ...overrides, id },
  ]);
  return id;
}

export async function enrichVia(url: string, recordId: string, query = '') {
  const response = await fetch(`${url}/api/ai/enrich/${recordId}${query}`, { method: 'POST', headers: { authorization: `Bearer ${adminToken}` } });
  return { status: response.status, body: (await response.json()) as any };
}

/** A request signed like the add-on signs it (shared/sheet-signature.ts). */
export async function signedFetch(url: string, method: 'GET' | 'POST', body?: unknown) {
  const text = body === undefined ? '' : JSON.stringify(body);
  const timestamp = String(Date.now());
  const nonce = randomBytes(16).toString('hex');
  const signature = createHmac('sha256', sheetSecret).update(signedPayload({ method, path: new URL(url).pathname + new URL(url).search }, timestamp, nonce, text)).digest('hex');
  const response = await fetch(url, {
    method,
    headers: {
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      [signatureHeaders.timestamp]: timestamp,
      [signatureHeaders.nonce]: nonce,
      [signatureHeaders.signature]: signature,
    },
    body: body === undefined ? undefined : text,
  });
  return { status: response.status, body: (await response.json()) as any };
}

export async function waitFor<T>(probe: () => Promise<T | null | undefined | false>, timeoutMs = 10_000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export const wordCount = (text: string) => text.match(/[\p{L}\p{N}]+(?:[-'’][\p{L}\p{N}]+)*/gu)?.length ?? 0;
export const cyrillicShare = (text: string) => (text.match(/[\u0400-\u04FF]/g)?.length ?? 0) / Math.max(1, text.match(/\p{L}/gu)?.length ?? 0);
