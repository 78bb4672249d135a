// Data validation and conditional format rules.
// https://developers.google.com/apps-script/reference/spreadsheet/data-validation-builder
// https://developers.google.com/apps-script/reference/spreadsheet/conditional-format-rule-builder
import { expose, gasError, isDate, makeEnum, enumName, type EnumValue } from './realm.ts';
import { isEmptyCell } from './cells.ts';
import type { ConditionalRuleData, ValidationData } from './sheet-model.ts';
import { Range } from './range.ts';
import { world } from './world.ts';

export const DataValidationCriteria = makeEnum('DataValidationCriteria', [
  'DATE_AFTER', 'DATE_BEFORE', 'DATE_BETWEEN', 'DATE_EQUAL_TO', 'DATE_IS_VALID_DATE', 'DATE_NOT_BETWEEN',
  'DATE_ON_OR_AFTER', 'DATE_ON_OR_BEFORE', 'NUMBER_BETWEEN', 'NUMBER_EQUAL_TO', 'NUMBER_GREATER_THAN',
  'NUMBER_GREATER_THAN_OR_EQUAL_TO', 'NUMBER_LESS_THAN', 'NUMBER_LESS_THAN_OR_EQUAL_TO', 'NUMBER_NOT_BETWEEN',
  'NUMBER_NOT_EQUAL_TO', 'TEXT_CONTAINS', 'TEXT_DOES_NOT_CONTAIN', 'TEXT_EQUAL_TO', 'TEXT_IS_VALID_EMAIL',
  'TEXT_IS_VALID_URL', 'VALUE_IN_LIST', 'VALUE_IN_RANGE', 'CUSTOM_FORMULA', 'CHECKBOX',
]);

export const BooleanCriteria = makeEnum('BooleanCriteria', [
  'CELL_EMPTY', 'CELL_NOT_EMPTY', 'DATE_AFTER', 'DATE_BEFORE', 'DATE_EQUAL_TO', 'NUMBER_BETWEEN', 'NUMBER_EQUAL_TO',
  'NUMBER_GREATER_THAN', 'NUMBER_GREATER_THAN_OR_EQUAL_TO', 'NUMBER_LESS_THAN', 'NUMBER_LESS_THAN_OR_EQUAL_TO',
  'NUMBER_NOT_BETWEEN', 'NUMBER_NOT_EQUAL_TO', 'TEXT_CONTAINS', 'TEXT_DOES_NOT_CONTAIN', 'TEXT_EQUAL_TO',
  'TEXT_STARTS_WITH', 'TEXT_ENDS_WITH', 'CUSTOM_FORMULA',
]);

export class DataValidation {
  constructor(readonly _d: ValidationData) {}
  getAllowInvalid(): boolean { return this._d.allowInvalid; }
  getCriteriaType(): EnumValue { return DataValidationCriteria[this._d.type] as EnumValue; }
  getCriteriaValues(): unknown[] { return [...this._d.values]; }
  getHelpText(): string | null { return this._d.helpText || null; }
  copy(): DataValidationBuilder { return new DataValidationBuilder({ ...this._d, values: [...this._d.values] }); }
}

