// Ui (https://developers.google.com/apps-script/reference/base/ui) and
// HtmlService (https://developers.google.com/apps-script/reference/html/html-service).
import vm from 'node:vm';
import { currentRealm, expose, gasError, makeEnum, enumName, scriptCallback, type EnumValue } from './realm.ts';
import type { MenuItemRecord, PromptAnswer } from './protocol.ts';
import { Blob } from './utilities.ts';
import { currentExec, requireAuthorization, world } from './world.ts';

export const ButtonSet = makeEnum('ButtonSet', ['OK', 'OK_CANCEL', 'YES_NO', 'YES_NO_CANCEL']);
export const Button = makeEnum('Button', ['CLOSE', 'OK', 'CANCEL', 'YES', 'NO']);
const SET_BUTTONS: Record<string, string[]> = {
  OK: ['OK'],
  OK_CANCEL: ['OK', 'CANCEL'],
  YES_NO: ['YES', 'NO'],
  YES_NO_CANCEL: ['YES', 'NO', 'CANCEL'],
};

function nextAnswer(kind: string, set: string): PromptAnswer | undefined {
  const a = world().promptAnswers.shift();
  if (a && a.button !== 'CLOSE' && !SET_BUTTONS[set]?.includes(a.button)) {
    throw new Error(`Emulator: scripted answer ${a.button} is not a button of the ${kind}'s ButtonSet.${set}`);
  }
  return a;
}

export class PromptResponse {
  constructor(readonly _text: string, readonly _button: EnumValue) {}
  getResponseText(): string { return this._text; }
  getSelectedButton(): EnumValue { return this._button; }
}

export class Menu {
  readonly _items: MenuItemRecord[] = [];
  constructor(readonly _caption: string) {}
  addItem(caption: string, functionName: string): Menu {
    this._items.push({ caption: String(caption), functionName: String(functionName) });
    return this;
  }
  addSeparator(): Menu { this._items.push({ caption: '', separator: true }); return this; }
  addSubMenu(menu: Menu): Menu {
    this._items.push({ caption: menu._caption, subMenu: { title: menu._caption, items: menu._items } });
    return this;
  }
  addToUi(): void {
    const w = world();
    w.menus.set(this._caption, this._items);
    w.uiLog.push({ kind: 'menu', title: this._caption, items: structuredClone(this._items), fn: currentExec()?.fn });
  }
}

/** Splits the documented overloads f(prompt), f(prompt, buttons), f(title, prompt, buttons). */
function overload(args: unknown[]): { title?: string; message: string; set: string } {
  if (args.length >= 3) return { title: String(args[0]), message: String(args[1]), set: enumName(args[2]) };
  if (args.length === 2 && typeof args[1] !== 'string') return { message: String(args[0]), set: enumName(args[1]) };
  if (args.length === 2) return { title: String(args[0]), message: String(args[1]), set: 'OK' };
  return { message: String(args[0] ?? ''), set: 'OK' };
}

export class Ui {
  readonly ButtonSet = ButtonSet;
  readonly Button = Button;

  /**
   * Alerts with ButtonSet.OK need no decision and do not consume a scripted
   * answer; others take the next answer (default: the first button).
   */
  alert(...args: unknown[]): EnumValue {
    const { title, message, set } = overload(args);
    const answer = set === 'OK' ? undefined : nextAnswer('alert', set);
    const button = answer?.button ?? SET_BUTTONS[set]?.[0] ?? 'OK';
    world().uiLog.push({ kind: 'alert', title, message, buttons: set, answer: button, fn: currentExec()?.fn });
    return Button[button] as EnumValue;
  }
  /** Takes the next scripted answer; without one the user closes the dialog (Button.CLOSE, ''). */
  prompt(...args: unknown[]): PromptResponse {
    const { title, message, set } = overload(args);
    const answer = nextAnswer('prompt', set);
    const button = answer?.button ?? 'CLOSE';
    const text = answer?.text ?? '';
    world().uiLog.push({ kind: 'prompt', title, message, buttons: set, answer: button, responseText: text, fn: currentExec()?.fn });
    return new PromptResponse(text, Button[button] as EnumValue);
  }
  createMenu(caption: string): Menu { return new Menu(String(caption)); }
  createAddonMenu(): Menu { return new Menu('Add-on'); }
  showSidebar(userInterface: HtmlOutput): void {
    requireAuthorization('Ui.showSidebar', 'https://www.googleapis.com/auth/script.container.ui');
    world().uiLog.push({ kind: 'sidebar', title: userInterface._title, html: userInterface._html, fn: currentExec()?.fn });
  }
  showModalDialog(userInterface: HtmlOutput, title: string): void {
    requireAuthorization('Ui.showModalDialog', 'https://www.googleapis.com/auth/script.container.ui');
    world().uiLog.push({ kind: 'dialog', title: String(title), html: userInterface._html, fn: currentExec()?.fn });
  }
  showModelessDialog(userInterface: HtmlOutput, title: string): void {
    requireAuthorization('Ui.showModelessDialog', 'https://www.googleapis.com/auth/script.container.ui');
    world().uiLog.push({ kind: 'dialog', title: String(title), html: userInterface._html, fn: currentExec()?.fn });
  }
  showDialog(userInterface: HtmlOutput): void { this.showModalDialog(userInterface, userInterface._title); }
}

