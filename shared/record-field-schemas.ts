import { z } from 'zod';
import {
  maxRecordYear,
  missingForSale,
  recordFieldNames,
  recordFields,
  type FieldRule,
  type RecordField,
  type RecordFieldValues,
} from './record-fields.ts';
import { activeStatuses, activeStatusSchema, statusFromLabel, type ActiveStatus } from './record-status.ts';
import { normalizeText, textLength } from './text-normalize.ts';

/**
 * Zod schemas of a record's fields, built from the one table in record-fields.ts, for two kinds
 * of input:
 *  - 'sheet': what Sheet.getValues() gives (strings, numbers, Dates, '' for an empty cell);
 *    numbers typed as text count ("1 500,50"), an empty cell is null (status: available).
 *  - 'json': a JSON body. Numbers must be JSON numbers: null, "", "5000", true, [] are refused
 *    with the field named, never coerced (z.coerce.number turned `true` into a price of 1).
 *    An absent optional field stays absent; an empty optional text counts as absent.
 * Texts are normalised (text-normalize.ts) before their length is checked, so what is checked is
 * what is stored.
 */
export type FieldInput = 'sheet' | 'json';

/** The reason for each kind of problem; the sheet's are Russian cell notes, the API's English. */
export interface FieldMessages {
  required(field: RecordField): string;
  notText(field: RecordField): string;
  length(field: RecordField, min: number, max: number): string;
  notNumber(field: RecordField): string;
  notInteger(field: RecordField): string;
  range(field: RecordField, min: number, max: number, value: number): string;
  notUrl(field: RecordField): string;
  status(field: RecordField): string;
  forSale(field: RecordField): string;
}

/** API messages: the field is named by the error's path, so the message says only what is wrong. */
export const apiFieldMessages: FieldMessages = {
  required: () => 'required',
  notText: () => 'expected a string',
  length: (_f, min, max) => (min > 1 ? `expected ${min} to ${max} characters` : `expected at most ${max} characters`),
  notNumber: () => 'expected a number (a JSON number: not a string, boolean, null or array)',
  notInteger: () => 'expected a whole number',
  range: (_f, min, max) => `expected a number from ${min} to ${max}`,
  notUrl: () => 'expected an http(s):// URL',
  status: () => `expected one of ${activeStatuses.join(', ')}`,
  forSale: () => 'required when the status is available, reserved or sold',
};

export interface FieldSchemaOptions {
  input: FieldInput;
  messages: FieldMessages;
  /** The moment the year rule is checked against; read at every validation. */
  now?: () => Date;
}

const httpUrl = z.url({ protocol: /^https?$/ });

function cellNumber(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const text = value.replace(/[\s\u00a0]/g, '').replace(',', '.');
  if (text === '') return null;
  const n = Number(text);
  return Number.isFinite(n) ? n : value;
}

/** The schema of one field; its output is the stored value (null: empty, undefined: not given). */
export function recordFieldSchema<F extends RecordField>(field: F, options: FieldSchemaOptions): z.ZodType<RecordFieldValues[F] | undefined> {
  const rule: FieldRule = recordFields[field];
  const m = options.messages;
  const sheet = options.input === 'sheet';
  const now = options.now ?? (() => new Date());
  // preprocess, not transform: zod 4 skips a transform for a missing key, and an empty sheet cell
  // may arrive as a missing key.
  const schema = z.preprocess((raw, ctx): unknown => {
    const fail = (message: string) => {
      ctx.addIssue({ code: 'custom', message });
      return z.NEVER;
    };
    // An empty cell, or a JSON field left out.
    if (raw === undefined || (sheet && (raw === null || raw === ''))) {
      if (rule.kind === 'status') return rule.default;
      if (rule.kind === 'text' && rule.required) return fail(m.required(field));
      return sheet ? null : undefined;
    }
    switch (rule.kind) {
      case 'text':
      case 'url': {
        const value = sheet && typeof raw === 'number' ? String(raw) : raw;
        if (typeof value !== 'string') return fail(m.notText(field));
        const text = normalizeText(value, rule.kind === 'text' && rule.multiline === true);
        if (text === '') return rule.kind === 'text' && rule.required ? fail(m.required(field)) : sheet ? null : undefined;
        const min = rule.kind === 'text' ? rule.min : 1;
        const length = textLength(text);
        if (length < min || length > rule.max) return fail(m.length(field, min, rule.max));
        if (rule.kind === 'url' && !httpUrl.safeParse(text).success) return fail(m.notUrl(field));
        return text;
      }
      case 'integer':
      case 'money':
      case 'year': {
        const value = sheet ? cellNumber(raw) : raw;
        if (value === null && sheet) return null;
        if (typeof value !== 'number' || !Number.isFinite(value)) return fail(m.notNumber(field));
        if (rule.kind !== 'money' && !Number.isInteger(value)) return fail(m.notInteger(field));
        const max = rule.kind === 'year' ? maxRecordYear(now()) : rule.max;
        if (value < rule.min || value > max) return fail(m.range(field, rule.min, max, value));
        return value;
      }
      case 'status': {
        const status = typeof raw !== 'string' ? undefined : sheet ? statusFromLabel(raw) : activeStatusSchema.safeParse(raw).data;
        return status ?? fail(m.status(field));
      }
    }
  }, z.unknown());
  // zod refuses undefined from a plain schema: a JSON field that may be left out is optional.
  // A status left out is the default (available), so the for-sale rule applies to it too.
  const optional = !sheet && rule.kind !== 'status' && !(rule.kind === 'text' && rule.required);
  return (optional ? schema.optional() : schema) as z.ZodType<RecordFieldValues[F] | undefined>;
}

/** Every catalog field, sheet row or API body, with the for-sale rule across fields. */
export function recordFieldsSchema(options: FieldSchemaOptions) {
  const shape = Object.fromEntries(recordFieldNames.map((field) => [field, recordFieldSchema(field, options)]));
  return z.object(shape).transform((row, ctx) => {
    for (const field of missingForSale(row, String(row.status))) {
      ctx.addIssue({ code: 'custom', path: [field], message: options.messages.forSale(field) });
    }
    // Fields left out of a JSON body stay out (the database gives them their defaults).
    const given = Object.fromEntries(Object.entries(row).filter(([, value]) => value !== undefined));
    return given as Partial<RecordFieldValues> & Pick<RecordFieldValues, 'title' | 'artist'> & { status: ActiveStatus };
  });
}
