import http from 'node:http';
import { createHmac } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAppsScriptEmulator, type AppsScriptEmulator } from './apps-script-emulator.ts';

interface Received {
  path: string;
  method: string;
  body: string;
  signature?: string;
}

const SECRET = 'test-secret';

// Shaped like esbuild's output for the add-on: an IIFE assigning a global,
// plus top-level function stubs so Apps Script can call handlers by name.
const BUNDLE = String.raw`"use strict";
var VinylAddon = (() => {
  function props() { return PropertiesService.getScriptProperties(); }
  function catalog() { return SpreadsheetApp.getActive().getSheetByName('Catalog'); }
  function post(path, payload) {
    var body = JSON.stringify(payload);
    var sig = Utilities.base64Encode(Utilities.computeHmacSha256Signature(body, props().getProperty('SECRET')));
    return UrlFetchApp.fetch(props().getProperty('SERVER_URL') + path, {
      method: 'post', contentType: 'application/json', payload: body, headers: { 'X-Signature': sig }, muteHttpExceptions: true,
    });
  }
  function onOpen(e) {
    var ui = SpreadsheetApp.getUi();
    ui.createMenu('Vinyl')
      .addItem('Install sync', 'install')
      .addSeparator()
      .addSubMenu(ui.createMenu('Tools').addItem('Mark selected', 'markSelected'))
      .addToUi();
    console.log('onOpen ' + e.authMode);
  }
  function onEdit(e) {
    console.log('simple onEdit ' + e.authMode + ' ' + e.range.getA1Notation());
    UrlFetchApp.fetch(props().getProperty('SERVER_URL') + '/never');
  }
  function install() {
    var ss = SpreadsheetApp.getActive();
    ScriptApp.newTrigger('handleEdit').forSpreadsheet(ss).onEdit().create();
    ScriptApp.newTrigger('handleChange').forSpreadsheet(ss).onChange().create();
  }
  function handleEdit(e) {
    var res = post('/edits', {
      a1: e.range.getA1Notation(), value: e.value, oldValue: e.oldValue, hasValue: 'value' in e,
      hasOldValue: 'oldValue' in e, rows: e.range.getValues(), triggerUid: e.triggerUid,
      authMode: String(e.authMode), user: e.user.getEmail(), source: e.source.getName(),
    });
    // A script write: must not fire onEdit again.
    e.range.getSheet().getRange(e.range.getRow(), 5).setValue('synced ' + res.getResponseCode() + ' ' + JSON.parse(res.getContentText()).ok);
  }
  function handleChange(e) { if (e.changeType !== 'EDIT') post('/changes', { changeType: e.changeType }); }
  function installTick() { ScriptApp.newTrigger('tick').timeBased().everyMinutes(1).create(); }
  function installBadTick() { ScriptApp.newTrigger('tick').timeBased().everyMinutes(2).create(); }
  function tick(e) {
    props().setProperties({ ticks: String(Number(props().getProperty('ticks') || 0) + 1), tickTimezone: e.timezone, tickMinute: String(e.minute) });
  }
  function hmacBytes(message, key) { return Utilities.computeHmacSha256Signature(message, key); }
  function addValidation() {
    catalog().getRange('C2:C1000').setDataValidation(
      SpreadsheetApp.newDataValidation().requireValueInList(['new', 'used', 'sealed'], true).setAllowInvalid(false).build());
  }
  function readAll() { return catalog().getRange(1, 1, 1000, 5).getValues().length; }
  function fetchStatus(url, mute) {
    try { return UrlFetchApp.fetch(url, { muteHttpExceptions: mute }).getResponseCode(); }
    catch (err) { return 'threw: ' + err.message; }
  }
  function markSelected() {
    var range = SpreadsheetApp.getActiveRange();
    range.setBackground('#ffff00');
    SpreadsheetApp.getActive().toast(range.getNumRows() + ' rows marked', 'Vinyl');
  }
  function boom() { throw new Error('kaboom'); }
  function freezeHeader() { catalog().setFrozenRows(1); }
  function askDiscount() {
    var ui = SpreadsheetApp.getUi();
    var r = ui.prompt('Discount', 'Percent off?', ui.ButtonSet.OK_CANCEL);
    var a = ui.alert('Apply ' + r.getResponseText() + '%?', ui.ButtonSet.YES_NO);
    var t = HtmlService.createTemplateFromFile('Sidebar');
    t.title = '<Sale>';
    t.percent = r.getResponseText();
    ui.showSidebar(t.evaluate().setTitle('Discount'));
    return [String(r.getSelectedButton()), r.getResponseText(), a === ui.Button.NO ? 'NO' : 'YES'];
  }
  return { onOpen, onEdit, install, handleEdit, handleChange, installTick, installBadTick, tick, hmacBytes,
    addValidation, readAll, fetchStatus, markSelected, boom, freezeHeader, askDiscount };
})();
function onOpen(e) { return VinylAddon.onOpen(e); }
function onEdit(e) { return VinylAddon.onEdit(e); }
function install() { return VinylAddon.install(); }
function handleEdit(e) { return VinylAddon.handleEdit(e); }
function handleChange(e) { return VinylAddon.handleChange(e); }
function installTick() { return VinylAddon.installTick(); }
function installBadTick() { return VinylAddon.installBadTick(); }
function tick(e) { return VinylAddon.tick(e); }
function hmacBytes(m, k) { return VinylAddon.hmacBytes(m, k); }
function addValidation() { return VinylAddon.addValidation(); }
function readAll() { return VinylAddon.readAll(); }
function fetchStatus(u, m) { return VinylAddon.fetchStatus(u, m); }
function markSelected() { return VinylAddon.markSelected(); }
function boom() { return VinylAddon.boom(); }
function freezeHeader() { return VinylAddon.freezeHeader(); }
function askDiscount() { return VinylAddon.askDiscount(); }
`;

