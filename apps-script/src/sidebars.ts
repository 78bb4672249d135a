import { sheetSyncPaths, type SheetStatusResponse } from '../../shared/sheet-sync-contract.ts';
import { callServer } from './server-client.ts';
import { syncState } from './settings.ts';

function show(template: GoogleAppsScript.HTML.HtmlTemplate, title: string): void {
  SpreadsheetApp.getUi().showSidebar(template.evaluate().setTitle(title));
}

/** «Статус синхронизации»: connection, last push, operations waiting, last errors. */
export function showSyncStatus(): void {
  const state = syncState();
  let server: SheetStatusResponse | null = null;
  let serverError = '';
  if (state.connected) {
    try {
      server = callServer<SheetStatusResponse>(sheetSyncPaths.status, {});
    } catch (error) {
      serverError = (error as Error).message;
    }
  }
  const template = HtmlService.createTemplateFromFile('sync-status');
  Object.assign(template, {
    connected: state.connected && server !== null,
    serverUrl: state.serverUrl ?? '—',
    lastPushAt: state.lastPushAt ?? '—',
    lastReconcileAt: state.lastReconcileAt ?? '—',
    waitingOps: server ? server.waiting_ops : state.waitingOps,
    pendingAcks: state.pendingAcks,
    needsReconcile: state.needsReconcile,
    serverError,
    errors: state.errors,
  });
  show(template, 'Синхронизация');
}

/** The enrichment progress bar; the page polls enrichProgress(jobId) until the job is done. */
export function showEnrichProgress(jobId: string, total: number): void {
  const template = HtmlService.createTemplateFromFile('enrich-progress');
  Object.assign(template, { jobId, total });
  show(template, 'Обогащение');
}
