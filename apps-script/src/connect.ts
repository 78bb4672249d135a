import { sheetSyncPaths, type SheetStatusResponse } from '../../shared/sheet-sync-contract.ts';
import { callServer } from './server-client.ts';
import { saveConnection } from './settings.ts';
import { installTriggers } from './triggers.ts';

/** Asks one value; null when the admin cancels. */
function ask(title: string, prompt: string): string | null {
  const ui = SpreadsheetApp.getUi();
  const answer = ui.prompt(title, prompt, ui.ButtonSet.OK_CANCEL);
  if (answer.getSelectedButton() !== ui.Button.OK) return null;
  return answer.getResponseText().trim();
}

/**
 * «Подключить к серверу»: stores the server URL and the shared secret in Script Properties,
 * checks them with a signed request, installs the triggers. Returns false when cancelled.
 */
export function connectToServer(): SheetStatusResponse | null {
  const url = ask('Подключение к серверу', 'Адрес сервера, например https://vinyl.example.ru');
  if (url === null) return null;
  if (!/^https?:\/\/[^\s/]+/i.test(url)) throw new Error('Адрес сервера должен начинаться с http:// или https://');
  const secret = ask('Подключение к серверу', 'Общий секрет (значение SHEET_SECRET на сервере)');
  if (secret === null) return null;
  if (secret.length < 24) throw new Error('Секрет слишком короткий: на сервере он не короче 24 символов.');
  saveConnection({ serverUrl: url, secret });
  const status = callServer<SheetStatusResponse>(sheetSyncPaths.status, {});
  installTriggers();
  return status;
}
