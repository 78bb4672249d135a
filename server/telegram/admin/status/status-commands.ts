import { escapeHtml } from '../../../../shared/html-escape.ts';
import type { ActiveStatus } from '../../../../shared/record-status.ts';
import { parseStatusWord } from '../admin-words.ts';
import type { ScreenSender } from '../admin-ui.ts';
import { outcomeLine, outcomeText, type StatusChanger, type StatusOutcome } from './status-change.ts';

/** At most this many records in one /bulk_status (a typo like 1-100000 must not run for an hour). */
export const bulkLimit = 200;

const statusUsage =
  'Как пользоваться: <code>/status 123 available</code> — номер пластинки и статус: available, reserved, sold, procurement, search_request или по-русски («в наличии», «продана», «зарезервирована»).';
const bulkUsage = 'Как пользоваться: <code>/bulk_status sold 101,102,103</code> или <code>/bulk_status продана 101-105</code>.';

/** `/status 123 available`: the record number, then the status in any of its names. */
export function parseStatusArgs(args: string): { number: string; status: ActiveStatus } | null {
  const m = /^\s*[#№]?\s*(\d{1,9})\s+(.+?)\s*$/s.exec(args);
  const status = m ? parseStatusWord(m[2]!) : null;
  return m && status ? { number: m[1]!, status } : null;
}

/** `/bulk_status sold 101,102,103` or `101-105`: the status, then numbers and ranges. */
export function parseBulkArgs(args: string): { status: ActiveStatus; numbers: string[] } | { error: string } {
  const m = /^\s*(.+?)\s+([#№\d][\d\s,;#№-]*)$/s.exec(args);
  if (!m) return { error: bulkUsage };
  const status = parseStatusWord(m[1]!);
  if (!status) return { error: `Не знаю статус «${escapeHtml(m[1]!)}». ${bulkUsage}` };
  const numbers: string[] = [];
  for (const part of m[2]!.split(/[\s,;]+/).map((p) => p.replace(/[#№]/g, '')).filter(Boolean)) {
    const range = /^(\d{1,9})-(\d{1,9})$/.exec(part);
    if (range) {
      const [from, to] = [Number(range[1]), Number(range[2])];
      if (to < from || to - from >= bulkLimit) return { error: `Диапазон ${from}-${to} не подходит: не больше ${bulkLimit} номеров, от меньшего к большему.` };
      for (let n = from; n <= to; n++) numbers.push(String(n));
    } else if (/^\d{1,9}$/.test(part)) numbers.push(String(Number(part)));
    else return { error: `«${escapeHtml(part)}» — не номер пластинки. ${bulkUsage}` };
  }
  const unique = [...new Set(numbers)];
  if (unique.length === 0) return { error: bulkUsage };
  if (unique.length > bulkLimit) return { error: `Не больше ${bulkLimit} пластинок за раз.` };
  return { status, numbers: unique };
}

/** /status and /bulk_status. The progress message is edited at most once a second (Telegram's per-chat limit). */
export function createStatusCommands(deps: { changeStatus: StatusChanger; now?: () => number }) {
  const now = deps.now ?? Date.now;
  return {
    async status(ui: ScreenSender, args: string) {
      const parsed = parseStatusArgs(args);
      if (!parsed) return ui.send({ text: statusUsage });
      return ui.send({ text: outcomeText(await deps.changeStatus(parsed.number, parsed.status)) });
    },

    async bulk(ui: ScreenSender, args: string) {
      const parsed = parseBulkArgs(args);
      if ('error' in parsed) return ui.send({ text: parsed.error });
      const total = parsed.numbers.length;
      const outcomes: StatusOutcome[] = [];
      const render = (done: boolean) => {
        const ok = outcomes.filter((o) => o.ok).length;
        const head = done ? `Готово: обновлено ${ok} из ${total}${ok < total ? `, не удалось ${total - ok}` : ''}.` : `🔄 Обрабатываю… ${outcomes.length}/${total}`;
        // A long run shows its last lines while it goes; the final message has every line (trimmed to Telegram's 4096).
        const lines = outcomes.map(outcomeLine);
        let body = (done ? lines : lines.slice(-15)).join('\n');
        if (body.length > 3800) body = `${body.slice(0, 3800).replace(/\n[^\n]*$/, '')}\n…`;
        return { text: `${head}${body ? `\n\n${body}` : ''}` };
      };
      const progress = await ui.send(render(false));
      let lastEdit = now();
      for (const number of parsed.numbers) {
        outcomes.push(await deps.changeStatus(number, parsed.status));
        if (now() - lastEdit >= 1000) {
          lastEdit = now();
          await ui.edit(progress.message_id, render(false));
        }
      }
      await ui.edit(progress.message_id, render(true));
    },
  };
}
