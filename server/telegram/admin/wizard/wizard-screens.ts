import { escapeHtml as e } from '../../../../shared/html-escape.ts';
import { formatRub } from '../../../../shared/russian-format.ts';
import { button, type Screen } from '../admin-ui.ts';
import type { PhotoMatch, StoredPhoto } from '../photos/photo-repository.ts';
import { conditions, progress, wizardSteps, type WizardField, type WizardValues } from './wizard-steps.ts';

/** A photo the wizard holds, with the record it looks like when the duplicate check found one. */
export interface WizardPhoto extends StoredPhoto {
  duplicateOf?: Pick<PhotoMatch, 'number' | 'title' | 'artist'>;
}
export interface WizardData {
  values: WizardValues;
  photos: WizardPhoto[];
  /** The genre buttons offered (their index is in the callback data). */
  genres: string[];
  /** Came from the summary's edit button: back to the summary after this step. */
  editing?: boolean;
  /** The summary message, edited as an album's photos arrive. */
  summaryMessageId?: number;
  photoGroup?: string;
}

const w = (session: string, ...parts: Array<string | number>) => ['w', session, ...parts] as const;

function shown(field: WizardField, data: WizardData): string {
  if (field === 'photo') return data.photos.length === 0 ? '—' : `${data.photos.length} шт.`;
  const value = data.values[field];
  if (value === null || value === undefined) return '—';
  return field === 'price' ? formatRub(value) : e(value);
}

/** The question of a step: progress, what was received, the question, an example, the buttons. */
export function stepScreen(session: string, field: WizardField, data: WizardData, received?: string): Screen {
  const step = wizardSteps.find((s) => s.field === field)!;
  const lines = [`<b>${progress(field)}</b>`];
  if (received) lines.push(`✅ ${received}`);
  lines.push('', `<b>${e(step.label)}.</b> ${e(step.ask)}`);
  if (step.example) lines.push(`Например: <code>${e(step.example)}</code>`);
  const keyboard = [];
  if (field === 'genre') {
    for (let i = 0; i < data.genres.length; i += 3) {
      keyboard.push(data.genres.slice(i, i + 3).map((genre, k) => button(genre, ...w(session, 'g', i + k))));
    }
  }
  if (field === 'condition') {
    for (let i = 0; i < conditions.length; i += 4) keyboard.push(conditions.slice(i, i + 4).map((c, k) => button(c, ...w(session, 'c', i + k))));
  }
  const nav = [];
  if (field !== 'title' && !data.editing) nav.push(button('⬅️ Назад', ...w(session, 'b')));
  if (step.optional) nav.push(button('⏭ Пропустить', ...w(session, 's')));
  if (data.editing) nav.push(button('↩️ К сводке', ...w(session, 'sum')));
  nav.push(button('✖️ Отмена', ...w(session, 'x')));
  keyboard.push(nav);
  return { text: lines.join('\n'), keyboard };
}

/** Before saving: every field with a button to change it. */
export function summaryScreen(session: string, data: WizardData, lead?: string): Screen {
  const lines = [`<b>${progress('summary')}</b>`];
  if (lead) lines.push(lead);
  lines.push('', '<b>Новая пластинка</b>');
  for (const step of wizardSteps) lines.push(`${e(step.label)}: ${shown(step.field, data)}`);
  data.photos.forEach((photo, i) => {
    if (photo.duplicateOf) {
      const d = photo.duplicateOf;
      lines.push(`⚠️ Фото ${i + 1} похоже на фото пластинки №${e(d.number)} ${e(d.artist)} — ${e(d.title)}`);
    }
  });
  lines.push('', 'Всё верно? Нажмите «Сохранить» или исправьте поле.');
  const edits = wizardSteps.map((s, i) => button(`✏️ ${s.label}`, ...w(session, 'e', i)));
  const keyboard = [edits.slice(0, 4), edits.slice(4)];
  data.photos.forEach((photo, i) => {
    if (photo.duplicateOf) {
      keyboard.push([button(`Фото ${i + 1}: другой экземпляр`, ...w(session, 'dk', i)), button(`Фото ${i + 1}: убрать`, ...w(session, 'dd', i))]);
    }
  });
  keyboard.push([button('✅ Сохранить', ...w(session, 'v')), button('✖️ Отмена', ...w(session, 'x'))]);
  return { text: lines.join('\n'), keyboard };
}

export const photoProblems = {
  too_big: 'Фото больше 10 МБ. Пришлите поменьше или сожмите его.',
  not_image: 'Это не похоже на изображение. Пришлите JPG или PNG.',
  format: 'Подходят только JPG и PNG. Пришлите фото в одном из этих форматов.',
  download: 'Не удалось получить файл из Telegram. Пришлите его ещё раз.',
} as const;

export const receivedText = (field: WizardField, data: WizardData) => `${e(wizardSteps.find((s) => s.field === field)!.label)}: ${shown(field, data)}`;