describe('Apps Script emulator', () => {
  let server: http.Server;
  let baseUrl: string;
  const received: Received[] = [];
  let emu: AppsScriptEmulator;

  const lastExecution = async (fn: string) => (await emu.executions()).filter((x) => x.fn === fn).at(-1);

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        if (req.url === '/missing') {
          res.writeHead(404, { 'Content-Type': 'text/plain' }).end('no such thing');
          return;
        }
        received.push({ path: req.url ?? '', method: req.method ?? '', body, signature: req.headers['x-signature'] as string | undefined });
        const ok = createHmac('sha256', SECRET).update(body).digest('base64') === req.headers['x-signature'];
        res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ ok }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

    emu = await startAppsScriptEmulator({
      bundle: BUNDLE,
      timeZone: 'Europe/Moscow',
      now: Date.UTC(2024, 4, 1, 9, 0, 0),
      user: 'clerk@vinyl.test',
      htmlFiles: { Sidebar: '<h1><?= title ?></h1><p><?!= percent ?>% off</p>' },
    });
    await emu.addSheet('Catalog', [
      ['Artist', 'Title', 'Condition', 'Price', 'Status'],
      ['Miles Davis', 'Kind of Blue', 'used', 35, ''],
      ['Nina Simone', 'Pastel Blues', 'new', 28, ''],
    ]);
    await emu.setScriptProperties({ SERVER_URL: baseUrl, SECRET });
  });

  afterAll(async () => {
    await emu?.close();
    await new Promise((resolve) => server?.close(resolve));
  });

  it('runs the simple onOpen in LIMITED mode and records the menu', async () => {
    await emu.open();
    const menu = (await emu.uiLog()).find((x) => x.kind === 'menu');
    expect(menu?.title).toBe('Vinyl');
    expect(menu?.items).toEqual([
      { caption: 'Install sync', functionName: 'install' },
      { caption: '', separator: true },
      { caption: 'Tools', subMenu: { title: 'Tools', items: [{ caption: 'Mark selected', functionName: 'markSelected' }] } },
    ]);
    expect(await emu.logs()).toContain('onOpen LIMITED');
  });

  it('installs installable triggers from a menu function', async () => {
    await emu.clickMenu('Vinyl', 'Install sync');
    const triggers = await emu.triggers();
    expect(triggers.map((t) => [t.handler, t.type])).toEqual([
      ['handleEdit', 'ON_EDIT'],
      ['handleChange', 'ON_CHANGE'],
    ]);
  });

  it('single-cell edit: simple trigger is denied UrlFetch, installable trigger posts synchronously', async () => {
    received.length = 0;
    await emu.edit('Catalog', 'D2', '42');

    const simple = await lastExecution('onEdit');
    expect(simple).toMatchObject({ trigger: 'simple', authMode: 'LIMITED' });
    expect(simple?.error).toBe(
      'Exception: You do not have permission to call UrlFetchApp.fetch. Required permissions: https://www.googleapis.com/auth/script.external_request',
    );

    // The request reached the server during the execution, and the handler used the response.
    expect(received).toHaveLength(1);
    const body = JSON.parse(received[0]!.body);
    expect(body).toMatchObject({ a1: 'D2', value: '42', oldValue: '35', hasValue: true, authMode: 'FULL', user: 'clerk@vinyl.test', source: 'Catalog' });
    expect(body.triggerUid).toBe((await emu.triggers())[0]!.id);
    expect(body.rows).toEqual([[42]]);
    const values = await emu.values('Catalog');
    expect(values[1]).toEqual(['Miles Davis', 'Kind of Blue', 'used', 42, 'synced 200 true']);

    // setValue by the script fired nothing: one handleEdit run only.
    expect((await emu.executions()).filter((x) => x.fn === 'handleEdit')).toHaveLength(1);
    expect(await lastExecution('handleEdit')).toMatchObject({ urlFetches: 1 });
  });

  it('paste: the range covers the whole block and there is no value/oldValue', async () => {
    received.length = 0;
    await emu.paste('Catalog', 'A4', [
      ['John Coltrane', 'Blue Train', 'sealed', 40],
      ['Bill Evans', 'Waltz for Debby', 'used', 30],
    ]);
    expect(received).toHaveLength(1);
    const body = JSON.parse(received[0]!.body);
    expect(body).toMatchObject({ a1: 'A4:D5', hasValue: false, hasOldValue: false });
    expect(body.rows).toEqual([
      ['John Coltrane', 'Blue Train', 'sealed', 40],
      ['Bill Evans', 'Waltz for Debby', 'used', 30],
    ]);
    expect((await emu.values('Catalog')).length).toBe(5);
  });

  it('signs with Utilities.computeHmacSha256Signature exactly like node:crypto (signed bytes)', async () => {
    const bytes = (await emu.runFunction('hmacBytes', 'order #42', 'k3y')) as number[];
    const expected = [...createHmac('sha256', 'k3y').update('order #42').digest()].map((b) => (b > 127 ? b - 256 : b));
    expect(bytes).toEqual(expected);
    expect(bytes.some((b) => b < 0)).toBe(true);
    // The server verified the base64 signature of every request it received.
    expect(received.every((r) => r.signature)).toBe(true);
  });

  it('counts Spreadsheet service calls, not cells', async () => {
    await emu.resetSpreadsheetCalls();
    expect(await emu.runFunction('readAll')).toBe(1000);
    // getActive + getSheetByName + getRange + getValues
    expect(await emu.spreadsheetCalls()).toBe(4);
  });

  it('rejects a user edit outside a list validation (allowInvalid false)', async () => {
    await emu.runFunction('addValidation');
    const runsBefore = (await emu.executions()).length;
    await emu.edit('Catalog', 'C2', 'scratched');
    expect((await emu.values('Catalog'))[1]![2]).toBe('used');
    expect(await emu.editRejections()).toEqual([{ sheet: 'Catalog', a1: 'C2', message: 'Input must be an item on the specified list' }]);
    expect((await emu.executions()).length).toBe(runsBefore);

    await emu.edit('Catalog', 'C2', 'sealed');
    expect((await emu.values('Catalog'))[1]![2]).toBe('sealed');
    const info = await emu.sheetInfo('Catalog');
    expect(info.validations[1]![2]).toMatchObject({ criteria: 'VALUE_IN_LIST', allowInvalid: false });
  });


  it('deleteRows fires onChange REMOVE_ROW and no onEdit', async () => {
    received.length = 0;
    const editsBefore = (await emu.executions()).filter((x) => x.fn === 'handleEdit').length;
    await emu.deleteRows('Catalog', 5, 1);
    expect(received.map((r) => [r.path, JSON.parse(r.body).changeType])).toEqual([['/changes', 'REMOVE_ROW']]);
    expect((await emu.executions()).filter((x) => x.fn === 'handleEdit')).toHaveLength(editsBefore);
    expect((await emu.values('Catalog')).length).toBe(4);
    const info = await emu.sheetInfo('Catalog');
    expect(info.maxRows).toBe(999);
  });

  it('runs everyMinutes(1) triggers as the clock advances, and rejects everyMinutes(2)', async () => {
    await emu.runFunction('installTick');
    await emu.advanceTime(60_000);
    expect(await emu.getScriptProperties()).toMatchObject({ ticks: '1', tickTimezone: 'UTC' });
    await emu.advanceTime(3 * 60_000);
    expect((await emu.getScriptProperties()).ticks).toBe('4');
    expect(await lastExecution('tick')).toMatchObject({ trigger: 'clock', authMode: 'FULL' });

    await expect(emu.runFunction('installBadTick')).rejects.toThrow(/everyMinutes/);
    expect((await lastExecution('installBadTick'))?.error).toMatch(/everyMinutes/);
  });


  it('insertRows and sortRows fire onChange INSERT_ROW and OTHER; the sort keeps frozen rows and puts blanks last', async () => {
    await emu.runFunction('freezeHeader');
    received.length = 0;
    await emu.insertRows('Catalog', 2, 1);
    await emu.sortRows('Catalog', 1, true);
    expect(received.map((r) => JSON.parse(r.body).changeType)).toEqual(['INSERT_ROW', 'OTHER']);
    const values = await emu.values('Catalog');
    expect(values.map((r) => r[0])).toEqual(['Artist', 'John Coltrane', 'Miles Davis', 'Nina Simone']);
    expect((await emu.sheetInfo('Catalog')).frozenRows).toBe(1);
  });

  it('answers prompts from the script and records alerts and sidebars', async () => {
    await emu.answerPrompts([{ button: 'OK', text: '15' }, { button: 'NO' }]);
    expect(await emu.runFunction('askDiscount')).toEqual(['OK', '15', 'NO']);
    const log = (await emu.uiLog()).slice(-3);
    expect(log).toMatchObject([
      { kind: 'prompt', title: 'Discount', message: 'Percent off?', answer: 'OK', responseText: '15' },
      { kind: 'alert', message: 'Apply 15%?', buttons: 'YES_NO', answer: 'NO' },
      { kind: 'sidebar', title: 'Discount', html: '<h1>&lt;Sale&gt;</h1><p>15% off</p>' },
    ]);
  });

  it('honours muteHttpExceptions and reports unreachable hosts', async () => {
    expect(await emu.runFunction('fetchStatus', `${baseUrl}/missing`, true)).toBe(404);
    expect(await emu.runFunction('fetchStatus', `${baseUrl}/missing`, false)).toBe(
      `threw: Request failed for ${baseUrl} returned code 404. Truncated server response: no such thing (use muteHttpExceptions option to examine full response)`,
    );
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const deadUrl = `http://127.0.0.1:${(closed.address() as AddressInfo).port}/x`;
    await new Promise((resolve) => closed.close(resolve));
    expect(await emu.runFunction('fetchStatus', deadUrl, true)).toBe(`threw: Address unavailable: ${deadUrl}`);
  });

  it('menu actions work on the selection; errors reject runFunction but keep the emulator alive', async () => {
    await emu.select('Catalog', 'A2:E3');
    await emu.clickMenu('Vinyl', 'Tools', 'Mark selected');
    expect((await emu.backgrounds('Catalog'))[2]).toEqual(Array(5).fill('#ffff00'));
    expect((await emu.uiLog()).at(-1)).toMatchObject({ kind: 'toast', title: 'Vinyl', message: '2 rows marked' });

    await expect(emu.runFunction('boom')).rejects.toThrow('Error: kaboom');
    expect(await lastExecution('boom')).toMatchObject({ error: 'Error: kaboom' });
    await expect(emu.runFunction('noSuchFunction')).rejects.toThrow('Script function not found: noSuchFunction');
    expect(await emu.sheetNames()).toEqual(['Catalog']);
  });
});
