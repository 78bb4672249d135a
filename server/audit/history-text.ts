import { auditActorLabels, type RecordChange } from '../../shared/audit-contract.ts';
import { escapeHtml } from '../../shared/html-escape.ts';
import { catalogColumns } from '../../shared/sheet-layout.ts';

const show = (value: unknown): string => {
  if (value === null || value === undefined || value === '') return '—';
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 59)}…` : text;
};

/** One change as a Telegram HTML line: when · who · field (the sheet's column name): old → new. */
export function historyLine(c: RecordChange): string {
  const when = c.changed_at.slice(0, 16).replace('T', ' ');
  const field = (catalogColumns as Record<string, string>)[c.field] ?? c.field;
  const what =
    c.field === '(created)' ? 'создана запись' : c.field === '(deleted)' ? 'запись удалена' : `${escapeHtml(field)}: ${escapeHtml(show(c.old_value))} → ${escapeHtml(show(c.new_value))}`;
  return `${when} · ${auditActorLabels[c.actor]} · ${what}`;
}

/** A record's latest changes as Telegram HTML lines (Russian, escaped). */
export function recordHistoryText(changes: RecordChange[], max = 10): string {
  if (changes.length === 0) return 'Изменений пока нет.';
  const lines = changes.slice(0, max).map(historyLine);
  if (changes.length > max) lines.push(`… и ещё ${changes.length - max}`);
  return lines.join('\n');
}
