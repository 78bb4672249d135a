import { auditActorLabels, type RecordChange } from '../../shared/audit-contract.ts';
import { escapeHtml } from '../../shared/html-escape.ts';

const show = (value: unknown): string => {
  if (value === null || value === undefined || value === '') return '—';
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 59)}…` : text;
};

/** A record's latest changes as Telegram HTML lines for the bot's record card (Russian, escaped). */
export function recordHistoryText(changes: RecordChange[], max = 10): string {
  if (changes.length === 0) return 'Изменений пока нет.';
  const lines = changes.slice(0, max).map((c) => {
    const when = c.changed_at.slice(0, 16).replace('T', ' ');
    const what =
      c.field === '(created)' ? 'создана запись' : c.field === '(deleted)' ? 'запись удалена' : `${escapeHtml(c.field)}: ${escapeHtml(show(c.old_value))} → ${escapeHtml(show(c.new_value))}`;
    return `${when} · ${auditActorLabels[c.actor]} · ${what}`;
  });
  if (changes.length > max) lines.push(`… и ещё ${changes.length - max}`);
  return lines.join('\n');
}