export class DataValidationBuilder {
  _d: ValidationData;
  constructor(d?: ValidationData) {
    // "The default for a new data validation rule is true" (setAllowInvalid).
    this._d = d ?? { type: '', values: [], allowInvalid: true, helpText: '' };
  }
  _set(type: string, values: unknown[]): this {
    this._d.type = type;
    this._d.values = values;
    return this;
  }
  build(): DataValidation {
    if (!this._d.type) throw gasError('You must specify a criteria for the data validation rule.');
    return new DataValidation({ ...this._d, values: [...this._d.values] });
  }
  copy(): DataValidationBuilder { return new DataValidationBuilder({ ...this._d, values: [...this._d.values] }); }
  getAllowInvalid(): boolean { return this._d.allowInvalid; }
  getCriteriaType(): EnumValue | null { return this._d.type ? (DataValidationCriteria[this._d.type] ?? null) : null; }
  getCriteriaValues(): unknown[] { return [...this._d.values]; }
  getHelpText(): string | null { return this._d.helpText || null; }
  setAllowInvalid(allow: boolean): this { this._d.allowInvalid = !!allow; return this; }
  setHelpText(text: string): this { this._d.helpText = String(text); return this; }
  withCriteria(criteria: unknown, args: unknown[]): this { return this._set(enumName(criteria), [...args]); }
  requireCheckbox(checked?: unknown, unchecked?: unknown): this {
    return this._set('CHECKBOX', checked === undefined ? [] : unchecked === undefined ? [checked] : [checked, unchecked]);
  }
  requireDate(): this { return this._set('DATE_IS_VALID_DATE', []); }
  requireDateAfter(d: Date): this { return this._set('DATE_AFTER', [d]); }
  requireDateBefore(d: Date): this { return this._set('DATE_BEFORE', [d]); }
  requireDateBetween(a: Date, b: Date): this { return this._set('DATE_BETWEEN', [a, b]); }
  requireDateEqualTo(d: Date): this { return this._set('DATE_EQUAL_TO', [d]); }
  requireDateNotBetween(a: Date, b: Date): this { return this._set('DATE_NOT_BETWEEN', [a, b]); }
  requireDateOnOrAfter(d: Date): this { return this._set('DATE_ON_OR_AFTER', [d]); }
  requireDateOnOrBefore(d: Date): this { return this._set('DATE_ON_OR_BEFORE', [d]); }
  requireFormulaSatisfied(f: string): this { return this._set('CUSTOM_FORMULA', [f]); }
  requireNumberBetween(a: number, b: number): this { return this._set('NUMBER_BETWEEN', [a, b]); }
  requireNumberEqualTo(n: number): this { return this._set('NUMBER_EQUAL_TO', [n]); }
  requireNumberGreaterThan(n: number): this { return this._set('NUMBER_GREATER_THAN', [n]); }
  requireNumberGreaterThanOrEqualTo(n: number): this { return this._set('NUMBER_GREATER_THAN_OR_EQUAL_TO', [n]); }
  requireNumberLessThan(n: number): this { return this._set('NUMBER_LESS_THAN', [n]); }
  requireNumberLessThanOrEqualTo(n: number): this { return this._set('NUMBER_LESS_THAN_OR_EQUAL_TO', [n]); }
  requireNumberNotBetween(a: number, b: number): this { return this._set('NUMBER_NOT_BETWEEN', [a, b]); }
  requireNumberNotEqualTo(n: number): this { return this._set('NUMBER_NOT_EQUAL_TO', [n]); }
  requireTextContains(t: string): this { return this._set('TEXT_CONTAINS', [t]); }
  requireTextDoesNotContain(t: string): this { return this._set('TEXT_DOES_NOT_CONTAIN', [t]); }
  requireTextEqualTo(t: string): this { return this._set('TEXT_EQUAL_TO', [t]); }
  requireTextIsEmail(): this { return this._set('TEXT_IS_VALID_EMAIL', []); }
  requireTextIsUrl(): this { return this._set('TEXT_IS_VALID_URL', []); }
  requireValueInList(values: unknown[], showDropdown = true): this {
    if (!Array.isArray(values)) throw gasError('The parameters (String) don\'t match the method signature for SpreadsheetApp.DataValidationBuilder.requireValueInList.');
    return this._set('VALUE_IN_LIST', [values.map((v) => String(v)), !!showDropdown]);
  }
  requireValueInRange(range: Range, showDropdown = true): this { return this._set('VALUE_IN_RANGE', [range, !!showDropdown]); }
}

const num = (v: unknown): number | undefined => (typeof v === 'number' ? v : isDate(v) ? v.getTime() : undefined);

/**
 * Whether a value a *user* enters satisfies the rule. Empty input always
 * passes (clearing a cell is allowed). Returns the message the Sheets UI shows
 * when it rejects the input, or undefined when valid.
 */
