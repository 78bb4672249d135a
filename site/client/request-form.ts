import { apiBase, fetchJson } from './api.ts';

interface TelegramAuth {
  id: number;
  first_name?: string;
  last_name?: string;
  username?: string;
  photo_url?: string;
  auth_date: number;
  hash: string;
}

const fieldNames: Record<string, string> = { artist: 'Исполнитель', title: 'Альбом', contact: 'Контакт', customer_id: 'Контакт', telegram_auth: 'Вход через Telegram' };

/** A random id per browser, so one person asking twice is counted once. */
function sessionId(): string {
  try {
    let id = localStorage.getItem('vinyl-session');
    if (!id) {
      id = crypto.randomUUID();
      localStorage.setItem('vinyl-session', id);
    }
    return id;
  } catch {
    return crypto.randomUUID();
  }
}

let telegramAuth: TelegramAuth | null = null;

/** The Telegram Login Widget (https://core.telegram.org/widgets/login): loaded only where a bot is configured. */
function mountTelegramLogin(slot: HTMLElement) {
  (window as unknown as { vinylTelegramAuth: (user: TelegramAuth) => void }).vinylTelegramAuth = (user) => {
    telegramAuth = user;
    slot.textContent = `Вы вошли как ${user.username ? `@${user.username}` : user.first_name ?? 'пользователь Telegram'}.`;
  };
  const script = document.createElement('script');
  script.async = true;
  script.src = 'https://telegram.org/js/telegram-widget.js?22';
  script.dataset.telegramLogin = slot.dataset.telegramLogin;
  script.dataset.size = 'medium';
  script.dataset.onauth = 'vinylTelegramAuth(user)';
  script.dataset.requestAccess = 'write';
  slot.append(script);
}

/** Puts a search query into an (empty) request form: the customer only adds the contact. */
export function prefillRequest(container: HTMLElement, query: string) {
  const artist = container.querySelector<HTMLInputElement>('input[name="artist"]');
  if (artist && !artist.value) artist.value = query;
}

/** «Запросить пластинку»: JSON to POST /api/search-requests, the answer (or what to fix) in the live region. */
export function initRequestForm(form: HTMLFormElement) {
  const answer = form.querySelector<HTMLElement>('[data-request-answer]')!;
  const button = form.querySelector<HTMLButtonElement>('button[type="submit"]')!;
  const login = form.querySelector<HTMLElement>('[data-telegram-login]');
  if (login?.dataset.telegramLogin) mountTelegramLogin(login);
  const say = (text: string, error: boolean) => {
    answer.hidden = false;
    answer.className = error ? 'notice error' : 'notice';
    answer.textContent = text;
  };

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const data = new FormData(form);
    const value = (name: string) => String(data.get(name) ?? '').trim();
    const missing = ['artist', 'title'].filter((name) => !value(name));
    if (!value('contact') && !telegramAuth) missing.push('contact');
    if (missing.length) {
      say(`Заполните: ${missing.map((name) => fieldNames[name]).join(', ')}.`, true);
      form.querySelector<HTMLInputElement>(`[name="${missing[0]}"]`)?.focus();
      return;
    }
    const body: Record<string, unknown> = { artist: value('artist'), title: value('title'), customer_id: sessionId() };
    if (value('contact')) body.contact = value('contact');
    if (value('record_id')) body.record_id = value('record_id');
    if (telegramAuth) body.telegram_auth = telegramAuth;
    button.disabled = true;
    try {
      const { status, body: reply } = await fetchJson<{ status?: string; record_id?: string | null; message?: string; pre_order_count?: number; telegram_link?: string | null; details?: Array<{ field: string }> }>(
        `${apiBase()}/api/search-requests`,
        { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) },
      );
      if (status === 200 || status === 201 || status === 202) {
        // Without a Telegram login a title the shop does not have is kept for the admin (202
        // pending, or already kept for this visitor): no record, so no count to show — the
        // server's message says what happens next.
        const pending = status === 202 || reply?.status === 'pending' || (reply?.record_id === null && !reply?.pre_order_count);
        if (pending) say(reply?.message ?? 'Запрос сохранён.', false);
        else say(`${reply?.message ?? 'Запрос сохранён.'} Эту пластинку ждут: ${reply?.pre_order_count ?? 1}.`, false);
        if (reply?.telegram_link) {
          const link = document.createElement('a');
          link.href = reply.telegram_link;
          link.textContent = ' Открыть бота в Telegram';
          link.rel = 'nofollow';
          answer.append(link);
        }
        form.reset();
      } else if (status === 429) {
        say('Слишком много запросов подряд. Попробуйте через минуту.', true);
      } else if (status === 400 && reply?.details?.length) {
        say(`Проверьте поле: ${reply.details.map((d) => fieldNames[d.field.split('.')[0]!] ?? d.field).join(', ')}.`, true);
      } else {
        say('Не получилось отправить запрос. Попробуйте ещё раз чуть позже.', true);
      }
    } catch {
      say('Нет связи с магазином. Проверьте интернет и попробуйте ещё раз.', true);
    } finally {
      button.disabled = false;
    }
  });
}
