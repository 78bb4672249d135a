import { formatRub } from '../../shared/russian-format.ts';
import type { PageRecord } from '../site-context.ts';
import { customerStatus } from '../components/status-text.ts';

/** Cuts text at a word boundary to at most max characters (Google shows ~60 of a title, ~160 of a description). */
export function clip(text: string, max: number): string {
  const clean = text.replace(/\s+/g, ' ').trim();
  if (clean.length <= max) return clean;
  const cut = clean.slice(0, max - 1);
  return `${cut.slice(0, Math.max(cut.lastIndexOf(' '), max / 2)).replace(/[\s,.;:—-]+$/, '')}…`;
}

/** Title, description and keywords of a record page: the AI's SEO fields, else built from the record. */
export function recordMeta(record: PageRecord, shopName: string) {
  const title = record.seo_title ?? `${record.artist} — ${record.title}${record.year ? ` (${record.year})` : ''}: винил купить`;
  const facts = [record.year, record.label, record.country, record.condition].filter(Boolean).join(', ');
  const fallbackDescription = `Виниловая пластинка ${record.artist} — ${record.title}${facts ? ` (${facts})` : ''}. ${
    record.price ? `${customerStatus[record.status]}, ${formatRub(record.price)}.` : `${customerStatus[record.status]}.`
  } ${shopName}.`;
  const description = record.seo_description ?? (record.description ? clip(record.description, 160) : fallbackDescription);
  const keywords = record.seo_keywords ?? [record.artist, record.title, record.genre, 'винил', 'виниловая пластинка'].filter(Boolean).join(', ');
  return { title: clip(title, 70), titleIsFinal: record.seo_title !== null, description: clip(description, 160), keywords };
}