export function checkValidation(d: ValidationData, v: unknown): string | undefined {
  if (isEmptyCell(v)) return undefined;
  const vals = d.values;
  const n = num(v);
  const a = num(vals[0]);
  const b = num(vals[1]);
  const s = String(v);
  let ok = true;
  let msg = 'Input must fall within specified range';
  switch (d.type) {
    case 'VALUE_IN_LIST':
      ok = ((vals[0] as unknown[]) ?? []).some((x) => String(x) === s);
      msg = 'Input must be an item on the specified list';
      break;
    case 'VALUE_IN_RANGE': {
      const r = vals[0] as Range | undefined;
      const items = r && typeof r._cellValues === 'function' ? r._cellValues().flat() : [];
      ok = items.some((x) => !isEmptyCell(x) && String(x) === s);
      msg = 'Input must be an item on the specified list';
      break;
    }
    case 'CHECKBOX':
      ok = vals.length ? vals.some((x) => String(x) === s) : typeof v === 'boolean';
      msg = 'Input must be a checkbox value';
      break;
    case 'NUMBER_BETWEEN': ok = n !== undefined && n >= (a ?? -Infinity) && n <= (b ?? Infinity); msg = `Input must be a number between ${vals[0]} and ${vals[1]}`; break;
    case 'NUMBER_NOT_BETWEEN': ok = n !== undefined && (n < (a ?? 0) || n > (b ?? 0)); break;
    case 'NUMBER_EQUAL_TO': ok = n === a; break;
    case 'NUMBER_NOT_EQUAL_TO': ok = n !== undefined && n !== a; break;
    case 'NUMBER_GREATER_THAN': ok = n !== undefined && n > (a ?? 0); msg = `Input must be greater than ${vals[0]}`; break;
    case 'NUMBER_GREATER_THAN_OR_EQUAL_TO': ok = n !== undefined && n >= (a ?? 0); msg = `Input must be greater than or equal to ${vals[0]}`; break;
    case 'NUMBER_LESS_THAN': ok = n !== undefined && n < (a ?? 0); msg = `Input must be less than ${vals[0]}`; break;
    case 'NUMBER_LESS_THAN_OR_EQUAL_TO': ok = n !== undefined && n <= (a ?? 0); msg = `Input must be less than or equal to ${vals[0]}`; break;
    case 'TEXT_CONTAINS': ok = s.includes(String(vals[0])); msg = `Input must contain "${vals[0]}"`; break;
    case 'TEXT_DOES_NOT_CONTAIN': ok = !s.includes(String(vals[0])); break;
    case 'TEXT_EQUAL_TO': ok = s === String(vals[0]); break;
    case 'TEXT_IS_VALID_EMAIL': ok = /^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(s); msg = 'Input must be a valid email address'; break;
    case 'TEXT_IS_VALID_URL': ok = /^(https?:\/\/)?[^\s/]+\.[^\s]+$/i.test(s); msg = 'Input must be a valid URL'; break;
    case 'DATE_IS_VALID_DATE': ok = isDate(v); msg = 'Input must be a valid date'; break;
    case 'DATE_AFTER': ok = isDate(v) && n! > (a ?? 0); break;
    case 'DATE_BEFORE': ok = isDate(v) && n! < (a ?? 0); break;
    case 'DATE_ON_OR_AFTER': ok = isDate(v) && n! >= (a ?? 0); break;
    case 'DATE_ON_OR_BEFORE': ok = isDate(v) && n! <= (a ?? 0); break;
    case 'DATE_EQUAL_TO': ok = isDate(v) && n === a; break;
    case 'DATE_BETWEEN': ok = isDate(v) && n! >= (a ?? 0) && n! <= (b ?? 0); break;
    case 'DATE_NOT_BETWEEN': ok = isDate(v) && (n! < (a ?? 0) || n! > (b ?? 0)); break;
    default: ok = true; // CUSTOM_FORMULA: formulas are not evaluated by the emulator
  }
  if (ok) return undefined;
  return d.helpText || msg;
}

// ---- conditional formatting --------------------------------------------------

export class BooleanCondition {
  constructor(readonly _d: ConditionalRuleData) {}
  getCriteriaType(): EnumValue | null { return BooleanCriteria[this._d.condition] ?? null; }
  getCriteriaValues(): unknown[] { return [...this._d.values]; }
  getBackground(): string | null { return this._d.background ?? null; }
  getFontColor(): string | null { return this._d.fontColor ?? null; }
  getBold(): boolean | null { return this._d.bold ?? null; }
}

function rangesOf(d: ConditionalRuleData): Range[] {
  const ss = world().ss;
  return d.ranges.flatMap((r) => {
    const sheet = ss.byId(r.sheetId);
    return sheet ? [new Range(sheet, r.row, r.col, r.numRows, r.numCols)] : [];
  });
}

