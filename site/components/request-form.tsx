import type { SiteContext } from '../site-context.ts';

/**
 * «Запросить пластинку»: artist, title and how to reach the customer, posted as JSON to
 * POST /api/search-requests by the page's script (site/client/request-form.ts), which shows the
 * server's answer in the live region. With a bot configured, the Telegram Login Widget makes the
 * interest verified (it then counts toward procurement and brings the personal offer).
 */
export function RequestForm(props: { ctx: SiteContext; artist?: string; title?: string; recordId?: string; heading?: string }) {
  const { ctx } = props;
  const id = props.recordId ? `request-${props.recordId.slice(0, 8)}` : 'request';
  return (
    <section class="request" aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`}>{props.heading ?? 'Запросить пластинку'}</h2>
      <p class="hint">Мы поищем её у коллекционеров и напишем, когда она появится. Чем больше людей ждёт пластинку, тем быстрее мы её привезём.</p>
      <form data-request-form method="post" action="/api/search-requests" novalidate>
        {props.recordId ? <input type="hidden" name="record_id" value={props.recordId} /> : null}
        <label for={`${id}-artist`}>Исполнитель</label>
        <input id={`${id}-artist`} name="artist" required maxLength={100} autocomplete="off" value={props.artist ?? ''} />
        <label for={`${id}-title`}>Альбом</label>
        <input id={`${id}-title`} name="title" required maxLength={200} autocomplete="off" value={props.title ?? ''} />
        <label for={`${id}-contact`}>Telegram или e-mail для связи</label>
        <input id={`${id}-contact`} name="contact" required maxLength={200} autocomplete="email" placeholder="@username или почта" aria-describedby={`${id}-contact-hint`} />
        <p class="hint" id={`${id}-contact-hint`}>
          {ctx.botUsername ? 'Или войдите через Telegram — тогда мы сообщим о поступлении со скидкой для вас.' : 'Только чтобы сообщить о поступлении.'}
        </p>
        {ctx.botUsername ? <div data-telegram-login={ctx.botUsername} /> : null}
        <button type="submit">Запросить пластинку</button>
        <p class="notice" role="status" aria-live="polite" data-request-answer hidden />
      </form>
      <noscript>
        <p class="notice">Чтобы отправить запрос, включите JavaScript{ctx.botUsername ? ` или напишите боту @${ctx.botUsername}` : ''}.</p>
      </noscript>
    </section>
  );
}
