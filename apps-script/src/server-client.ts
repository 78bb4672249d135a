import { bytesToHex, signatureHeaders, signedPayload } from '../../shared/sheet-signature.ts';
import { connection } from './settings.ts';

/** The server refused or could not be reached; `message` is Russian, for the admin. */
export class ServerError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly reachable: boolean,
  ) {
    super(message);
    this.name = 'ServerError';
  }
}

function serverMessage(status: number, text: string): string {
  try {
    const body = JSON.parse(text) as { error?: string; details?: Array<{ field: string; message: string }> };
    const details = (body.details ?? []).map((d) => `${d.field}: ${d.message}`).join('; ');
    return [body.error, details].filter(Boolean).join(' — ');
  } catch {
    return text.slice(0, 200) || `HTTP ${status}`;
  }
}

/** Russian wording of an HTTP failure, keeping the server's own explanation. */
function describeFailure(status: number, detail: string): string {
  if (status === 401) return `Сервер отклонил подпись запроса (проверьте общий секрет): ${detail}`;
  if (status === 404) return `На сервере нет этой функции (ещё не подключена): ${detail}`;
  if (status === 503) return `Функция не настроена на сервере: ${detail}`;
  if (status >= 500) return `Ошибка сервера (${status}): ${detail}`;
  return `Сервер отклонил запрос (${status}): ${detail}`;
}

/**
 * Signed JSON request to the server (shared/sheet-signature.ts): HMAC-SHA256 over the method,
 * the path, "<timestamp>.<nonce>.<body>" with the shared secret, UTF-8 on both sides.
 */
export function callServer<T>(path: string, body: unknown, method: 'post' | 'get' = 'post'): T {
  const conn = connection();
  if (!conn) throw new ServerError('Сервер не подключён: меню «Винил» → «Подключить к серверу».', 0, false);
  const payload = method === 'post' ? JSON.stringify(body ?? {}) : '';
  const timestamp = String(Date.now());
  const nonce = Utilities.getUuid().replace(/-/g, '');
  const signature = bytesToHex(
    Utilities.computeHmacSha256Signature(signedPayload({ method, path }, timestamp, nonce, payload), conn.secret, Utilities.Charset.UTF_8),
  );
  let response: GoogleAppsScript.URL_Fetch.HTTPResponse;
  try {
    response = UrlFetchApp.fetch(conn.serverUrl + path, {
      method,
      contentType: 'application/json; charset=utf-8',
      ...(method === 'post' ? { payload } : {}),
      headers: { [signatureHeaders.timestamp]: timestamp, [signatureHeaders.nonce]: nonce, [signatureHeaders.signature]: signature },
      muteHttpExceptions: true,
      followRedirects: true,
    });
  } catch (error) {
    throw new ServerError(`Сервер недоступен: ${(error as Error).message}`, 0, false);
  }
  const status = response.getResponseCode();
  const text = response.getContentText('UTF-8');
  if (status < 200 || status >= 300) throw new ServerError(describeFailure(status, serverMessage(status, text)), status, true);
  return JSON.parse(text) as T;
}