// ---- HtmlService -------------------------------------------------------------

export class HtmlOutput {
  _title = '';
  _width = 0;
  _height = 0;
  constructor(public _html = '') {}
  getContent(): string { return this._html; }
  setContent(c: string): HtmlOutput { this._html = String(c); return this; }
  append(c: string): HtmlOutput { this._html += String(c); return this; }
  appendUntrusted(c: string): HtmlOutput { this._html += escapeHtml(String(c)); return this; }
  clear(): HtmlOutput { this._html = ''; return this; }
  getTitle(): string { return this._title; }
  setTitle(t: string): HtmlOutput { this._title = String(t); return this; }
  getWidth(): number { return this._width; }
  setWidth(w: number): HtmlOutput { this._width = Number(w); return this; }
  getHeight(): number { return this._height; }
  setHeight(h: number): HtmlOutput { this._height = Number(h); return this; }
  setSandboxMode(_m: unknown): HtmlOutput { return this; }
  setXFrameOptionsMode(_m: unknown): HtmlOutput { return this; }
  setFaviconUrl(_u: string): HtmlOutput { return this; }
  addMetaTag(_n: string, _c: string): HtmlOutput { return this; }
  getBlob(): Blob { return new Blob(Buffer.from(this._html, 'utf8'), 'text/html', this._title || null); }
  getAs(_contentType: string): Blob { return this.getBlob(); }
  asTemplate(): HtmlTemplate { return new HtmlTemplate(this._html); }
}

function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/** Compiles <? code ?>, <?= escaped ?> and <?!= raw ?> scriptlets to a function of the template object. */
function compileTemplate(src: string): string {
  let code = 'var __o = [];\n';
  const re = /<\?(!=|=)?([\s\S]*?)\?>/g;
  let last = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(src))) {
    code += `__o.push(${JSON.stringify(src.slice(last, m.index))});\n`;
    const body = m[2] ?? '';
    if (m[1] === '=') code += `__o.push(__esc(${body}));\n`;
    else if (m[1] === '!=') code += `__o.push(__raw(${body}));\n`;
    else code += `${body}\n`;
    last = re.lastIndex;
  }
  code += `__o.push(${JSON.stringify(src.slice(last))});\nreturn __o.join('');`;
  return code;
}

export class HtmlTemplate {
  [key: string]: unknown;
  constructor(readonly _src: string) {}
  getRawContent(): string { return this._src; }
  getCode(): string { return compileTemplate(this._src); }
  evaluate(): HtmlOutput {
    const realm = currentRealm();
    if (!realm) throw gasError('Templates can only be evaluated inside an execution.');
    const fnSrc = `(function (__esc, __raw) { with (this) { ${compileTemplate(this._src)} } })`;
    const fn = vm.runInContext(fnSrc, realm.ctx) as (this: unknown, e: (v: unknown) => string, r: (v: unknown) => string) => string;
    const str = (v: unknown): string => (v === null || v === undefined ? '' : String(v));
    const html = scriptCallback(() => fn.call(this, (v) => escapeHtml(str(v)), str));
    return new HtmlOutput(html);
  }
}

function htmlFile(filename: string): string {
  const name = String(filename).replace(/\.html$/, '');
  const content = world().opts.htmlFiles?.[name];
  if (content === undefined) throw gasError(`No HTML file named ${name} was found.`);
  return content;
}

export class HtmlServiceImpl {
  readonly SandboxMode = makeEnum('SandboxMode', ['EMULATED', 'IFRAME', 'NATIVE']);
  readonly XFrameOptionsMode = makeEnum('XFrameOptionsMode', ['ALLOWALL', 'DEFAULT']);
  createHtmlOutput(html?: unknown): HtmlOutput {
    if (html instanceof HtmlTemplate) return html.evaluate();
    if (html instanceof Blob) return new HtmlOutput(html.getDataAsString());
    return new HtmlOutput(html === undefined ? '' : String(html));
  }
  createHtmlOutputFromFile(filename: string): HtmlOutput { return new HtmlOutput(htmlFile(filename)); }
  createTemplate(html: unknown): HtmlTemplate { return new HtmlTemplate(html instanceof Blob ? html.getDataAsString() : String(html)); }
  createTemplateFromFile(filename: string): HtmlTemplate { return new HtmlTemplate(htmlFile(filename)); }
  getUserAgent(): string { return 'Mozilla/5.0 (Apps Script emulator)'; }
}

for (const cls of [Ui, Menu, PromptResponse, HtmlOutput, HtmlTemplate, HtmlServiceImpl]) expose(cls);
