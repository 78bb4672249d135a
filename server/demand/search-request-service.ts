import type { SearchRequest, SearchRequestResult } from '../../shared/demand-contract.ts';
import { verifyTelegramLogin } from '../auth/telegram-login.ts';
import { HttpError } from '../http/http-error.ts';
import { demandRefusalError, isRefusal } from './demand-refusal.ts';
import { botDeepLink, pendingPayload, wantPayload } from './deep-links.ts';
import type { DemandRepository, Participant } from './demand-repository.ts';

export interface SearchRequestDeps {
  demand: DemandRepository;
  /** Bot token verifies Login Widget data; without a bot every website request is unverified. */
  botToken: string | null;
  botUsername: string | undefined;
  now?: () => number;
}

/**
 * Who is asking. Only a checked Telegram login is a verified, reachable person; a session id or
 * a contact is kept as unverified interest (never counted toward procurement, never promised a
 * Telegram message), so a script cannot push a record over the threshold.
 */
function participantOf(request: SearchRequest, deps: SearchRequestDeps): Participant {
  if (request.telegram_auth) {
    if (!deps.botToken) throw new HttpError(400, 'Telegram login is not available', [{ field: 'telegram_auth', message: 'the store has no Telegram bot configured' }]);
    const check = verifyTelegramLogin(request.telegram_auth, deps.botToken, { now: deps.now });
    if (!check.ok) throw new HttpError(400, 'Telegram login could not be verified', [{ field: 'telegram_auth', message: check.reason }]);
    return {
      key: `tg:${check.user.id}`,
      verified: true,
      chatId: check.user.id,
      contact: check.user.username ? `@${check.user.username}` : (request.contact ?? null),
      source: 'site',
    };
  }
  const key = request.customer_id ? `web:${request.customer_id}` : `contact:${request.contact!.toLowerCase()}`;
  return { key, verified: false, chatId: null, contact: request.contact ?? null, source: 'site' };
}

function messageFor(verified: boolean, already: boolean, recordStatus: string | null, link: string | null): string {
  if (recordStatus === 'available') return 'Эта пластинка уже в наличии — загляните в каталог!';
  if (verified) {
    return already
      ? 'Вы уже в списке ожидания — мы напишем вам в Telegram, когда пластинка появится.'
      : 'Мы уведомим вас в Telegram, когда пластинка появится в наличии!';
  }
  return link
    ? 'Запрос сохранён. Чтобы получить уведомление и персональную скидку, откройте нашего Telegram-бота по ссылке.'
    : 'Запрос сохранён. Мы свяжемся с вами, когда пластинка появится.';
}

export function createSearchRequestService(deps: SearchRequestDeps) {
  return {
    async submit(request: SearchRequest): Promise<SearchRequestResult> {
      const who = participantOf(request, deps);
      const result = await deps.demand.searchRequest(
        { title: request.title, artist: request.artist, recordId: request.record_id },
        who,
      );
      if (isRefusal(result)) throw demandRefusalError(result, who.verified);
      if ('pending' in result) {
        // Nothing public until a verified person or the admin confirms the title: the deep link
        // lets this visitor become that verified person.
        const link = result.pending_id ? botDeepLink(deps.botUsername, pendingPayload(result.pending_id)) : null;
        return {
          status: result.added ? 'pending' : 'already_registered',
          record_id: null,
          record_number: null,
          record_status: null,
          message: messageFor(false, !result.added, null, link),
          pre_order_count: 0,
          verified: false,
          telegram_link: link,
        };
      }
      const link = botDeepLink(deps.botUsername, wantPayload(result.number));
      const already = !result.added && !result.created;
      return {
        status: result.created ? 'created' : result.added ? 'added' : 'already_registered',
        record_id: result.record_id,
        record_number: result.number,
        record_status: result.record_status,
        message: messageFor(result.verified, already, result.record_status, link),
        pre_order_count: result.preorder_count,
        verified: result.verified,
        telegram_link: link,
      };
    },
  };
}
export type SearchRequestService = ReturnType<typeof createSearchRequestService>;
