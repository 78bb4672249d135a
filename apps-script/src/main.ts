/**
 * Entry of the add-on bundle: only what Apps Script calls by name (triggers, menu items, sidebar
 * callbacks). build.ts bundles this file as an IIFE and appends a top-level `function` stub per
 * export, since Apps Script finds handlers only among top-level function declarations.
 */
import { connectToServer } from './connect.ts';
import { buildMenu } from './menu.ts';
import { guarded, withScriptLock } from './run.ts';
import { enrichmentProgress, sendOffersForSelection, startEnrichment } from './server-actions.ts';
import { setupSheets } from './setup-sheets.ts';
import { lastReconcileAt, needsReconcile } from './settings.ts';
import { showEnrichProgress, showSyncStatus } from './sidebars.ts';
import { rebuildSite, siteRebuildMessage } from './site-rebuild.ts';
import { pullOutbox, pushEdit, reconcile } from './sync.ts';
import { pushTaskStates } from './task-states.ts';
import { pushTemplates } from './templates.ts';

/** A reconcile runs at least this often even when nothing failed (quota: docs/sheet-sync.md). */
const reconcileEveryMs = 30 * 60 * 1000;

function alert(message: string): void {
  const ui = SpreadsheetApp.getUi();
  ui.alert('Винил', message, ui.ButtonSet.OK);
}

function fullSync(): ReturnType<typeof reconcile> | undefined {
  return withScriptLock(() => {
    pullOutbox();
    pushTemplates();
    return reconcile(new Date());
  });
}

export function onOpen(): void {
  buildMenu();
}

export function handleEdit(e: GoogleAppsScript.Events.SheetsOnEdit): void {
  guarded('sync:edit', () => withScriptLock(() => pushEdit(e, new Date())), { ui: false });
}

export function handleChange(e: GoogleAppsScript.Events.SheetsOnChange): void {
  const type = String(e.changeType);
  // Rows inserted or removed: reconcile finds new rows and soft-deletes removed ones.
  if (type !== 'INSERT_ROW' && type !== 'REMOVE_ROW') return;
  guarded('sync:change', fullSync, { ui: false });
}

export function handleTick(): void {
  guarded(
    'sync:tick',
    () =>
      withScriptLock(() => {
        pullOutbox();
        if (needsReconcile() || Date.now() - lastReconcileAt() >= reconcileEveryMs) {
          pushTemplates();
          // The safety net for Статус_задачи edits whose own push failed (edits are sent at once).
          pushTaskStates();
          reconcile(new Date());
        }
      }),
    { ui: false },
  );
}

export function menuSetupSheets(): void {
  guarded('setup', () => {
    const names = setupSheets();
    alert(`Листы готовы: ${names.join(', ')}.`);
  }, { ui: true });
}

export function menuConnect(): void {
  guarded('connect', () => {
    const status = connectToServer();
    if (!status) return;
    const result = fullSync();
    alert(
      result
        ? `Подключено. Строк в каталоге: ${result.rows}, отправлено на сервер: ${result.sent}.`
        : 'Подключено. Первая синхронизация начнётся со следующим запуском.',
    );
  }, { ui: true });
}

export function menuSyncNow(): void {
  guarded('sync:now', () => {
    const result = fullSync();
    if (result) alert(`Сверка завершена. Строк: ${result.rows}, отправлено: ${result.sent}, скрыто удалённых: ${result.deleted}.`);
  }, { ui: true });
}

export function menuSyncStatus(): void {
  guarded('status', showSyncStatus, { ui: true });
}

export function menuEnrichSelected(): void {
  guarded('enrich', () => {
    const job = startEnrichment('selected');
    showEnrichProgress(job.job_id, job.total);
  }, { ui: true });
}

export function menuEnrichAll(): void {
  guarded('enrich', () => {
    const job = startEnrichment('all');
    showEnrichProgress(job.job_id, job.total);
  }, { ui: true });
}

export function menuSendOffers(): void {
  guarded('offers', () => {
    const result = sendOffersForSelection();
    alert(`Предложения отправлены: ${result.offers_created} (получателей: ${result.recipients}).`);
  }, { ui: true });
}

export function menuRebuildSite(): void {
  guarded('site', () => {
    // The build takes a few seconds: the admin sees that it runs (the toast stays until replaced).
    const spreadsheet = SpreadsheetApp.getActive();
    spreadsheet.toast('Сервер пересобирает сайт…', 'Винил', -1);
    let result;
    try {
      result = rebuildSite();
    } catch (error) {
      spreadsheet.toast('Сайт не пересобран', 'Винил', 5);
      throw error;
    }
    spreadsheet.toast('Сайт пересобран', 'Винил', 5);
    alert(siteRebuildMessage(result));
  }, { ui: true });
}

/** Sidebar callback (google.script.run): progress of an enrichment job. */
export function enrichProgress(jobId: string) {
  return enrichmentProgress(jobId);
}
