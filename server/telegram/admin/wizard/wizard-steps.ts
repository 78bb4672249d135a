import { recordFieldSchema } from '../../../../shared/record-field-schemas.ts';
import type { RecordFieldValues } from '../../../../shared/record-fields.ts';
import { sheetFieldMessages } from '../../../../shared/sheet-row-schema.ts';

/** The wizard's fields in order; each is a record field except the photo. */
export type WizardField = 'title' | 'artist' | 'genre' | 'year' | 'condition' | 'price' | 'photo';
export type WizardValues = Partial<Pick<RecordFieldValues, 'title' | 'artist' | 'genre' | 'year' | 'condition' | 'price'>>;

export interface WizardStep {
  field: WizardField;
  /** The question, Russian. */
  ask: string;
  /** An example of a good answer. */
  example: string;
  /** May be skipped («Пропустить»): the record can go on sale without it. */
  optional: boolean;
  label: string;
}

export const wizardSteps: WizardStep[] = [
  { field: 'title', label: 'Название', ask: 'Как называется альбом?', example: 'Abbey Road', optional: false },
  { field: 'artist', label: 'Исполнитель', ask: 'Кто исполнитель?', example: 'The Beatles', optional: false },
  { field: 'genre', label: 'Жанр', ask: 'Какой жанр? Выберите кнопку или напишите свой.', example: 'Rock', optional: false },
  { field: 'year', label: 'Год', ask: 'Год выпуска?', example: '1969', optional: true },
  { field: 'condition', label: 'Состояние', ask: 'Состояние пластинки? Выберите кнопку или напишите своё.', example: 'Near Mint', optional: false },
  { field: 'price', label: 'Цена', ask: 'Цена в рублях?', example: '4500', optional: false },
  { field: 'photo', label: 'Фото', ask: 'Пришлите фото обложки: JPG или PNG до 10 МБ, фото или файлом; несколько — альбомом (первое станет обложкой).', example: '', optional: true },
];

/** Grading of records as shops and Discogs use it. */
export const conditions = ['Mint', 'Near Mint', 'VG+', 'VG', 'G+', 'G', 'Sealed'];

export const stepIndex = (field: string) => wizardSteps.findIndex((s) => s.field === field);

/** «Шаг 3/7» and `[███░░░░░░░] 30%`: the share of steps already done, in tenths. */
export function progress(field: WizardField | 'summary'): string {
  const total = wizardSteps.length;
  const done = field === 'summary' ? total : stepIndex(field);
  const tenths = Math.round((done / total) * 10);
  const bar = `[${'█'.repeat(tenths)}${'░'.repeat(10 - tenths)}] ${tenths * 10}%`;
  return field === 'summary' ? `Проверка ${bar}` : `Шаг ${done + 1}/${total} ${bar}`;
}

/** A price as people type it: «4 500 ₽», «4500 руб.», «4500р». */
const cleanPrice = (text: string) => text.replace(/\s*(₽|руб(лей|ля|ль)?\.?|р\.?)\s*$/i, '');

/**
 * Checks an answer with the sheet's rules for the field (shared/record-field-schemas.ts with the
 * sheet's Russian messages), so what the wizard accepts the sheet would accept too.
 */
export function checkAnswer(field: Exclude<WizardField, 'photo'>, text: string, now = new Date()): { ok: true; value: string | number } | { ok: false; message: string } {
  const raw = field === 'price' ? cleanPrice(text) : text;
  const result = recordFieldSchema(field, { input: 'sheet', messages: sheetFieldMessages, now: () => now }).safeParse(raw);
  if (!result.success) return { ok: false, message: result.error.issues[0]?.message ?? 'Неверное значение' };
  if (result.data === null || result.data === undefined) return { ok: false, message: `${wizardSteps[stepIndex(field)]!.label}: пустое значение` };
  return { ok: true, value: result.data as string | number };
}