export class ConditionalFormatRule {
  constructor(readonly _d: ConditionalRuleData) {}
  copy(): ConditionalFormatRuleBuilder { return new ConditionalFormatRuleBuilder(cloneRule(this._d)); }
  getBooleanCondition(): BooleanCondition | null { return this._d.condition ? new BooleanCondition(this._d) : null; }
  getGradientCondition(): null { return null; }
  getRanges(): Range[] { return rangesOf(this._d); }
}

export function cloneRule(d: ConditionalRuleData): ConditionalRuleData {
  return { ...d, values: [...d.values], ranges: d.ranges.map((r) => ({ ...r })) };
}

export class ConditionalFormatRuleBuilder {
  _d: ConditionalRuleData;
  constructor(d?: ConditionalRuleData) {
    this._d = d ?? { condition: '', values: [], ranges: [] };
  }
  _when(condition: string, values: unknown[]): this { this._d.condition = condition; this._d.values = values; return this; }
  build(): ConditionalFormatRule {
    if (!this._d.condition) throw gasError('A conditional format rule must have a condition.');
    return new ConditionalFormatRule(cloneRule(this._d));
  }
  copy(): ConditionalFormatRuleBuilder { return new ConditionalFormatRuleBuilder(cloneRule(this._d)); }
  getRanges(): Range[] { return rangesOf(this._d); }
  getBooleanCondition(): BooleanCondition | null { return this._d.condition ? new BooleanCondition(this._d) : null; }
  setRanges(ranges: Range[]): this {
    this._d.ranges = Array.from(ranges).map((r) => ({ sheetId: r._sheet.id, row: r._row, col: r._col, numRows: r._numRows, numCols: r._numCols }));
    return this;
  }
  setBackground(color: string | null): this { this._d.background = color ?? undefined; return this; }
  setFontColor(color: string | null): this { this._d.fontColor = color ?? undefined; return this; }
  setBold(bold: boolean | null): this { this._d.bold = bold ?? undefined; return this; }
  setItalic(_italic: boolean | null): this { return this; }
  setStrikethrough(_s: boolean | null): this { return this; }
  setUnderline(_u: boolean | null): this { return this; }
  whenCellEmpty(): this { return this._when('CELL_EMPTY', []); }
  whenCellNotEmpty(): this { return this._when('CELL_NOT_EMPTY', []); }
  whenDateAfter(d: unknown): this { return this._when('DATE_AFTER', [d]); }
  whenDateBefore(d: unknown): this { return this._when('DATE_BEFORE', [d]); }
  whenDateEqualTo(d: unknown): this { return this._when('DATE_EQUAL_TO', [d]); }
  whenFormulaSatisfied(formula: string): this { return this._when('CUSTOM_FORMULA', [formula]); }
  whenNumberBetween(a: number, b: number): this { return this._when('NUMBER_BETWEEN', [a, b]); }
  whenNumberEqualTo(n: number): this { return this._when('NUMBER_EQUAL_TO', [n]); }
  whenNumberGreaterThan(n: number): this { return this._when('NUMBER_GREATER_THAN', [n]); }
  whenNumberGreaterThanOrEqualTo(n: number): this { return this._when('NUMBER_GREATER_THAN_OR_EQUAL_TO', [n]); }
  whenNumberLessThan(n: number): this { return this._when('NUMBER_LESS_THAN', [n]); }
  whenNumberLessThanOrEqualTo(n: number): this { return this._when('NUMBER_LESS_THAN_OR_EQUAL_TO', [n]); }
  whenNumberNotBetween(a: number, b: number): this { return this._when('NUMBER_NOT_BETWEEN', [a, b]); }
  whenNumberNotEqualTo(n: number): this { return this._when('NUMBER_NOT_EQUAL_TO', [n]); }
  whenTextContains(t: string): this { return this._when('TEXT_CONTAINS', [t]); }
  whenTextDoesNotContain(t: string): this { return this._when('TEXT_DOES_NOT_CONTAIN', [t]); }
  whenTextEndsWith(t: string): this { return this._when('TEXT_ENDS_WITH', [t]); }
  whenTextEqualTo(t: string): this { return this._when('TEXT_EQUAL_TO', [t]); }
  whenTextStartsWith(t: string): this { return this._when('TEXT_STARTS_WITH', [t]); }
}

for (const cls of [DataValidation, DataValidationBuilder, BooleanCondition, ConditionalFormatRule, ConditionalFormatRuleBuilder]) {
  expose(cls, true);
}
