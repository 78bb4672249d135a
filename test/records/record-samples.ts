import { recordFieldNames, recordFields, type FieldRule, type RecordField, type RecordFieldValues } from '../../shared/record-fields.ts';

/**
 * A value for every field, made from the field table itself: a field added to
 * shared/record-fields.ts is in every round trip of the tests without anyone listing it.
 * `variant` gives a second, different set (to check an update writes every field too).
 */
export function sampleValue(field: RecordField, variant = 0): unknown {
  const rule = recordFields[field] as FieldRule;
  switch (rule.kind) {
    case 'text':
      return rule.multiline ? `${field} ${variant}\nsecond line` : `${field} ${variant}`;
    case 'url':
      return `https://img.example/${field}-${variant}.jpg`;
    case 'integer':
      return rule.min + 2 + variant;
    case 'money':
      return 4321.5 + variant;
    case 'year':
      return 1977 + variant;
    case 'status':
      return variant === 0 ? 'available' : 'reserved';
  }
}

/** Every catalog field set (a record on sale, so the for-sale fields are there too). */
export function everyField(variant = 0, overrides: Partial<RecordFieldValues> = {}): RecordFieldValues {
  const values = Object.fromEntries(recordFieldNames.map((field) => [field, sampleValue(field, variant)]));
  return { ...values, ...overrides } as RecordFieldValues;
}

/** A value at a path such as 'preorder.minimum'. */
export function at(object: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((value, key) => (value as Record<string, unknown> | null)?.[key], object);
}

/** Every key path of a JSON object, nested objects flattened ('preorder.count'). */
export function keyPaths(object: Record<string, unknown>, prefix = ''): string[] {
  return Object.entries(object).flatMap(([key, value]) =>
    value !== null && typeof value === 'object' && !Array.isArray(value)
      ? keyPaths(value as Record<string, unknown>, `${prefix}${key}.`)
      : [`${prefix}${key}`],
  );
}

/** Strings that need normalising: decomposed letters, invisible and control characters, odd spaces. */
export const unnormalisedTexts = [
  'Мумии\u0306 Тролль', // й as и + combining breve (macOS, some keyboards)
  'Caf\u0065\u0301 Tacvba',
  'Abbey\u200BRoad',
  '\uFEFFBOM at the start',
  'soft\u00ADhyphen and word\u2060joiner',
  'right\u200Fto\u200Eleft \u202Aembedded\u202C',
  'tab\there and bell\u0007',
  'line\r\nbreak\rold mac\u2028separator\u2029paragraph\u0085next',
  '  leading,   inner   and trailing  ',
  'no\u00A0break\u2009thin\u3000ideographic',
  'C1 \u0090 control and DEL \u007F',
  '\u200B\u200B',
  'Sigur Rós — Ágætis byrjun',
  'plain text',
];
