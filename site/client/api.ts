/** Where the API is: the page says (data-api: '' on the Node server, the server's URL on a static host). */
export const apiBase = () => document.body.dataset.api ?? '';
export const isStatic = () => document.body.dataset.static === '1';

/** fetch with a deadline: a page on a static host must not wait long for an API that is away. */
export async function fetchJson<T>(url: string, init: RequestInit = {}, timeoutMs = 8000): Promise<{ status: number; body: T | null }> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  try {
    const response = await fetch(url, { ...init, signal: controller.signal });
    const body = (await response.json().catch(() => null)) as T | null;
    return { status: response.status, body };
  } finally {
    clearTimeout(timer);
  }
}
